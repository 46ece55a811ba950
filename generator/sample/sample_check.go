package sample

import (
	"math"
	"math/big"
	"strconv"
	"unicode/utf8"

	"github.com/direktiv-fn/direktiv-fn/generator/model"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// violation is one failed check found by checkValue: the generator's own
// validator, used to keep samples valid and test inputs invalid for the
// expected reason. It checks what the generated decoder checks.
type violation struct {
	pointer string
	keyword string
	// equals is, for "uniqueItems", the pointer of the earlier item that
	// the item at pointer equals.
	equals string
	// s is the schema whose keyword fails, and v the failing value (nil
	// for a missing property): for messages.
	s *schema.Schema
	v *schema.Value
	// inner is the violation found within a generic schema, which the
	// keyword "schema" stands for.
	inner *violation
}

// checkValue validates v against the schema of n, v being at pointer ptr,
// and returns every violation.
func checkValue(n *model.Node, v *schema.Value, ptr string) []violation {
	var out []violation
	add := func(kw string) { out = append(out, violation{pointer: ptr, keyword: kw, s: n.Schema, v: v}) }
	// generic checks v against a schema that stays generic: the whole
	// schema of an anyKind node, or the residual of a typed one.
	generic := func(s *schema.Schema) {
		if f := schemaCheck(s, v, newChecker(n.Formats), ptr); f != nil {
			out = append(out, violation{pointer: ptr, keyword: "schema", s: n.Schema, v: v, inner: f})
		}
	}
	if n.Kind == model.AnyKind {
		generic(n.Schema)
		return out
	}
	if n.Kind == model.UnionKind {
		return checkUnion(n, v, ptr)
	}
	if n.Nullable && v.Kind == schema.KindNull {
		if ok, kw := n.NullAllowed(); !ok {
			add(kw)
		}
		if n.Residual != nil {
			generic(n.Residual.Schema)
		}
		return out
	}
	if !model.ValueHasType(v, n.Kind) {
		if n.Schema.Types == nil {
			add("enum") // an enum of strings without "type"
		} else {
			add("type")
		}
		return out
	}
	if n.Residual != nil {
		generic(n.Residual.Schema)
	}
	s := n.Schema
	switch n.Kind {
	case schema.TypeObject:
		out = append(out, checkMembers(n, v, ptr)...)
		checkCount(int64(len(v.Members)), s.MinProperties, s.MaxProperties, "minProperties", "maxProperties", add)
	case schema.TypeArray:
		for i, e := range v.Array {
			out = append(out, checkValue(n.Item, e, ptr+"/"+strconv.Itoa(i))...)
		}
		checkCount(int64(len(v.Array)), s.MinItems, s.MaxItems, "minItems", "maxItems", add)
		if s.UniqueItems {
			if f := uniqueViolation(s, v, ptr); f != nil {
				out = append(out, *f)
			}
		}
	case schema.TypeString:
		checkCount(int64(utf8.RuneCountInString(v.String)), s.MinLength, s.MaxLength, "minLength", "maxLength", add)
		if n.Re != nil && !n.Re.MatchString(v.String) {
			add("pattern")
		}
		if f := model.AssertedFormat(n); f != "" && !model.FormatValid(f, v.String) {
			add("format")
		}
	case schema.TypeInteger, schema.TypeNumber:
		if !checkNumber(n, v, add) {
			return out
		}
	}
	if n.Enum != nil && !inEnum(n, v) {
		add("enum")
	}
	if n.ConstVal != nil && !n.ConstVal.Equal(v) {
		add("const")
	}
	return out
}

// checkMembers validates the members of the object v, at pointer ptr,
// against the struct or map node n: properties, required ones, pattern
// properties and additional properties.
func checkMembers(n *model.Node, v *schema.Value, ptr string) []violation {
	var out []violation
	s := n.Schema
	for _, p := range n.Props {
		mv := v.Get(p.Name)
		if mv == nil {
			if p.Required {
				out = append(out, violation{pointer: ptr + "/" + schema.EscapeToken(p.Name), keyword: "required", s: s})
			}
			continue
		}
		out = append(out, checkValue(p.Node, mv, ptr+"/"+schema.EscapeToken(p.Name))...)
	}
	for _, m := range v.Members {
		mptr := ptr + "/" + schema.EscapeToken(m.Key)
		matched := model.FindProp(n, m.Key) != nil
		for _, pt := range n.Patterns {
			if pt.Re.MatchString(m.Key) {
				matched = true
				out = append(out, checkValue(pt.Node, m.Value, mptr)...)
			}
		}
		switch {
		case matched:
		case n.Closed:
			out = append(out, violation{pointer: mptr, keyword: "additionalProperties", s: s, v: m.Value})
		case n.Addl != nil:
			out = append(out, checkValue(n.Addl, m.Value, mptr)...)
		}
	}
	return out
}

// checkNumber checks the number v against the numeric keywords of n,
// calling add for each that fails. It returns false, after a "type"
// violation, when v does not fit the node's Go type: nothing more can be
// checked.
func checkNumber(n *model.Node, v *schema.Value, add func(string)) bool {
	s := n.Schema
	r := v.Number.Rat()
	if n.Kind == schema.TypeInteger {
		if _, ok := v.Number.Int64(); !ok {
			add("type") // the decoder holds int64 only
			return false
		}
	} else if !fitsFloat(r) {
		add("type")
		return false
	}
	if s.Minimum != nil && r.Cmp(s.Minimum.Rat()) < 0 {
		add("minimum")
	}
	if s.Maximum != nil && r.Cmp(s.Maximum.Rat()) > 0 {
		add("maximum")
	}
	if s.ExclusiveMinimum != nil && r.Cmp(s.ExclusiveMinimum.Rat()) <= 0 {
		add("exclusiveMinimum")
	}
	if s.ExclusiveMaximum != nil && r.Cmp(s.ExclusiveMaximum.Rat()) >= 0 {
		add("exclusiveMaximum")
	}
	if s.MultipleOf != nil && !new(big.Rat).Quo(r, s.MultipleOf.Rat()).IsInt() {
		add("multipleOf")
	}
	return true
}

// checkCount checks a count against optional bounds.
func checkCount(c int64, min, max *int64, minKw, maxKw string, add func(string)) {
	if min != nil && c < *min {
		add(minKw)
	}
	if max != nil && c > *max {
		add(maxKw)
	}
}

// fitsFloat reports whether r is within the range of a float64.
func fitsFloat(r *big.Rat) bool {
	f, _ := r.Float64()
	return !math.IsInf(f, 0)
}

// inEnum reports whether v is one of the node's enum values.
func inEnum(n *model.Node, v *schema.Value) bool {
	return n.EnumKeys[v.Key()]
}

// hasDuplicate reports whether two values of vs are equal.
func hasDuplicate(vs []*schema.Value) bool {
	_, _, dup := firstDuplicate(vs)
	return dup
}

// firstDuplicate returns the first item j of vs that equals an earlier one,
// and the first item i it equals, comparing canonical keys in a map.
func firstDuplicate(vs []*schema.Value) (i, j int, dup bool) {
	seen := make(map[string]int, len(vs))
	for j, v := range vs {
		k := v.Key()
		if i, ok := seen[k]; ok {
			return i, j, true
		}
		seen[k] = j
	}
	return 0, 0, false
}

// uniqueViolation returns the "uniqueItems" violation of the array v at
// ptr, of schema s, or nil: at the first item that equals an earlier one,
// as the generated decoder reports it ("/tags/2: equals /tags/0").
func uniqueViolation(s *schema.Schema, v *schema.Value, ptr string) *violation {
	i, j, dup := firstDuplicate(v.Array)
	if !dup {
		return nil
	}
	return &violation{pointer: ptr + "/" + strconv.Itoa(j), keyword: "uniqueItems", s: s, v: v.Array[j], equals: ptr + "/" + strconv.Itoa(i)}
}

// checkUnion validates v against union node n, as its decoder does: the
// branch that v's discriminator or JSON type picks decides; with none, a
// value of the wrong type breaks "type", and an object whose discriminator
// picks no branch the union's keyword.
func checkUnion(n *model.Node, v *schema.Value, ptr string) []violation {
	if br := model.BranchOf(n, v); br != nil {
		return checkValue(br.Node, v, ptr)
	}
	kw := "type"
	if n.Union.Tag != "" && v.Kind == schema.KindObject {
		kw = n.Union.Keyword
	}
	return []violation{{pointer: ptr, keyword: kw, s: n.Schema, v: v}}
}
