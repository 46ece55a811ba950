package sample

import (
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/direktiv-fn/direktiv-fn/generator/model"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// schemaValid reports whether v is valid against s under every keyword of
// the schema model: the generator's own validator for generic schemas,
// used to keep samples valid. res caches compiled patterns.
func schemaValid(s *schema.Schema, v *schema.Value, res *checker) bool {
	return schemaCheck(s, v, res, "") == nil
}

// schemaCheck validates v, at instance location ptr, against s and returns
// the first violation found, or nil.
func schemaCheck(s *schema.Schema, v *schema.Value, res *checker, ptr string) *violation {
	fail := func(kw string) *violation { return &violation{pointer: ptr, keyword: kw, s: s, v: v} }
	if res.steps++; res.steps > maxCheckSteps {
		return fail(stepsKeyword)
	}
	if s.Bool != nil {
		if *s.Bool {
			return nil
		}
		return fail("false")
	}
	if s.Ref != nil {
		if f := schemaCheck(s.Ref.Target, v, res, ptr); f != nil {
			return f
		}
	}
	if s.Types != nil {
		ok := false
		for _, t := range s.Types {
			ok = ok || model.ValueHasType(v, t)
		}
		if !ok {
			return fail("type")
		}
	}
	if s.Const != nil && !s.Const.Equal(v) {
		return fail("const")
	}
	if s.Enum != nil {
		ok := false
		for _, e := range s.Enum {
			ok = ok || e.Equal(v)
		}
		if !ok {
			return fail("enum")
		}
	}
	var f *violation
	switch v.Kind {
	case schema.KindString:
		if kw := stringCheck(s, v.String, res); kw != "" {
			f = fail(kw)
		}
	case schema.KindNumber:
		if kw := numberCheck(s, v.Number.Rat()); kw != "" {
			f = fail(kw)
		}
	case schema.KindObject:
		f = objectCheck(s, v, res, ptr)
	case schema.KindArray:
		f = arrayCheck(s, v, res, ptr)
	}
	if f != nil {
		return f
	}
	if kw := applicatorsCheck(s, v, res); kw != "" {
		return fail(kw)
	}
	return nil
}

// checker is what schemaCheck keeps across calls: the compiled patterns,
// and the steps taken, which maxCheckSteps bounds; and whether "format" is
// asserted.
type checker struct {
	res     map[*schema.Pattern]*regexp.Regexp
	steps   int
	formats bool
}

// newChecker returns a checker that has taken no step, asserting "format"
// when formats is true.
func newChecker(formats bool) *checker {
	return &checker{res: map[*schema.Pattern]*regexp.Regexp{}, formats: formats}
}

// maxCheckSteps bounds the schemas a checker visits: a schema used twice
// in an "allOf" within one used twice, and so on, takes exponential time to
// check, so its values count as invalid (stepsKeyword) beyond the bound.
const maxCheckSteps = 1 << 20

// stepsKeyword is the keyword of the violation of a value that took more
// than maxCheckSteps to check.
const stepsKeyword = "(steps)"

// stringCheck returns the keyword of s that the string str fails, or "".
func stringCheck(s *schema.Schema, str string, res *checker) string {
	n := int64(utf8.RuneCountInString(str))
	switch {
	case s.MinLength != nil && n < *s.MinLength:
		return "minLength"
	case s.MaxLength != nil && n > *s.MaxLength:
		return "maxLength"
	case s.Pattern != nil && !compiled(s.Pattern, res).MatchString(str):
		return "pattern"
	case res.formats && !model.FormatValid(s.Format, str):
		return "format"
	}
	return ""
}

// compiled returns the compiled pattern p, caching it in res.
func compiled(p *schema.Pattern, res *checker) *regexp.Regexp {
	re, ok := res.res[p]
	if !ok {
		// The parser has compiled the pattern already.
		re = regexp.MustCompile(p.Go)
		res.res[p] = re
	}
	return re
}

// numberCheck returns the keyword of s that the number r fails, or "".
func numberCheck(s *schema.Schema, r *big.Rat) string {
	cmp := func(b *schema.Number) int { return r.Cmp(b.Rat()) }
	switch {
	case s.Minimum != nil && cmp(s.Minimum) < 0:
		return "minimum"
	case s.Maximum != nil && cmp(s.Maximum) > 0:
		return "maximum"
	case s.ExclusiveMinimum != nil && cmp(s.ExclusiveMinimum) <= 0:
		return "exclusiveMinimum"
	case s.ExclusiveMaximum != nil && cmp(s.ExclusiveMaximum) >= 0:
		return "exclusiveMaximum"
	case s.MultipleOf != nil && !new(big.Rat).Quo(r, s.MultipleOf.Rat()).IsInt():
		return "multipleOf"
	}
	return ""
}

// objectCheck returns the first violation of the object keywords of s by
// the object v at ptr, or nil.
func objectCheck(s *schema.Schema, v *schema.Value, res *checker, ptr string) *violation {
	fail := func(kw string) *violation { return &violation{pointer: ptr, keyword: kw, s: s, v: v} }
	n := int64(len(v.Members))
	if s.MinProperties != nil && n < *s.MinProperties {
		return fail("minProperties")
	}
	if s.MaxProperties != nil && n > *s.MaxProperties {
		return fail("maxProperties")
	}
	for _, r := range s.Required {
		if v.Get(r) == nil {
			return &violation{pointer: ptr + "/" + schema.EscapeToken(r), keyword: "required", s: s}
		}
	}
	for _, d := range s.DependentRequired {
		if v.Get(d.Property) == nil {
			continue
		}
		for _, r := range d.Required {
			if v.Get(r) == nil {
				return &violation{pointer: ptr + "/" + schema.EscapeToken(r), keyword: "dependentRequired", s: s}
			}
		}
	}
	for _, d := range s.DependentSchemas {
		if v.Get(d.Property) != nil {
			if f := schemaCheck(d.Schema, v, res, ptr); f != nil {
				return f
			}
		}
	}
	for _, m := range v.Members {
		mptr := ptr + "/" + schema.EscapeToken(m.Key)
		key := &schema.Value{Kind: schema.KindString, String: m.Key}
		if s.PropertyNames != nil && schemaCheck(s.PropertyNames, key, res, mptr) != nil {
			return &violation{pointer: mptr, keyword: "propertyNames", s: s, v: key}
		}
		matched := false
		for _, p := range s.Properties {
			if p.Name == m.Key {
				matched = true
				if f := schemaCheck(p.Schema, m.Value, res, mptr); f != nil {
					return f
				}
			}
		}
		for _, p := range s.PatternProperties {
			if compiled(p.Pattern, res).MatchString(m.Key) {
				matched = true
				if f := schemaCheck(p.Schema, m.Value, res, mptr); f != nil {
					return f
				}
			}
		}
		if !matched && s.AdditionalProperties != nil {
			if s.AdditionalProperties.IsFalse() {
				return &violation{pointer: mptr, keyword: "additionalProperties", s: s, v: m.Value}
			}
			if f := schemaCheck(s.AdditionalProperties, m.Value, res, mptr); f != nil {
				return f
			}
		}
	}
	return nil
}

// arrayCheck returns the first violation of the array keywords of s by
// the array v at ptr, or nil.
func arrayCheck(s *schema.Schema, v *schema.Value, res *checker, ptr string) *violation {
	fail := func(kw string) *violation { return &violation{pointer: ptr, keyword: kw, s: s, v: v} }
	n := int64(len(v.Array))
	if s.MinItems != nil && n < *s.MinItems {
		return fail("minItems")
	}
	if s.MaxItems != nil && n > *s.MaxItems {
		return fail("maxItems")
	}
	if s.UniqueItems {
		if f := uniqueViolation(s, v, ptr); f != nil {
			return f
		}
	}
	for i, e := range v.Array {
		sub := s.Items
		if i < len(s.PrefixItems) {
			sub = s.PrefixItems[i]
		}
		if sub != nil {
			if f := schemaCheck(sub, e, res, ptr+"/"+strconv.Itoa(i)); f != nil {
				return f
			}
		}
	}
	if s.Contains == nil {
		return nil
	}
	matches := int64(0)
	for _, e := range v.Array {
		if schemaValid(s.Contains, e, res) {
			matches++
		}
	}
	min, minKw := int64(1), "contains"
	if s.MinContains != nil {
		min, minKw = *s.MinContains, "minContains"
	}
	if matches < min {
		return fail(minKw)
	}
	if s.MaxContains != nil && matches > *s.MaxContains {
		return fail("maxContains")
	}
	return nil
}

// applicatorsCheck returns the applicator keyword of s that v fails, or "".
func applicatorsCheck(s *schema.Schema, v *schema.Value, res *checker) string {
	for _, a := range s.AllOf {
		if !schemaValid(a, v, res) {
			return "allOf"
		}
	}
	if s.AnyOf != nil {
		ok := false
		for _, a := range s.AnyOf {
			ok = ok || schemaValid(a, v, res)
		}
		if !ok {
			return "anyOf"
		}
	}
	if s.OneOf != nil {
		matches := 0
		for _, a := range s.OneOf {
			if schemaValid(a, v, res) {
				matches++
			}
		}
		if matches != 1 {
			return "oneOf"
		}
	}
	if s.Not != nil && schemaValid(s.Not, v, res) {
		return "not"
	}
	if s.If == nil {
		return ""
	}
	if schemaValid(s.If, v, res) {
		if s.Then != nil && !schemaValid(s.Then, v, res) {
			return "then"
		}
	} else if s.Else != nil && !schemaValid(s.Else, v, res) {
		return "else"
	}
	return ""
}

// genericValue returns a valid instance of a generic schema, or nil: its
// first valid example, default, const or enum value, else a value built
// for one of its types. depth bounds the recursion through subschemas.
func (sm *Sampler) genericValue(s *schema.Schema, key string, depth int) *schema.Value {
	if sm.stop.Stopped() {
		return nil
	}
	if sm.res == nil {
		sm.res = newChecker(sm.formats)
	}
	var cands []*schema.Value
	cands = append(cands, s.Examples...)
	if s.Default != nil {
		cands = append(cands, s.Default)
	}
	if s.Const != nil {
		cands = append(cands, s.Const)
	}
	cands = append(cands, s.Enum...)
	for _, c := range cands {
		if schemaValid(s, c, sm.res) {
			return c
		}
	}
	if depth > 8 {
		return nil
	}
	for _, c := range sm.genericCandidates(s, key, depth) {
		if schemaValid(s, c, sm.res) {
			return c
		}
	}
	return nil
}

// genericOther returns a valid instance of the generic schema s (nil for
// any value) equal to none of the values of others, or nil.
func (sm *Sampler) genericOther(s *schema.Schema, others []*schema.Value, depth int) *schema.Value {
	var cands []*schema.Value
	if s == nil {
		for i := 0; i <= len(others); i++ {
			cands = append(cands, numberValue(big.NewRat(int64(i), 1)))
		}
	} else if depth <= 8 {
		cands = sm.genericCandidates(s, "", depth)
		for _, t := range []schema.Type{schema.TypeString, schema.TypeInteger, schema.TypeNumber} {
			if s.Types == nil || slices.Contains(s.Types, t) {
				if t == schema.TypeString {
					for _, c := range stringVariants(s, "", len(others)+1) {
						cands = append(cands, stringValue(c))
					}
					continue
				}
				for _, r := range numberVariants(s, t == schema.TypeInteger, len(others)+1) {
					cands = append(cands, numberValue(r))
				}
			}
		}
	}
	for _, c := range cands {
		if (s == nil || schemaValid(s, c, sm.resCache())) && !hasDuplicate(append(append([]*schema.Value(nil), others...), c)) {
			return c
		}
	}
	return nil
}
