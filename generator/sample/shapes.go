package sample

import (
	"slices"

	"github.com/direktiv-fn/direktiv-fn/schema"
)

// maxShapes bounds the schemas flatten collects for one value.
const maxShapes = 64

// flatten returns s and the schemas that apply, whole, to the same value
// as s: the targets of its "$ref" and the members of its "allOf", and
// theirs, each once, at most maxShapes. A sample of s must be valid
// against all of them, so the sampler builds it from all their keywords:
// {"allOf": [{"$ref": "#/$defs/recipients"}, {"minItems": 1}]} gets
// the items of the definition and at least one of them.
func flatten(s *schema.Schema) []*schema.Schema {
	out := []*schema.Schema{s}
	seen := map[*schema.Schema]bool{s: true}
	for i := 0; i < len(out) && len(out) < maxShapes; i++ {
		add := func(x *schema.Schema) {
			if x != nil && !seen[x] && len(out) < maxShapes {
				seen[x] = true
				out = append(out, x)
			}
		}
		if out[i].Ref != nil {
			add(out[i].Ref.Target)
		}
		for _, a := range out[i].AllOf {
			add(a)
		}
	}
	return out
}

// allOfSchema returns a schema valid exactly where every schema of ss is:
// the only one, or a schema made of an "allOf" of them (nil for none).
func allOfSchema(ss []*schema.Schema) *schema.Schema {
	ss = slices.Compact(slices.Clone(ss))
	for i := 0; i < len(ss); i++ {
		if slices.Contains(ss[:i], ss[i]) {
			ss = slices.Delete(ss, i, i+1)
			i--
		}
	}
	switch len(ss) {
	case 0:
		return nil
	case 1:
		return ss[0]
	}
	return &schema.Schema{AllOf: ss}
}

// allTypes is every JSON type, in the order values of them are tried.
var allTypes = []schema.Type{schema.TypeString, schema.TypeInteger, schema.TypeNumber, schema.TypeBoolean, schema.TypeNull, schema.TypeObject, schema.TypeArray}

// genericCandidates builds values to try for a generic schema: for each
// schema of the value (see flatten) and each schema it combines (anyOf,
// oneOf, if with then, else), their const, enum and example values, and
// values built for their types (the types the value's schemas allow, every
// type when they name none) from the keywords of all the value's schemas.
func (sm *Sampler) genericCandidates(s *schema.Schema, key string, depth int) []*schema.Value {
	shapes := flatten(s)
	types := allTypes
	for _, sh := range shapes {
		if sh.Types != nil {
			types = slices.DeleteFunc(slices.Clone(types), func(t schema.Type) bool {
				return !slices.Contains(sh.Types, t) && !(t == schema.TypeInteger && slices.Contains(sh.Types, schema.TypeNumber))
			})
		}
	}
	var branches []*schema.Schema
	for _, sh := range shapes {
		branches = append(branches, sh)
		branches = append(branches, sh.AnyOf...)
		branches = append(branches, sh.OneOf...)
		if sh.If != nil {
			// The "then" branch holds for values "if" accepts, "else"
			// for the others.
			if sh.Then != nil {
				branches = append(branches, allOfSchema([]*schema.Schema{sh.If, sh.Then}))
			} else {
				branches = append(branches, sh.If)
			}
			if sh.Else != nil {
				branches = append(branches, sh.Else)
			}
		}
	}
	var out []*schema.Value
	for _, b := range branches {
		if b.Bool != nil && b != s {
			continue
		}
		bs := flatten(b)
		for _, x := range bs {
			if x.Const != nil {
				out = append(out, x.Const)
			}
			out = append(out, x.Enum...)
			out = append(out, x.Examples...)
		}
		bt := types
		for _, x := range bs {
			if x.Types != nil {
				bt = x.Types
				break
			}
		}
		for _, t := range bt {
			out = append(out, sm.typeCandidates(t, append(bs, shapes...), key, depth)...)
		}
	}
	return out
}

// typeCandidates builds values of type t from the keywords of shapes, the
// first shape's keywords first.
func (sm *Sampler) typeCandidates(t schema.Type, shapes []*schema.Schema, key string, depth int) []*schema.Value {
	var out []*schema.Value
	switch t {
	case schema.TypeNull:
		out = append(out, &schema.Value{Kind: schema.KindNull})
	case schema.TypeBoolean:
		out = append(out, &schema.Value{Kind: schema.KindBool}, &schema.Value{Kind: schema.KindBool, Bool: true})
	case schema.TypeString:
		// A format's sample first: "example" would do where formats are
		// annotations, but says less.
		for _, sh := range shapes {
			if f, ok := formatSamples[sh.Format]; ok {
				out = append(out, &schema.Value{Kind: schema.KindString, String: f})
			}
		}
		for _, sh := range shapes {
			for _, c := range stringCandidates(sh, key) {
				out = append(out, &schema.Value{Kind: schema.KindString, String: c})
			}
		}
		// Others, for a "not" or "uniqueItems" that refuses the first.
		for _, c := range stringVariants(shapes[0], key, 4) {
			out = append(out, &schema.Value{Kind: schema.KindString, String: c})
		}
	case schema.TypeInteger, schema.TypeNumber:
		for _, sh := range shapes {
			for _, r := range numberCandidates(sh, t == schema.TypeInteger) {
				out = append(out, numberValue(r))
			}
		}
		for _, r := range numberVariants(shapes[0], t == schema.TypeInteger, 4) {
			out = append(out, numberValue(r))
		}
	case schema.TypeObject:
		if v := sm.genericObject(shapes, depth); v != nil {
			out = append(out, v)
		}
	case schema.TypeArray:
		if v := sm.genericArray(shapes, depth); v != nil {
			out = append(out, v)
		}
	}
	return out
}

