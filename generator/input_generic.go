package generator

import (
	"sort"
	"strconv"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/schema"
)

// anyKind is the kind of a generic node: a schema with no natural Go type
// (several types, null, applicators, boolean schemas...). Its value is
// decoded as nil, bool, json.Number, string, []any or map[string]any, then
// validated by a generated check method over that value.
const anyKind schema.Type = ""

// ValueVar is a package-level JSON value of the schema, as a Go `any`,
// for "const" and "enum" on generic schemas.
type ValueVar struct {
	// Name is the variable's name.
	Name string
	// Doc is the doc comment's text.
	Doc string
	// Lit is the value's Go literal.
	Lit string
}

// gnode is the generated check method of one schema, for generic values.
type gnode struct {
	s      *schema.Schema
	method string
	ref    *gnode
	// types are the allowed instance types as inputTypeOf names them; nil
	// allows every type.
	types    []string
	constVar *ValueVar
	enumVar  *ValueVar
	pattern  *PatternVar
	multiple *MultipleVar
	props    []gprop
	patterns []gpattern
	addl     *gnode
	names    *gnode
	depends  []gprop
	prefix   []*gnode
	items    *gnode
	contains *gnode
	allOf    []*gnode
	anyOf    []*gnode
	oneOf    []*gnode
	not      *gnode
	ifThen   [3]*gnode
}

// gprop is a property name with the check of its value (or of the whole
// object, for "dependentSchemas").
type gprop struct {
	name string
	g    *gnode
}

// gpattern is an entry of "patternProperties".
type gpattern struct {
	v *PatternVar
	g *gnode
}

// trivial reports whether every value is valid: no method is generated and
// callers skip the check.
func (g *gnode) trivial() bool {
	s := g.s
	if s.Bool != nil {
		return *s.Bool
	}
	for _, k := range s.Keywords {
		if !annotationKeywords[k.Name] {
			return false
		}
	}
	return true
}

// needsGeneric reports whether schema s has no natural Go type.
func needsGeneric(s *schema.Schema) bool {
	t, _, ok := naturalType(s)
	if s.Ref != nil || s.Bool != nil || !ok {
		return true
	}
	for _, k := range s.Keywords {
		typed := typedKeywords[k.Name] || k.Name == "patternProperties" && structObject(s)
		if !typed && !residualKeyword(s, k.Name) {
			return true
		}
	}
	switch t {
	case schema.TypeObject:
		return s.Const != nil || s.Enum != nil || !declaresRequired(s)
	case schema.TypeArray:
		return s.Const != nil || s.Enum != nil
	}
	if s.Const != nil && !valueHasType(s.Const, t) {
		return true
	}
	if s.Enum != nil {
		for _, v := range s.Enum {
			if valueHasType(v, t) {
				return false
			}
		}
		return true
	}
	return false
}

// genericNode makes the node of a generic schema: its value is an `any`.
func (b *inputBuilder) genericNode(s *schema.Schema, ptr, hint, key string) *node {
	n := &node{s: s, ptr: ptr, key: key, kind: anyKind, base: hint, goType: "any"}
	if ptr == "" && key == "" {
		n.named = b.namedType(s, hint, true)
		n.named.Underlying = "any"
		n.goType = n.named.Name
		n.base = n.named.Name
	}
	n.method = unique(b.methods, "decode"+n.base)
	b.nodes[s] = n
	b.order = append(b.order, n)
	n.check = b.gcheck(s, n.base)
	return n
}

// gcheck returns the check of schema s, creating it and the checks of its
// subschemas on first use; base names it.
func (b *inputBuilder) gcheck(s *schema.Schema, base string) *gnode {
	if g, ok := b.gnodes[s]; ok {
		return g
	}
	g := &gnode{s: s}
	b.gnodes[s] = g
	if g.trivial() {
		return g
	}
	g.method = unique(b.methods, "check"+base)
	b.gorder = append(b.gorder, g)
	sub := func(c *schema.Schema, suffix string) *gnode {
		if c == nil {
			return nil
		}
		return b.gcheck(c, base+suffix)
	}
	subs := func(cs []*schema.Schema, suffix string) []*gnode {
		var out []*gnode
		for i, c := range cs {
			out = append(out, sub(c, suffix+strconv.Itoa(i)))
		}
		return out
	}
	if s.Ref != nil {
		t, hint := s.Ref.Target, base+"Ref"
		if toks := strings.Split(t.Pointer, "/"); len(toks) >= 2 {
			if p := toks[len(toks)-2]; p == "$defs" || p == "definitions" {
				hint = GoName(pointerUnescaper.Replace(toks[len(toks)-1]))
			}
		}
		g.ref = b.gcheck(t, hint)
	}
	if s.Types != nil {
		for _, t := range s.Types {
			g.types = append(g.types, string(t))
			if t == schema.TypeNumber {
				g.types = append(g.types, string(schema.TypeInteger))
			}
		}
		sort.Strings(g.types)
	}
	if s.Const != nil && s.Const.Kind != schema.KindNull {
		g.constVar = b.valueVar("const"+base, s.Const, "the \"const\" of "+docPointer(s.Pointer))
	}
	if s.Enum != nil {
		g.enumVar = b.valueVar("enum"+base, &schema.Value{Kind: schema.KindArray, Array: s.Enum}, "the \"enum\" of "+docPointer(s.Pointer))
	}
	if s.Pattern != nil {
		g.pattern = b.patternVar(s, s.Pattern, "pattern"+base)
	}
	if s.MultipleOf != nil {
		g.multiple = &MultipleVar{Name: b.pkgName("multipleOf" + base), Pointer: docPointer(s.Pointer), Lit: s.MultipleOf.Lit}
		b.multiples = append(b.multiples, g.multiple)
	}
	for _, p := range s.Properties {
		g.props = append(g.props, gprop{p.Name, sub(p.Schema, GoName(p.Name))})
	}
	for i, p := range s.PatternProperties {
		g.patterns = append(g.patterns, gpattern{b.patternVar(s, p.Pattern, "pattern"+base+"Key"+strconv.Itoa(i)), sub(p.Schema, "Pattern"+strconv.Itoa(i))})
	}
	g.addl = sub(s.AdditionalProperties, "Additional")
	g.names = sub(s.PropertyNames, "Names")
	for _, d := range s.DependentSchemas {
		g.depends = append(g.depends, gprop{d.Property, sub(d.Schema, "If"+GoName(d.Property))})
	}
	for i, p := range s.PrefixItems {
		g.prefix = append(g.prefix, sub(p, "Item"+strconv.Itoa(i)))
	}
	g.items = sub(s.Items, "Item")
	g.contains = sub(s.Contains, "Contains")
	g.allOf = subs(s.AllOf, "AllOf")
	g.anyOf = subs(s.AnyOf, "AnyOf")
	g.oneOf = subs(s.OneOf, "OneOf")
	g.not = sub(s.Not, "Not")
	g.ifThen = [3]*gnode{sub(s.If, "If"), sub(s.Then, "Then"), sub(s.Else, "Else")}
	return g
}

