package model

import (
	"sort"
	"strconv"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// AnyKind is the kind of a generic node: a schema with no natural Go type
// (several types, null, applicators, boolean schemas...). Its value is
// decoded as nil, bool, json.Number, string, []any or map[string]any, then
// validated by a generated check method over that value.
const AnyKind schema.Type = ""

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

// GNode is the generated check method of one schema, for generic values.
type GNode struct {
	// Schema is the schema checked.
	Schema *schema.Schema
	// Method is the name of the check method.
	Method string
	// Ref is the check of the "$ref" target, or nil.
	Ref *GNode
	// Types are the allowed instance types as inputTypeOf names them; nil
	// allows every type.
	Types []string
	// ConstVar and EnumVar hold the values of "const" and "enum", or nil.
	ConstVar *ValueVar
	EnumVar  *ValueVar
	// Pattern is "pattern", and Multiple the divisor of "multipleOf", or nil.
	Pattern  *PatternVar
	Multiple *MultipleVar
	// Format is the asserted "format", or "".
	Format string
	// Props check "properties", Patterns "patternProperties", Addl
	// "additionalProperties", Names "propertyNames" and Depends
	// "dependentSchemas".
	Props    []GProp
	Patterns []GPattern
	Addl     *GNode
	Names    *GNode
	Depends  []GProp
	// Prefix checks "prefixItems", Items "items" and Contains "contains".
	Prefix   []*GNode
	Items    *GNode
	Contains *GNode
	// AllOf, AnyOf, OneOf and Not check the applicators of those names, and
	// IfThen "if", "then" and "else".
	AllOf  []*GNode
	AnyOf  []*GNode
	OneOf  []*GNode
	Not    *GNode
	IfThen [3]*GNode
}

// GProp is a property name with the check of its value (or of the whole
// object, for "dependentSchemas").
type GProp struct {
	// Name is the property's name.
	Name string
	// G is the check.
	G *GNode
}

// GPattern is an entry of "patternProperties".
type GPattern struct {
	// V is the pattern's package-level variable.
	V *PatternVar
	// G is the check of the matching properties' values.
	G *GNode
}

// Trivial reports whether every value is valid: no method is generated and
// callers skip the check.
func (g *GNode) Trivial() bool {
	s := g.Schema
	if s.Bool != nil {
		return *s.Bool
	}
	if g.Format != "" {
		return false
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
	if s.Const != nil && !ValueHasType(s.Const, t) {
		return true
	}
	if s.Enum != nil {
		for _, v := range s.Enum {
			if ValueHasType(v, t) {
				return false
			}
		}
		return true
	}
	return false
}

// genericNode makes the node of a generic schema: its value is an `any`.
func (b *inputBuilder) genericNode(s *schema.Schema, ptr, hint, key string) *Node {
	n := &Node{Schema: s, ptr: ptr, Key: key, Kind: AnyKind, base: hint, GoType: "any", Formats: b.formats}
	if ptr == "" && key == "" {
		n.Named = b.namedType(s, hint, true)
		n.Named.Underlying = "any"
		n.GoType = n.Named.Name
		n.base = n.Named.Name
	}
	n.Method = Unique(b.methods, "decode"+n.base)
	b.nodes[s] = n
	b.order = append(b.order, n)
	n.Check = b.gcheck(s, n.base)
	return n
}

// gcheck returns the check of schema s, creating it and the checks of its
// subschemas on first use; base names it.
func (b *inputBuilder) gcheck(s *schema.Schema, base string) *GNode {
	if g, ok := b.gnodes[s]; ok {
		return g
	}
	g := &GNode{Schema: s}
	if _, ok := FormatTable[s.Format]; ok && b.formats {
		g.Format = s.Format
	}
	b.gnodes[s] = g
	if g.Trivial() {
		return g
	}
	g.Method = Unique(b.methods, "check"+base)
	b.gorder = append(b.gorder, g)
	sub := func(c *schema.Schema, suffix string) *GNode {
		if c == nil {
			return nil
		}
		return b.gcheck(c, base+suffix)
	}
	subs := func(cs []*schema.Schema, suffix string) []*GNode {
		var out []*GNode
		for i, c := range cs {
			out = append(out, sub(c, suffix+strconv.Itoa(i)))
		}
		return out
	}
	if s.Ref != nil {
		t, hint := s.Ref.Target, base+"Ref"
		if toks := strings.Split(t.Pointer, "/"); len(toks) >= 2 {
			if p := toks[len(toks)-2]; p == "$defs" || p == "definitions" {
				hint = config.GoName(pointerUnescaper.Replace(toks[len(toks)-1]))
			}
		}
		g.Ref = b.gcheck(t, hint)
	}
	if s.Types != nil {
		for _, t := range s.Types {
			g.Types = append(g.Types, string(t))
			if t == schema.TypeNumber {
				g.Types = append(g.Types, string(schema.TypeInteger))
			}
		}
		sort.Strings(g.Types)
	}
	if s.Const != nil && s.Const.Kind != schema.KindNull {
		g.ConstVar = b.valueVar("const"+base, s.Const, "the \"const\" of "+DocPointerOf(b.root, s.Pointer))
	}
	if s.Enum != nil {
		g.EnumVar = b.valueVar("enum"+base, &schema.Value{Kind: schema.KindArray, Array: s.Enum}, "the \"enum\" of "+DocPointerOf(b.root, s.Pointer))
	}
	if s.Pattern != nil {
		g.Pattern = b.patternVar(s, s.Pattern, "pattern"+base)
	}
	if s.MultipleOf != nil {
		g.Multiple = &MultipleVar{Name: b.pkgName("multipleOf" + base), Pointer: DocPointerOf(b.root, s.Pointer), Lit: s.MultipleOf.Lit}
		b.multiples = append(b.multiples, g.Multiple)
	}
	for _, p := range s.Properties {
		g.Props = append(g.Props, GProp{p.Name, sub(p.Schema, config.GoName(p.Name))})
	}
	for i, p := range s.PatternProperties {
		g.Patterns = append(g.Patterns, GPattern{b.patternVar(s, p.Pattern, "pattern"+base+"Key"+strconv.Itoa(i)), sub(p.Schema, "Pattern"+strconv.Itoa(i))})
	}
	g.Addl = sub(s.AdditionalProperties, "Additional")
	g.Names = sub(s.PropertyNames, "Names")
	for _, d := range s.DependentSchemas {
		g.Depends = append(g.Depends, GProp{d.Property, sub(d.Schema, "If"+config.GoName(d.Property))})
	}
	for i, p := range s.PrefixItems {
		g.Prefix = append(g.Prefix, sub(p, "Item"+strconv.Itoa(i)))
	}
	g.Items = sub(s.Items, "Item")
	g.Contains = sub(s.Contains, "Contains")
	g.AllOf = subs(s.AllOf, "AllOf")
	g.AnyOf = subs(s.AnyOf, "AnyOf")
	g.OneOf = subs(s.OneOf, "OneOf")
	g.Not = sub(s.Not, "Not")
	g.IfThen = [3]*GNode{sub(s.If, "If"), sub(s.Then, "Then"), sub(s.Else, "Else")}
	return g
}

// patternVar declares the compiled regular expression p of schema s.
func (b *inputBuilder) patternVar(s *schema.Schema, p *schema.Pattern, name string) *PatternVar {
	v := &PatternVar{Name: b.pkgName(name), Pointer: DocPointerOf(b.root, s.Pointer), Go: p.Go, Source: p.Source}
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
		return GoString(v.String)
	case schema.KindArray:
		elems := make([]string, len(v.Array))
		for i, e := range v.Array {
			elems[i] = anyLiteral(e)
		}
		return "[]any{" + strings.Join(elems, ", ") + "}"
	default:
		elems := make([]string, len(v.Members))
		for i, m := range v.Members {
			elems[i] = GoString(m.Key) + ": " + anyLiteral(m.Value)
		}
		return "map[string]any{" + strings.Join(elems, ", ") + "}"
	}
}

// AnyNumbers reports whether a value literal uses json.Number.
func AnyNumbers(values []*ValueVar) bool {
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
