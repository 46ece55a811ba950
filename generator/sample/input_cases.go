package sample

import (
	"bytes"
	"math/big"
	"strconv"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/generator/model"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// InputTests are the cases of the generated input.gen_test.go.
type InputTests struct {
	// Sample is the model's sample as compact JSON.
	Sample string
	// Full is a valid input with every property present, as compact JSON,
	// or "" when it is Sample.
	Full string
	// Defaults are the defaults that decoding Sample applies.
	Defaults []DefaultCheck
	// Base names the constant (inputFull or inputSample) that every case
	// changes at one place.
	Base string
	// Cases are invalid inputs, each breaking one constraint of the schema.
	Cases []InputCase
	// RoundTrip names the constant (inputFull or inputSample) that the
	// test of MarshalJSON decodes, encodes and decodes again; "" when
	// neither round-trips to an equal Go value (an empty array or object
	// in an omitempty field comes back nil).
	RoundTrip string
	// Many is an input with many violations, one per item of an array,
	// or nil when the schema has no array whose items can be invalid.
	Many *ManyCase
}

// ManyCase is an invalid input made of Prefix, an array of copies of
// Item, and Suffix: each copy breaks the schema.
type ManyCase struct {
	// Pointer locates the array.
	Pointer string
	// Prefix, Item and Suffix are compact JSON.
	Prefix, Item, Suffix string
}

// PrefixLit returns Prefix as a Go string literal.
func (m ManyCase) PrefixLit() string { return model.GoString(m.Prefix) }

// ItemLit returns Item as a Go string literal.
func (m ManyCase) ItemLit() string { return model.GoString(m.Item) }

// SuffixLit returns Suffix as a Go string literal.
func (m ManyCase) SuffixLit() string { return model.GoString(m.Suffix) }

// DefaultCheck is a default that decoding the sample must apply.
type DefaultCheck struct {
	// Pointer locates the defaulted property.
	Pointer string
	// Expr selects it from the decoded input, e.g. ".Files[0].Mode".
	Expr string
	// Want is the default as a Go literal.
	Want string
}

// InputCase is an invalid input and the violation it must be rejected
// with. The input is the valid input named by InputTests.Base changed at
// one place, so that a case is as long as the change, not as the input:
// the generated tests grow linearly with the schema.
type InputCase struct {
	// Name names the test case.
	Name string
	// At is the JSON Pointer of the value changed.
	At string
	// Value is the value put at At, as compact JSON; "" removes the member.
	Value string
	// Pointer and Keyword identify the expected violation.
	Pointer, Keyword string
}

// SampleLit returns Sample as a Go string literal.
func (t InputTests) SampleLit() string { return model.GoString(t.Sample) }

// FullLit returns Full as a Go string literal.
func (t InputTests) FullLit() string { return model.GoString(t.Full) }

// ValueLit returns Value as a Go string literal.
func (c InputCase) ValueLit() string { return model.GoString(c.Value) }

// NewInputTests derives the generated tests from the schema tree at root
// and its sample.
func NewInputTests(sm *Sampler, root *model.Node, sample *schema.Value) InputTests {
	t := InputTests{Sample: model.ValueJSONLine(sample)}
	full := sm.value(root, true)
	if full == nil {
		full = sample
	}
	t.Base = "inputSample"
	if f := model.ValueJSONLine(full); f != t.Sample {
		t.Full, t.Base = f, "inputFull"
	}
	t.Defaults = defaultChecks(root, sample, "", "")
	c := &caseBuilder{root: root, doc: full, names: map[string]int{}, stop: sm.stop}
	c.walk(root, full, nil)
	t.Cases = c.cases
	t.Many = c.many
	switch {
	case t.Full != "" && roundTrips(root, full):
		t.RoundTrip = "inputFull"
	case roundTrips(root, sample):
		t.RoundTrip = "inputSample"
	}
	return t
}

// roundTrips reports whether value v of node n, decoded, encoded as JSON
// and decoded again gives an equal Go value: no optional property without
// default (omitempty) holds an empty array or map, which comes back nil.
func roundTrips(n *model.Node, v *schema.Value) bool {
	if v.Kind == schema.KindNull {
		return true
	}
	if n.Kind == model.UnionKind {
		br := model.BranchOf(n, v)
		return br == nil || roundTrips(br.Node, v)
	}
	switch n.Kind {
	case schema.TypeObject:
		for _, m := range v.Members {
			mn := model.MemberNode(n, m.Key)
			if mn == nil {
				continue
			}
			p := model.FindProp(n, m.Key)
			empty := len(m.Value.Array) == 0 && m.Value.Kind == schema.KindArray ||
				len(m.Value.Members) == 0 && m.Value.Kind == schema.KindObject && model.IsMap(mn.Schema)
			if p != nil && !p.Required && p.Def == nil && empty {
				return false
			}
			if !roundTrips(mn, m.Value) {
				return false
			}
		}
	case schema.TypeArray:
		for _, e := range v.Array {
			if !roundTrips(n.Item, e) {
				return false
			}
		}
	}
	return true
}

// defaultChecks lists the scalar defaults applied to the absent properties
// of the objects present in v, the value of n at pointer ptr and Go
// selector expr.
func defaultChecks(n *model.Node, v *schema.Value, ptr, expr string) []DefaultCheck {
	var out []DefaultCheck
	switch n.Kind {
	case model.UnionKind:
		if br := model.BranchOf(n, v); br != nil {
			out = append(out, defaultChecks(br.Node, v, ptr, expr+"."+br.Field.Name)...)
		}
	case schema.TypeObject:
		for _, p := range n.Props {
			pptr, pexpr := ptr+"/"+schema.EscapeToken(p.Name), expr+"."+p.Field.Name
			mv := v.Get(p.Name)
			switch {
			case mv != nil:
				out = append(out, defaultChecks(p.Node, mv, pptr, pexpr)...)
			case p.DefLit != "" && p.Node.Kind != schema.TypeObject && p.Node.Kind != schema.TypeArray && p.Node.Kind != model.UnionKind && !p.Node.Nullable && p.Node.ValType != "time.Time":
				// A time.Time default is left out: != compares its location.
				out = append(out, DefaultCheck{Pointer: pptr, Expr: pexpr, Want: p.DefLit})
			}
		}
	case schema.TypeArray:
		if len(v.Array) > 0 {
			out = append(out, defaultChecks(n.Item, v.Array[0], ptr+"/0", expr+"[0]")...)
		}
	}
	return out
}

// step is one step of a path into a value: a member key, or an index when
// key is nil.
type step struct {
	key   *string
	index int
}

// caseBuilder derives the invalid inputs of the generated tests by mutating
// a valid input at one location at a time.
type caseBuilder struct {
	// stop ends the walk early when its context is done.
	stop  *model.Stopper
	root  *model.Node
	doc   *schema.Value
	names map[string]int
	cases []InputCase
	// many is the first case under an array item, made a ManyCase.
	many *ManyCase
	// seen holds the cases added, as path, value, pointer and keyword.
	seen map[string]bool
}

// pointer returns the JSON Pointer of path.
func pointer(path []step) string {
	var b strings.Builder
	for _, s := range path {
		b.WriteByte('/')
		if s.key != nil {
			b.WriteString(schema.EscapeToken(*s.key))
		} else {
			b.WriteString(strconv.Itoa(s.index))
		}
	}
	return b.String()
}

// add records the case of the document with the value at path replaced by
// repl (deleted when repl is nil), if the generator's own validator agrees
// that it breaks keyword at ptr.
func (c *caseBuilder) add(path []step, repl *schema.Value, ptr, keyword, detail string) {
	doc := replaceAt(c.doc, path, repl)
	// The violation is found by the value's parent (required,
	// additionalProperties) or by the value itself: check from there only.
	at := path
	if len(at) > 0 && (keyword == "required" || keyword == "additionalProperties") {
		at = at[:len(at)-1]
	}
	n, v := c.root, doc
	for _, s := range at {
		n, v = childAt(n, v, s)
		if n == nil {
			n, v, at = c.root, doc, nil
			break
		}
	}
	found := false
	for _, v := range checkValue(n, v, pointer(at)) {
		found = found || v.pointer == ptr && v.keyword == keyword
	}
	if !found {
		return
	}
	name := strings.TrimPrefix(ptr, "/")
	if ptr == "" {
		name = "(root)"
	}
	name += " " + keyword
	if detail != "" {
		name += " " + detail
	}
	value := ""
	if repl != nil {
		value = model.ValueJSONLine(repl)
	}
	// A union's cases and its branch's can be the same.
	same := pointer(path) + "\x00" + value + "\x00" + ptr + "\x00" + keyword
	if c.seen[same] {
		return
	}
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	c.seen[same] = true
	c.cases = append(c.cases, InputCase{Name: model.Unique(c.names, name), At: pointer(path), Value: value, Pointer: ptr, Keyword: keyword})
	if c.many == nil {
		c.many = manyCase(c.doc, path, repl)
	}
}

// manySentinel stands for the array of a ManyCase while the document is
// written as JSON.
const manySentinel = "\x00many\x00"

// manyCase returns the ManyCase of the invalid input made from doc by
// replacing the value at path with repl, when path goes through an array
// element: the array becomes copies of that element, mutated. Otherwise
// it returns nil.
func manyCase(doc *schema.Value, path []step, repl *schema.Value) *ManyCase {
	k := -1
	for i, s := range path {
		if s.key == nil {
			k = i
		}
	}
	if k < 0 {
		return nil
	}
	elem := doc
	for _, s := range path[:k+1] {
		if s.key == nil {
			elem = elem.Array[s.index]
		} else {
			elem = elem.Get(*s.key)
		}
	}
	item := replaceAt(elem, path[k+1:], repl)
	if item == nil {
		return nil
	}
	whole := model.ValueJSONLine(replaceAt(doc, path[:k], &schema.Value{Kind: schema.KindString, String: manySentinel}))
	var b bytes.Buffer
	model.WriteJSONString(&b, manySentinel)
	prefix, suffix, ok := strings.Cut(whole, b.String())
	if !ok {
		return nil
	}
	return &ManyCase{Pointer: pointer(path[:k]), Prefix: prefix, Item: model.ValueJSONLine(item), Suffix: suffix}
}

// childAt returns the node and value of step s into value v of node n, or
// a nil node when the step leads nowhere typed.
func childAt(n *model.Node, v *schema.Value, s step) (*model.Node, *schema.Value) {
	if n.Kind == model.UnionKind {
		br := model.BranchOf(n, v)
		if br == nil {
			return nil, nil
		}
		n = br.Node
	}
	if s.key == nil {
		if n.Kind != schema.TypeArray || s.index >= len(v.Array) {
			return nil, nil
		}
		return n.Item, v.Array[s.index]
	}
	mv := v.Get(*s.key)
	if n.Kind != schema.TypeObject || mv == nil || mv.Kind == schema.KindNull && n.Nullable {
		return nil, nil
	}
	return model.MemberNode(n, *s.key), mv
}

// replaceAt returns a copy of v with the value at path replaced by repl, or
// the member deleted when repl is nil. Only the values along path are copied.
func replaceAt(v *schema.Value, path []step, repl *schema.Value) *schema.Value {
	if len(path) == 0 {
		return repl
	}
	cp := *v
	s := path[0]
	if s.key == nil {
		cp.Array = append([]*schema.Value(nil), v.Array...)
		cp.Array[s.index] = replaceAt(v.Array[s.index], path[1:], repl)
		return &cp
	}
	cp.Members = nil
	done := false
	for _, m := range v.Members {
		if m.Key != *s.key {
			cp.Members = append(cp.Members, m)
			continue
		}
		done = true
		if nv := replaceAt(m.Value, path[1:], repl); nv != nil {
			cp.Members = append(cp.Members, &schema.Member{Key: m.Key, Value: nv})
		}
	}
	if !done && len(path) == 1 && repl != nil {
		cp.Members = append(cp.Members, &schema.Member{Key: *s.key, Value: repl})
	}
	return &cp
}

// walk adds the cases of node n, whose valid value v is at path.
func (c *caseBuilder) walk(n *model.Node, v *schema.Value, path []step) {
	if c.stop.Stopped() {
		return
	}
	if n.Kind == model.AnyKind {
		return // generic values are checked by the conformance of their validation
	}
	if v.Kind == schema.KindNull {
		return // a nullable node's null
	}
	if n.Kind == model.UnionKind {
		c.walkUnion(n, v, path)
		return
	}
	ptr := pointer(path)
	if n.Kind == schema.TypeString {
		c.add(path, numberValue(big.NewRat(1, 1)), ptr, "type", "")
	} else {
		c.add(path, stringValue("x"), ptr, "type", "")
	}
	if n.Kind == schema.TypeInteger {
		c.add(path, numberValue(big.NewRat(3, 2)), ptr, "type", "(fraction)")
	}
	if bad := notInEnum(n, n.Enum); bad != nil {
		c.add(path, bad, ptr, "enum", "")
	}
	if n.ConstVal != nil {
		if bad := notInEnum(n, []*schema.Value{n.ConstVal}); bad != nil {
			c.add(path, bad, ptr, "const", "")
		}
	}
	switch n.Kind {
	case schema.TypeObject:
		c.walkObject(n, v, path)
	case schema.TypeArray:
		c.walkArray(n, v, path)
	case schema.TypeString:
		c.walkString(n, path)
	case schema.TypeInteger, schema.TypeNumber:
		c.walkNumber(n, path)
	}
}

// stringValue returns the JSON string x.
func stringValue(x string) *schema.Value {
	return &schema.Value{Kind: schema.KindString, String: x}
}

// subPath returns path extended by one step, sharing nothing with path.
func subPath(path []step, s step) []step {
	return append(append([]step(nil), path...), s)
}

// walkObject adds the cases of the object keywords of n, whose valid value
// v is at path, and walks its members.
func (c *caseBuilder) walkObject(n *model.Node, v *schema.Value, path []step) {
	ptr, s := pointer(path), n.Schema
	for _, p := range n.Props {
		key := p.Name
		sub := subPath(path, step{key: &key})
		if p.Required {
			c.add(sub, nil, pointer(sub), "required", "")
		}
		if mv := v.Get(p.Name); mv != nil {
			c.walk(p.Node, mv, sub)
		}
	}
	for _, m := range v.Members {
		if mn := model.MemberNode(n, m.Key); mn != nil && model.FindProp(n, m.Key) == nil {
			key := m.Key
			c.walk(mn, m.Value, subPath(path, step{key: &key}))
		}
	}
	if s.MinProperties != nil && *s.MinProperties > 0 {
		c.add(path, &schema.Value{Kind: schema.KindObject}, ptr, "minProperties", "")
	}
	if s.MaxProperties != nil && *s.MaxProperties < 100 {
		more := *v
		more.Members = append([]*schema.Member(nil), v.Members...)
		for i := int64(len(v.Members)); i <= *s.MaxProperties; i++ {
			more.Members = append(more.Members, &schema.Member{Key: "extra" + strconv.FormatInt(i, 10), Value: &schema.Value{Kind: schema.KindNull}})
		}
		c.add(path, &more, ptr, "maxProperties", "")
	}
	if n.Closed {
		key := "unexpected"
		for model.FindProp(n, key) != nil || model.MatchesPattern(n, key) {
			key += "_"
		}
		sub := subPath(path, step{key: &key})
		c.add(sub, stringValue("x"), pointer(sub), "additionalProperties", "")
	}
}

// walkArray adds the cases of the array keywords of n, whose valid value v
// is at path, and walks its first item.
func (c *caseBuilder) walkArray(n *model.Node, v *schema.Value, path []step) {
	ptr, s := pointer(path), n.Schema
	elem := v
	if len(v.Array) > 0 {
		elem = v.Array[0]
	}
	arr := func(count int64) *schema.Value {
		a := &schema.Value{Kind: schema.KindArray, Array: []*schema.Value{}}
		for i := int64(0); i < count; i++ {
			a.Array = append(a.Array, elem)
		}
		return a
	}
	if s.MinItems != nil && *s.MinItems > 0 && *s.MinItems <= 1000 {
		c.add(path, arr(*s.MinItems-1), ptr, "minItems", "")
	}
	if s.MaxItems != nil && *s.MaxItems < 1000 && len(v.Array) > 0 {
		c.add(path, arr(*s.MaxItems+1), ptr, "maxItems", "")
	}
	if s.UniqueItems && len(v.Array) > 0 {
		c.add(path, arr(2), ptr+"/1", "uniqueItems", "")
	}
	if len(v.Array) > 0 {
		c.walk(n.Item, v.Array[0], subPath(path, step{index: 0}))
	}
}

// walkString adds the cases of the string keywords of n, at path.
func (c *caseBuilder) walkString(n *model.Node, path []step) {
	ptr, s := pointer(path), n.Schema
	if s.MinLength != nil && *s.MinLength > 0 && *s.MinLength <= 4096 {
		c.add(path, stringValue(strings.Repeat("a", int(*s.MinLength-1))), ptr, "minLength", "")
	}
	if s.MaxLength != nil && *s.MaxLength < 4096 {
		c.add(path, stringValue(strings.Repeat("a", int(*s.MaxLength+1))), ptr, "maxLength", "")
	}
	if n.Re != nil {
		for _, cand := range []string{"", " ", "!", "A", "a", "0", "-", "~~~", "a b", "\n"} {
			if !n.Re.MatchString(cand) {
				c.add(path, stringValue(cand), ptr, "pattern", "")
				break
			}
		}
	}
	if f := model.AssertedFormat(n); f != "" {
		c.add(path, stringValue(model.FormatTable[f].Invalid), ptr, "format", "")
	}
}

// walkNumber adds the cases of the numeric keywords of n, at path.
func (c *caseBuilder) walkNumber(n *model.Node, path []step) {
	ptr, s := pointer(path), n.Schema
	one := big.NewRat(1, 1)
	if s.Minimum != nil {
		lo := s.Minimum.Rat()
		if n.Kind == schema.TypeInteger {
			lo = ceilRat(lo)
		}
		c.add(path, numberValue(lo.Sub(lo, one)), ptr, "minimum", "")
	}
	if s.Maximum != nil {
		hi := s.Maximum.Rat()
		if n.Kind == schema.TypeInteger {
			hi = floorRat(hi)
		}
		c.add(path, numberValue(hi.Add(hi, one)), ptr, "maximum", "")
	}
	if s.ExclusiveMinimum != nil {
		c.add(path, numberValue(s.ExclusiveMinimum.Rat()), ptr, "exclusiveMinimum", "")
	}
	if s.ExclusiveMaximum != nil {
		c.add(path, numberValue(s.ExclusiveMaximum.Rat()), ptr, "exclusiveMaximum", "")
	}
	if k := s.MultipleOf; k != nil {
		half := k.Rat()
		half.Quo(half, big.NewRat(2, 1))
		if n.Kind == schema.TypeInteger {
			half = ceilRat(half)
		}
		c.add(path, numberValue(half), ptr, "multipleOf", "")
	}
}

// notInEnum returns a value of the node's type that is not in enum, or nil.
func notInEnum(n *model.Node, enum []*schema.Value) *schema.Value {
	if enum == nil {
		return nil
	}
	var cands []*schema.Value
	switch n.Kind {
	case schema.TypeString:
		for _, s := range []string{"x", "not-in-enum", "xx", "y"} {
			cands = append(cands, &schema.Value{Kind: schema.KindString, String: s})
		}
	case schema.TypeBoolean:
		cands = []*schema.Value{{Kind: schema.KindBool}, {Kind: schema.KindBool, Bool: true}}
	default:
		for _, e := range enum {
			r := e.Number.Rat()
			cands = append(cands, numberValue(r.Add(r, big.NewRat(1, 1))))
		}
	}
	keys := make(map[string]bool, len(enum))
	for _, e := range enum {
		keys[e.Key()] = true
	}
	for _, v := range cands {
		if !keys[v.Key()] {
			return v
		}
	}
	return nil
}

// walkUnion adds the cases of union node n, whose valid value v is at
// path: a value of a type no branch has, a discriminator no branch has;
// then those of the branch v belongs to.
func (c *caseBuilder) walkUnion(n *model.Node, v *schema.Value, path []step) {
	ptr, u := pointer(path), n.Union
	for _, bad := range []*schema.Value{stringValue("x"), numberValue(big.NewRat(1, 1)), {Kind: schema.KindBool}, {Kind: schema.KindArray}} {
		if model.BranchOf(n, bad) == nil {
			c.add(path, bad, ptr, "type", "")
			break
		}
	}
	if u.Tag != "" {
		other := "other"
		for model.BranchOf(n, &schema.Value{Kind: schema.KindObject, Members: []*schema.Member{{Key: u.Tag, Value: stringValue(other)}}}) != nil {
			other += "_"
		}
		tag := u.Tag
		c.add(subPath(path, step{key: &tag}), stringValue(other), ptr, u.Keyword, "(discriminator)")
	}
	if br := model.BranchOf(n, v); br != nil {
		c.walk(br.Node, v, path)
	}
}