// genericObject builds an object with the required properties of every
// shape, and those "dependentRequired" and "dependentSchemas" ask for once
// a property they name is present, each valued for the schemas of every
// shape that apply to it.
func (sm *Sampler) genericObject(shapes []*schema.Schema, depth int) *schema.Value {
	v := &schema.Value{Kind: schema.KindObject}
	shapes = slices.Clone(shapes)
	var required []string
	need := func(names ...string) {
		for _, r := range names {
			if !slices.Contains(required, r) {
				required = append(required, r)
			}
		}
	}
	for _, sh := range shapes {
		need(sh.Required...)
	}
	// Dependencies add properties, whose dependencies may add more:
	// bounded by the properties and schemas the object's shapes name.
	applied := map[*schema.Schema]bool{}
	for changed := true; changed && len(shapes) < maxShapes; {
		changed = false
		for i := 0; i < len(shapes) && len(shapes) < maxShapes; i++ {
			sh := shapes[i]
			for _, d := range sh.DependentRequired {
				if slices.Contains(required, d.Property) {
					n := len(required)
					need(d.Required...)
					changed = changed || len(required) > n
				}
			}
			for _, d := range sh.DependentSchemas {
				if slices.Contains(required, d.Property) && !applied[d.Schema] {
					applied[d.Schema] = true
					for _, x := range flatten(d.Schema) {
						shapes = append(shapes, x)
						need(x.Required...)
					}
					changed = true
				}
			}
		}
	}
	for _, r := range required {
		sub := propertySchema(shapes, r)
		pv := &schema.Value{Kind: schema.KindNull}
		if sub != nil {
			if pv = sm.genericValue(sub, r, depth+1); pv == nil {
				return nil
			}
		}
		v.Members = append(v.Members, &schema.Member{Key: r, Value: pv})
	}
	return v
}

// propertySchema returns the schema a member name of an object must be
// valid against under every shape: its "properties" schema, the
// "patternProperties" its name matches, or else "additionalProperties";
// nil when no shape constrains it.
func propertySchema(shapes []*schema.Schema, name string) *schema.Schema {
	var subs []*schema.Schema
	res := newChecker(false) // for its compiled patterns only
	for _, sh := range shapes {
		matched := false
		for _, p := range sh.Properties {
			if p.Name == name {
				matched = true
				subs = append(subs, p.Schema)
			}
		}
		for _, p := range sh.PatternProperties {
			if compiled(p.Pattern, res).MatchString(name) {
				matched = true
				subs = append(subs, p.Schema)
			}
		}
		if !matched && sh.AdditionalProperties != nil {
			subs = append(subs, sh.AdditionalProperties)
		}
	}
	return allOfSchema(subs)
}

// genericArray builds an array with the most items any shape's
// "minItems" asks for (one for a "contains"), each valid against the item
// schemas of every shape at its index, and different items for
// "uniqueItems".
func (sm *Sampler) genericArray(shapes []*schema.Schema, depth int) *schema.Value {
	v := &schema.Value{Kind: schema.KindArray, Array: []*schema.Value{}}
	count := 0
	unique := false
	var contains []*schema.Schema
	for _, sh := range shapes {
		if sh.MinItems != nil && *sh.MinItems <= 100 && int(*sh.MinItems) > count {
			count = int(*sh.MinItems)
		}
		if sh.Contains != nil {
			contains = append(contains, sh.Contains)
		}
		unique = unique || sh.UniqueItems
	}
	if len(contains) > 0 && count == 0 {
		count = 1
	}
	for i := 0; i < count; i++ {
		var subs []*schema.Schema
		for _, sh := range shapes {
			switch {
			case i < len(sh.PrefixItems):
				subs = append(subs, sh.PrefixItems[i])
			case sh.Items != nil:
				subs = append(subs, sh.Items)
			}
		}
		if i == 0 {
			// The first item satisfies every "contains".
			subs = append(subs, contains...)
		}
		sub := allOfSchema(subs)
		item := &schema.Value{Kind: schema.KindNull}
		if sub != nil {
			if item = sm.genericValue(sub, "", depth+1); item == nil {
				return nil
			}
		}
		if unique && hasDuplicate(append(v.Array, item)) {
			item = sm.genericOther(sub, v.Array, depth+1)
			if item == nil {
				return nil
			}
		}
		v.Array = append(v.Array, item)
	}
	return v
}