// patternVar declares the compiled regular expression p of schema s.
func (b *inputBuilder) patternVar(s *schema.Schema, p *schema.Pattern, name string) *PatternVar {
	v := &PatternVar{Name: b.pkgName(name), Pointer: docPointer(s.Pointer), Go: p.Go, Source: p.Source}
	b.patterns = append(b.patterns, v)
	return v
}

// valueVar declares a package-level JSON value.
func (b *inputBuilder) valueVar(name string, v *schema.Value, what string) *ValueVar {
	vv := &ValueVar{Name: b.pkgName(name), Lit: anyLiteral(v)}
	vv.Doc = vv.Name + " is " + what + "."
	b.values = append(b.values, vv)
	return vv
}

// anyLiteral returns the Go literal of a JSON value as decoded into an
// `any` by the runtime.
func anyLiteral(v *schema.Value) string {
	switch v.Kind {
	case schema.KindNull:
		return "nil"
	case schema.KindBool:
		return strconv.FormatBool(v.Bool)
	case schema.KindNumber:
		return "json.Number(" + strconv.Quote(v.Number.Lit) + ")"
	case schema.KindString:
		return goString(v.String)
	case schema.KindArray:
		elems := make([]string, len(v.Array))
		for i, e := range v.Array {
			elems[i] = anyLiteral(e)
		}
		return "[]any{" + strings.Join(elems, ", ") + "}"
	default:
		elems := make([]string, len(v.Members))
		for i, m := range v.Members {
			elems[i] = goString(m.Key) + ": " + anyLiteral(m.Value)
		}
		return "map[string]any{" + strings.Join(elems, ", ") + "}"
	}
}

// anyNumbers reports whether a value literal uses json.Number.
func anyNumbers(values []*ValueVar) bool {
	for _, v := range values {
		if strings.Contains(v.Lit, "json.Number(") {
			return true
		}
	}
	return false
}

// declaresRequired reports whether every required property of s is in its
// "properties".
func declaresRequired(s *schema.Schema) bool {
	for _, r := range s.Required {
		found := false
		for _, p := range s.Properties {
			found = found || p.Name == r
		}
		if !found {
			return false
		}
	}
	return true
}

// residualKeywords are the keywords that a typed schema may have beside
// its typed ones: the typed decoder ignores them, and a generic check of
// them runs on the value once it is decoded (see recheck in the runtime).
var residualKeywords = map[string]bool{
	"allOf": true, "anyOf": true, "oneOf": true, "not": true, "if": true, "then": true, "else": true,
	"dependentRequired": true, "dependentSchemas": true, "dependencies": true, "propertyNames": true,
	"patternProperties": true, "contains": true, "minContains": true, "maxContains": true,
}

// residualKeyword reports whether keyword kw of s can be checked on the
// side of a typed decoder: "patternProperties" only when no
// "additionalProperties" depends on it, and when a struct does not decode
// it itself.
func residualKeyword(s *schema.Schema, kw string) bool {
	if kw == "patternProperties" {
		ap := s.AdditionalProperties
		return !structObject(s) && (ap == nil || ap.IsTrue())
	}
	return residualKeywords[kw]
}

// residualView returns the schema made of the residual keywords of s only,
// or nil when it has none.
func residualView(s *schema.Schema) *schema.Schema {
	r := &schema.Schema{Pointer: s.Pointer, Pos: s.Pos}
	for _, k := range s.Keywords {
		if !typedKeywords[k.Name] && residualKeyword(s, k.Name) {
			r.Keywords = append(r.Keywords, k)
		}
	}
	if r.Keywords == nil {
		return nil
	}
	r.AllOf, r.AnyOf, r.OneOf, r.Not = s.AllOf, s.AnyOf, s.OneOf, s.Not
	r.If, r.Then, r.Else = s.If, s.Then, s.Else
	r.DependentRequired, r.DependentSchemas, r.PropertyNames = s.DependentRequired, s.DependentSchemas, s.PropertyNames
	r.PatternProperties = s.PatternProperties
	r.Contains, r.MinContains, r.MaxContains = s.Contains, s.MinContains, s.MaxContains
	return r
}
