package sample

import (
	"math/big"
	"strconv"
	"unicode/utf8"

	"github.com/direktiv-fn/direktiv-fn/generator/model"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// distinctValues returns count different valid values of the schema of n,
// for the items of an array with "uniqueItems", or nil when it finds
// fewer. full is as for value.
func (sm *Sampler) distinctValues(n *model.Node, count int, full bool) []*schema.Value {
	var out []*schema.Value
	add := func(v *schema.Value) bool {
		if v == nil || !sm.valid(n, v) {
			return false
		}
		for _, w := range out {
			if w.Equal(v) {
				return false
			}
		}
		out = append(out, v)
		return len(out) == count
	}
	if add(sm.value(n, full)) {
		return out
	}
	for _, v := range sm.variants(n, count, full) {
		if add(v) {
			return out
		}
	}
	return nil
}

// valid reports whether v is a valid value of the schema of n.
func (sm *Sampler) valid(n *model.Node, v *schema.Value) bool {
	if n.Kind == model.AnyKind {
		return schemaValid(n.Schema, v, sm.resCache())
	}
	return len(checkValue(n, v, "")) == 0
}

// resCache returns the cache of compiled patterns of generic schemas.
func (sm *Sampler) resCache() *checker {
	if sm.res == nil {
		sm.res = newChecker(sm.formats)
	}
	return sm.res
}

// variants returns candidate values of the schema of n beside its sample,
// at least count of them when the schema allows that many: the values
// distinctValues picks from.
func (sm *Sampler) variants(n *model.Node, count int, full bool) []*schema.Value {
	var out []*schema.Value
	if n.Nullable {
		out = append(out, &schema.Value{Kind: schema.KindNull})
	}
	s := n.Schema
	out = append(out, s.Examples...)
	if n.Kind == model.AnyKind {
		return append(out, sm.genericCandidates(s, n.Key, 0)...)
	}
	if n.Kind == model.UnionKind {
		for _, br := range n.Union.Branches {
			if v := sm.value(br.Node, full); v != nil {
				out = append(out, v)
			}
			out = append(out, sm.variants(br.Node, count, full)...)
		}
		return out
	}
	if n.Enum != nil {
		return append(out, n.Enum...)
	}
	switch n.Kind {
	case schema.TypeBoolean:
		out = append(out, &schema.Value{Kind: schema.KindBool}, &schema.Value{Kind: schema.KindBool, Bool: true})
	case schema.TypeString:
		for _, c := range stringVariants(s, n.Key, count) {
			out = append(out, stringValue(c))
		}
	case schema.TypeInteger, schema.TypeNumber:
		for _, r := range numberVariants(s, n.Kind == schema.TypeInteger, count) {
			out = append(out, numberValue(r))
		}
	case schema.TypeObject:
		base := sm.value(n, full)
		if base == nil {
			return out
		}
		// Vary one property at a time, the required ones first.
		for _, required := range []bool{true, false} {
			for _, p := range n.Props {
				if p.Required != required {
					continue
				}
				for _, pv := range sm.distinctValues(p.Node, count, false) {
					out = append(out, withMember(base, p.Name, pv))
				}
				if len(out) > count {
					return out
				}
			}
		}
	case schema.TypeArray:
		base := sm.value(n, full)
		if base == nil {
			return out
		}
		for _, iv := range sm.distinctValues(n.Item, count, false) {
			a := &schema.Value{Kind: schema.KindArray, Array: append([]*schema.Value{iv}, base.Array...)}
			if len(base.Array) > 0 {
				a.Array = append([]*schema.Value{iv}, base.Array[1:]...)
			}
			out = append(out, a)
		}
	}
	return out
}

// withMember returns a copy of the object v with the member key set to
// value.
func withMember(v *schema.Value, key string, value *schema.Value) *schema.Value {
	c := *v
	c.Members = nil
	set := false
	for _, m := range v.Members {
		if m.Key == key {
			m = &schema.Member{Key: key, Value: value}
			set = true
		}
		c.Members = append(c.Members, m)
	}
	if !set {
		c.Members = append(c.Members, &schema.Member{Key: key, Value: value})
	}
	return &c
}

// stringVariants returns different strings to try for a string schema:
// its usual candidates, then each with a numeric or alphabetic suffix,
// fitted to the length bounds.
func stringVariants(s *schema.Schema, key string, count int) []string {
	maxLen := -1
	if s.MaxLength != nil && *s.MaxLength < 1<<20 {
		maxLen = int(*s.MaxLength)
	}
	with := func(c, suffix string) string {
		r := []rune(c)
		if maxLen >= 0 && len(r)+utf8.RuneCountInString(suffix) > maxLen {
			keep := maxLen - utf8.RuneCountInString(suffix)
			if keep < 0 {
				return ""
			}
			r = r[:keep]
		}
		return string(r) + suffix
	}
	var out []string
	for i := 0; i <= count; i++ {
		if f, ok := formatVariant(s.Format, i); ok {
			out = append(out, f)
		}
	}
	bases := stringCandidates(s, key)
	for i := 1; i <= count+1; i++ {
		for _, c := range bases {
			out = append(out, with(c, strconv.Itoa(i+1)), with(c, letters(i)))
		}
	}
	return out
}

// letters returns the i-th (from 1) string of lowercase letters: "b", "c",
// ... "z", "ba", "bb"...
func letters(i int) string {
	var b []byte
	for i > 0 {
		b = append([]byte{byte('a' + i%26)}, b...)
		i /= 26
	}
	return string(b)
}

// numberVariants returns numbers to try for a numeric schema: its usual
// candidates, then steps of its "multipleOf" (or of 1) up from its lower
// bound and down from its upper bound, then fractions between the bounds.
func numberVariants(s *schema.Schema, integer bool, count int) []*big.Rat {
	out := numberCandidates(s, integer)
	step := big.NewRat(1, 1)
	if s.MultipleOf != nil {
		step = s.MultipleOf.Rat()
	}
	var lo, hi *big.Rat
	for _, b := range []*schema.Number{s.Minimum, s.ExclusiveMinimum} {
		if b != nil && (lo == nil || b.Rat().Cmp(lo) > 0) {
			lo = b.Rat()
		}
	}
	for _, b := range []*schema.Number{s.Maximum, s.ExclusiveMaximum} {
		if b != nil && (hi == nil || b.Rat().Cmp(hi) < 0) {
			hi = b.Rat()
		}
	}
	from := func(start *big.Rat, dir int64) {
		// The multiple of step at or beyond start, then the next ones.
		q := floorRat(new(big.Rat).Quo(start, step))
		for i := int64(0); i <= int64(count)+1; i++ {
			k := new(big.Rat).Add(q, big.NewRat(i*dir, 1))
			out = append(out, k.Mul(k, step))
		}
		k := new(big.Rat).Sub(q, big.NewRat(dir, 1))
		out = append(out, k.Mul(k, step))
	}
	switch {
	case lo != nil:
		from(lo, 1)
	case hi != nil:
		from(hi, -1)
	default:
		from(new(big.Rat), 1)
	}
	if hi != nil && lo != nil {
		from(hi, -1)
	}
	if !integer && lo != nil && hi != nil && s.MultipleOf == nil {
		width := new(big.Rat).Sub(hi, lo)
		for i := int64(1); i <= int64(count)+1; i++ {
			f := new(big.Rat).Mul(width, big.NewRat(i, int64(count)+2))
			out = append(out, f.Add(f, lo))
		}
	}
	if integer {
		var ints []*big.Rat
		for _, r := range out {
			if r.IsInt() {
				ints = append(ints, r)
			}
		}
		out = ints
	}
	return out
}
