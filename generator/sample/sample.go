// Package sample builds values of a model: the valid sample the workflow, the
// README and the tests show, the generated input tests (a case per keyword
// that can be broken), and the check of a value against its schema, which
// also refuses a "default" or an "examples" value that does not match.
package sample

import (
	"fmt"
	"math/big"
	"regexp/syntax"
	"strings"
	"unicode/utf8"

	"github.com/direktiv-fn/direktiv-fn/generator/model"
	"github.com/direktiv-fn/direktiv-fn/generator/regexgen"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// Sampler builds valid instances of a schema: for the workflow's action
// input, the README, the handler test and the generated input tests.
type Sampler struct {
	doc *schema.Document
	// stop ends the search early when its context is done.
	stop *model.Stopper
	// built counts the values built; beyond maxSampleValues the search
	// gives up, as a schema used twice within one used twice, and so on,
	// has only exponentially large values.
	built int
	// failed is the first schema no valid value could be built for.
	failed *model.Node
	// active are the nodes being built, to stop at recursive types.
	active map[*model.Node]bool
	// res caches the compiled patterns of generic schemas.
	res *checker
	// formats is true when "format" is asserted (model.AssertedFormat).
	formats bool
}

// New returns a sampler of doc's schemas, which asserts "format" when
// formats is true (as the model does); stop ends its work early.
func New(doc *schema.Document, stop *model.Stopper, formats bool) *Sampler {
	return &Sampler{doc: doc, stop: stop, formats: formats}
}

// maxSampleValues bounds the values the sampler builds.
const maxSampleValues = 1 << 18

// Sample returns the minimal valid instance of the schema at root: its
// first valid example, else its valid default, else a value built from the
// schema with the required properties only.
func (sm *Sampler) Sample(root *model.Node) (*schema.Value, error) {
	if v := sm.value(root, false); v != nil {
		return v, nil
	}
	if err := sm.stop.Check(); err != nil {
		return nil, err
	}
	if sm.built > maxSampleValues {
		return nil, schema.Diagnostics{{File: sm.doc.File, Pos: root.Schema.Pos, Pointer: root.Schema.Pointer,
			Message: fmt.Sprintf("cannot build a valid sample value: it would have more than %d values (a schema required several times within schemas required several times): add \"examples\" with a valid value, or simplify the schema", maxSampleValues)}}
	}
	s := sm.failed.Schema
	return nil, schema.Diagnostics{{
		File:    sm.doc.File,
		Pos:     s.Pos,
		Pointer: s.Pointer,
		Message: "cannot build a valid sample value for this schema (it may accept no value at all): add \"examples\" with a valid value",
	}}
}

// value returns a valid instance of the schema of n, or nil. With full,
// objects get all their properties and arrays at least one element (when
// allowed), so that every location of the schema is present.
func (sm *Sampler) value(n *model.Node, full bool) *schema.Value {
	if sm.built++; sm.stop.Stopped() || sm.built > maxSampleValues {
		if sm.failed == nil {
			sm.failed = n
		}
		return nil
	}
	switch {
	case sm.active[n] && !full:
		return nil // a required property that recurses: no finite value
	case sm.active[n]:
		full = false
	default:
		if sm.active == nil {
			sm.active = map[*model.Node]bool{}
		}
		sm.active[n] = true
		defer delete(sm.active, n)
	}
	if n.Kind == model.AnyKind {
		v := sm.genericValue(n.Schema, n.Key, 0)
		if v == nil && sm.failed == nil {
			sm.failed = n
		}
		return v
	}
	if n.Kind == model.UnionKind {
		return sm.unionValue(n, full)
	}
	scalar := n.Kind != schema.TypeObject && n.Kind != schema.TypeArray
	if !full || scalar {
		for _, ex := range n.Schema.Examples {
			if len(checkValue(n, ex, "")) == 0 {
				return ex
			}
		}
		if d := n.Schema.Default; d != nil && len(checkValue(n, d, "")) == 0 {
			return d
		}
	}
	v := sm.build(n, full)
	if (v == nil || len(checkValue(n, v, "")) > 0) && n.Nullable {
		v = &schema.Value{Kind: schema.KindNull}
	}
	if (v == nil || len(checkValue(n, v, "")) > 0) && n.Residual != nil {
		// The residual keywords (anyOf, if...) may need what the typed ones
		// do not ask for.
		v = sm.genericValue(n.Schema, n.Key, 0)
	}
	if v == nil || len(checkValue(n, v, "")) > 0 {
		if sm.failed == nil {
			sm.failed = n
		}
		return nil
	}
	return v
}

// build constructs a value for n from its constraints.
func (sm *Sampler) build(n *model.Node, full bool) *schema.Value {
	s := n.Schema
	if n.ConstVal != nil {
		return n.ConstVal
	}
	if n.Enum != nil && n.Kind != schema.TypeObject && n.Kind != schema.TypeArray {
		for _, e := range n.Enum {
			if len(checkValue(n, e, "")) == 0 {
				return e
			}
		}
		return nil
	}
	switch n.Kind {
	case schema.TypeObject:
		return sm.object(n, full)
	case schema.TypeArray:
		return sm.array(n, full)
	case schema.TypeString:
		for _, c := range stringCandidates(s, n.Key) {
			v := &schema.Value{Kind: schema.KindString, String: c}
			if len(checkValue(n, v, "")) == 0 {
				return v
			}
		}
		return nil
	case schema.TypeInteger, schema.TypeNumber:
		for _, r := range numberCandidates(s, n.Kind == schema.TypeInteger) {
			v := numberValue(r)
			if len(checkValue(n, v, "")) == 0 {
				return v
			}
		}
		return nil
	default:
		return &schema.Value{Kind: schema.KindBool}
	}
}

// object constructs an object value for the object node n: its required
// properties (every property and a member per pattern when full), and the
// additional members "minProperties" asks for (one more when full).
func (sm *Sampler) object(n *model.Node, full bool) *schema.Value {
	s := n.Schema
	v := &schema.Value{Kind: schema.KindObject}
	for _, p := range n.Props {
		if !p.Required && !full {
			continue
		}
		pv := sm.propValue(p, full)
		if pv == nil {
			return nil
		}
		v.Members = append(v.Members, &schema.Member{Key: p.Name, Value: pv})
	}
	if full {
		for _, pt := range n.Patterns {
			key, ok := patternKey(pt)
			if !ok || model.FindProp(n, key) != nil || v.Get(key) != nil {
				continue
			}
			if pv := sm.value(pt.Node, full); pv != nil {
				v.Members = append(v.Members, &schema.Member{Key: key, Value: pv})
			}
		}
	}
	if n.Addl == nil {
		return v
	}
	count := 0
	if s.MinProperties != nil && *s.MinProperties <= 100 {
		count = int(*s.MinProperties) - len(v.Members)
	}
	if full && count < 1 && (s.MaxProperties == nil || int(*s.MaxProperties) > len(v.Members)) {
		count = 1
	}
	if count > 0 {
		av := sm.value(n.Addl, full)
		if av == nil {
			return nil
		}
		for i, added := 1, 0; added < count && i < 1000; i++ {
			key := fmt.Sprintf("key%d", i)
			if model.FindProp(n, key) != nil || model.MatchesPattern(n, key) || v.Get(key) != nil {
				continue
			}
			v.Members = append(v.Members, &schema.Member{Key: key, Value: av})
			added++
		}
	}
	return v
}

// array constructs an array value for the array node n: "minItems" copies
// of a sample item (at least one when full), or different items for
// "uniqueItems".
func (sm *Sampler) array(n *model.Node, full bool) *schema.Value {
	s := n.Schema
	count := int64(0)
	if s.MinItems != nil {
		count = *s.MinItems
	}
	if full && count == 0 && (s.MaxItems == nil || *s.MaxItems > 0) {
		count = 1
	}
	v := &schema.Value{Kind: schema.KindArray, Array: []*schema.Value{}}
	if count == 0 {
		return v
	}
	if count > 1000 {
		return nil
	}
	if s.UniqueItems && count > 1 {
		v.Array = sm.distinctValues(n.Item, int(count), full)
		if v.Array == nil {
			return nil
		}
		return v
	}
	item := sm.value(n.Item, full)
	if item == nil {
		return nil
	}
	for i := int64(0); i < count; i++ {
		v.Array = append(v.Array, item)
	}
	return v
}

// patternKey returns a property name that the pattern of pt matches.
func patternKey(pt *model.PatternProp) (string, bool) {
	re, err := syntax.Parse(pt.V.Go, syntax.Perl)
	if err != nil {
		return "", false
	}
	key, ok := regexgen.Sample(re.Simplify(), 1)
	return key, ok && pt.Re.MatchString(key)
}

// numberValue returns a number value of r.
func numberValue(r *big.Rat) *schema.Value {
	lit := r.RatString()
	if !r.IsInt() {
		f, _ := r.Float64()
		lit = model.FormatFloat(f)
	}
	return &schema.Value{Kind: schema.KindNumber, Number: schema.Number{Lit: lit}}
}

// numberCandidates returns numbers to try, in order of preference, as a
// sample of a numeric schema: 0, then values at and near its bounds, and
// multiples of its "multipleOf" near them; integral for integers.
func numberCandidates(s *schema.Schema, integer bool) []*big.Rat {
	one := big.NewRat(1, 1)
	var marks []*big.Rat
	for _, b := range []*schema.Number{s.Minimum, s.ExclusiveMinimum, s.Maximum, s.ExclusiveMaximum} {
		if b != nil {
			marks = append(marks, b.Rat())
		}
	}
	out := []*big.Rat{new(big.Rat)}
	for _, m := range marks {
		out = append(out, m, new(big.Rat).Add(m, one), new(big.Rat).Sub(m, one))
	}
	for i := range marks {
		for j := i + 1; j < len(marks); j++ {
			mid := new(big.Rat).Add(marks[i], marks[j])
			out = append(out, mid.Quo(mid, big.NewRat(2, 1)))
		}
	}
	if s.MultipleOf != nil {
		k := s.MultipleOf.Rat()
		for _, r := range append([]*big.Rat(nil), out...) {
			q := floorRat(new(big.Rat).Quo(r, k))
			for _, c := range []*big.Rat{q, new(big.Rat).Add(q, one), new(big.Rat).Sub(q, one)} {
				out = append(out, c.Mul(c, k))
			}
		}
	}
	if integer {
		for i, r := range out {
			if !r.IsInt() {
				out[i] = ceilRat(r)
				out = append(out, floorRat(r))
			}
		}
	}
	return out
}

// floorRat returns the largest integer <= r.
func floorRat(r *big.Rat) *big.Rat {
	// The denominator is positive, so Euclidean division floors.
	q := new(big.Int).Div(r.Num(), r.Denom())
	return new(big.Rat).SetInt(q)
}

// ceilRat returns the smallest integer >= r.
func ceilRat(r *big.Rat) *big.Rat {
	f := floorRat(new(big.Rat).Neg(r))
	return f.Neg(f)
}

// stringCandidates returns strings to try, in order of preference, as a
// sample of a string schema: the sample of its "format" (see
// formatSamples), the property name, then strings generated from the
// pattern, each fitted to the length bounds.
func stringCandidates(s *schema.Schema, key string) []string {
	minLen, maxLen := 0, -1
	if s.MinLength != nil && *s.MinLength < 1000 {
		minLen = int(*s.MinLength)
	}
	if s.MaxLength != nil && *s.MaxLength < 1<<20 {
		maxLen = int(*s.MaxLength)
	}
	fit := func(c string) string {
		for utf8.RuneCountInString(c) < minLen {
			c += "a"
		}
		if maxLen >= 0 && utf8.RuneCountInString(c) > maxLen {
			c = string([]rune(c)[:maxLen])
		}
		return c
	}
	name := key
	if name == "" {
		name = "example"
	}
	out := []string{fit(name)}
	if f, ok := formatSamples[s.Format]; ok {
		out = []string{f, fit(name)}
	}
	if s.Pattern != nil {
		if re, err := syntax.Parse(s.Pattern.Go, syntax.Perl); err == nil {
			re = re.Simplify()
			for _, need := range []int{0, minLen} {
				if c, ok := regexgen.Sample(re, need); ok {
					out = append(out, c, fit(c))
				}
			}
			if c, ok := regexgen.OfLength(re, minLen, maxLen); ok {
				out = append(out, c)
			}
		}
	}
	return append(out, strings.Repeat("a", minLen), strings.Repeat("0", minLen))
}

// unionValue returns a valid instance of union node n: its first valid
// example, else its valid default, else the value of its first branch that
// has one.
func (sm *Sampler) unionValue(n *model.Node, full bool) *schema.Value {
	var vs []*schema.Value
	vs = append(vs, n.Schema.Examples...)
	if n.Schema.Default != nil {
		vs = append(vs, n.Schema.Default)
	}
	for _, v := range vs {
		if len(checkValue(n, v, "")) == 0 {
			return v
		}
	}
	for _, br := range n.Union.Branches {
		if v := sm.value(br.Node, full); v != nil && len(checkValue(n, v, "")) == 0 {
			return v
		}
	}
	if sm.failed == nil {
		sm.failed = n
	}
	return nil
}
