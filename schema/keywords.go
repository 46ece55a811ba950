package schema

import (
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/direktiv-fn/direktiv-fn/schema/suggest"
)

// annotations are keywords that change no verdict. They are accepted and,
// where the model has a field for them, recorded.
var annotations = map[string]bool{
	"$schema": true, "$id": true, "$anchor": true, "$comment": true, "title": true, "description": true,
	"default": true, "examples": true, "deprecated": true, "readOnly": true, "writeOnly": true,
}

// unsupported are keywords of the supported drafts that direktiv-fn does not
// implement, with a hint for the user.
var unsupported = map[string]string{
	"$dynamicRef":           "use a plain \"$ref\" instead",
	"$dynamicAnchor":        "use a plain \"$ref\" instead",
	"$recursiveRef":         "use a plain \"$ref\" instead",
	"$recursiveAnchor":      "use a plain \"$ref\" instead",
	"$vocabulary":           "remove it: only the standard vocabularies are supported",
	"unevaluatedProperties": "use \"additionalProperties\" instead",
	"unevaluatedItems":      "use \"items\" instead",
	"contentEncoding":       "remove it, or check the encoded content in the handler",
	"contentMediaType":      "remove it, or check the content in the handler",
	"contentSchema":         "remove it, or check the content in the handler",
}

// keyword parses one keyword k with value v into s; ptr is the keyword's
// JSON Pointer and base the enclosing resource's pointer.
func (p *parser) keyword(s *Schema, k, v *yaml.Node, ptr, base string) {
	name := k.Value
	d7 := p.draft == Draft7
	switch name {
	case "$ref":
		if str, ok := p.str(v, ptr); ok {
			s.Ref = &Ref{Raw: str}
			p.refs = append(p.refs, pendingRef{from: s, node: v, base: base})
		}
	case "$defs", "definitions":
		for _, m := range p.members(v, ptr) {
			s.Defs = append(s.Defs, &Def{Name: m.key.Value, Schema: p.schema(m.val, ptr+"/"+EscapeToken(m.key.Value), base)})
		}
	case "type":
		s.Types = p.types(v, ptr)
	case "enum":
		if v.Kind != yaml.SequenceNode {
			p.errorf(v, ptr, "\"enum\" must be an array of values, not %s", describe(v))
			return
		}
		s.Enum = []*Value{}
		for i, e := range v.Content {
			s.Enum = append(s.Enum, p.value(e, ptr+"/"+itoa(i)))
		}
	case "const":
		s.Const = p.value(v, ptr)
	case "properties":
		for _, m := range p.members(v, ptr) {
			s.Properties = append(s.Properties, &Property{Name: m.key.Value, Schema: p.schema(m.val, ptr+"/"+EscapeToken(m.key.Value), base)})
		}
	case "required":
		s.Required = p.strings(v, ptr)
	case "additionalProperties":
		s.AdditionalProperties = p.schema(v, ptr, base)
	case "patternProperties":
		for _, m := range p.members(v, ptr) {
			pat := p.pattern(m.key, m.key.Value, ptr)
			s.PatternProperties = append(s.PatternProperties, &PatternProperty{Pattern: pat, Schema: p.schema(m.val, ptr+"/"+EscapeToken(m.key.Value), base)})
		}
	case "propertyNames":
		s.PropertyNames = p.schema(v, ptr, base)
	case "minProperties":
		s.MinProperties = p.count(v, ptr, name)
	case "maxProperties":
		s.MaxProperties = p.count(v, ptr, name)
	case "dependentRequired":
		for _, m := range p.members(v, ptr) {
			s.DependentRequired = append(s.DependentRequired, &DependentRequired{Property: m.key.Value, Required: p.strings(m.val, ptr+"/"+EscapeToken(m.key.Value))})
		}
	case "dependentSchemas":
		for _, m := range p.members(v, ptr) {
			s.DependentSchemas = append(s.DependentSchemas, &DependentSchema{Property: m.key.Value, Schema: p.schema(m.val, ptr+"/"+EscapeToken(m.key.Value), base)})
		}
	case "dependencies":
		if !d7 {
			p.errorf(k, ptr, "\"dependencies\" is draft-07; in draft 2020-12 use \"dependentRequired\" or \"dependentSchemas\"")
			return
		}
		for _, m := range p.members(v, ptr) {
			mptr := ptr + "/" + EscapeToken(m.key.Value)
			if m.val.Kind == yaml.SequenceNode {
				s.DependentRequired = append(s.DependentRequired, &DependentRequired{Property: m.key.Value, Required: p.strings(m.val, mptr)})
			} else {
				s.DependentSchemas = append(s.DependentSchemas, &DependentSchema{Property: m.key.Value, Schema: p.schema(m.val, mptr, base)})
			}
		}
	case "prefixItems":
		if d7 {
			p.errorf(k, ptr, "\"prefixItems\" is draft 2020-12; in draft-07 write \"items\" as an array")
			return
		}
		s.PrefixItems = p.schemas(v, ptr, base)
	case "items":
		if v.Kind == yaml.SequenceNode {
			if !d7 {
				p.errorf(v, ptr, "in draft 2020-12 \"items\" is one schema; use \"prefixItems\" for a schema per position")
				return
			}
			s.PrefixItems = p.schemas(v, ptr, base)
			if s.PrefixItems == nil {
				s.PrefixItems = []*Schema{}
			}
			return
		}
		s.Items = p.schema(v, ptr, base)
	case "additionalItems":
		if !d7 {
			p.errorf(k, ptr, "\"additionalItems\" is draft-07; in draft 2020-12 \"items\" applies after \"prefixItems\"")
			return
		}
		// It only counts when "items" is an array; schema() applies it.
		p.additionalItems[s] = p.schema(v, ptr, base)
	case "contains":
		s.Contains = p.schema(v, ptr, base)
	case "minContains", "maxContains":
		if d7 {
			p.errorf(k, ptr, "%q is draft 2020-12; it is not part of draft-07", name)
			return
		}
		if name == "minContains" {
			s.MinContains = p.count(v, ptr, name)
		} else {
			s.MaxContains = p.count(v, ptr, name)
		}
	case "minItems":
		s.MinItems = p.count(v, ptr, name)
	case "maxItems":
		s.MaxItems = p.count(v, ptr, name)
	case "uniqueItems":
		if b, ok := p.boolean(v, ptr, name); ok {
			s.UniqueItems = b
		}
	case "minimum":
		s.Minimum = p.number(v, ptr, name)
	case "maximum":
		s.Maximum = p.number(v, ptr, name)
	case "exclusiveMinimum":
		s.ExclusiveMinimum = p.number(v, ptr, name)
	case "exclusiveMaximum":
		s.ExclusiveMaximum = p.number(v, ptr, name)
	case "multipleOf":
		if n := p.number(v, ptr, name); n != nil {
			if n.Rat().Sign() <= 0 {
				p.errorf(v, ptr, "\"multipleOf\" must be greater than 0, not %s", n.Lit)
				return
			}
			s.MultipleOf = n
		}
	case "minLength":
		s.MinLength = p.count(v, ptr, name)
	case "maxLength":
		s.MaxLength = p.count(v, ptr, name)
	case "pattern":
		if str, ok := p.str(v, ptr); ok {
			s.Pattern = p.pattern(v, str, ptr)
		}
	case "format":
		if str, ok := p.str(v, ptr); ok {
			s.Format = str
		}
	case "allOf":
		s.AllOf = p.nonEmptySchemas(v, ptr, base, name)
	case "anyOf":
		s.AnyOf = p.nonEmptySchemas(v, ptr, base, name)
	case "oneOf":
		s.OneOf = p.nonEmptySchemas(v, ptr, base, name)
	case "not":
		s.Not = p.schema(v, ptr, base)
	case "if":
		s.If = p.schema(v, ptr, base)
	case "then":
		s.Then = p.schema(v, ptr, base)
	case "else":
		s.Else = p.schema(v, ptr, base)
	case "title":
		s.Title, _ = p.str(v, ptr)
	case "description":
		s.Description, _ = p.str(v, ptr)
	case "default":
		s.Default = p.value(v, ptr)
	case "examples":
		if v.Kind != yaml.SequenceNode {
			p.errorf(v, ptr, "\"examples\" must be an array of values, not %s", describe(v))
			return
		}
		for i, e := range v.Content {
			s.Examples = append(s.Examples, p.value(e, ptr+"/"+itoa(i)))
		}
	case "deprecated":
		s.Deprecated, _ = p.boolean(v, ptr, name)
	case "readOnly":
		s.ReadOnly, _ = p.boolean(v, ptr, name)
	case "writeOnly":
		s.WriteOnly, _ = p.boolean(v, ptr, name)
	case "$schema":
		if ptr != "/$schema" {
			p.errorf(k, ptr, "\"$schema\" is only allowed at the root of the document")
		}
	case "$id", "$comment":
		p.str(v, ptr)
	case "$anchor":
		if d7 {
			p.errorf(k, ptr, "\"$anchor\" is draft 2020-12; in draft-07 write \"$id\": \"#name\"")
			return
		}
		p.str(v, ptr)
	default:
		switch {
		case strings.HasPrefix(name, "x-"):
			// Extension keywords are annotations by convention.
		case unsupported[name] != "":
			p.errorf(k, ptr, "keyword %q is not supported: %s", name, unsupported[name])
		default:
			msg := "unknown keyword %q: remove it, or prefix it with \"x-\" to keep it as an annotation"
			if near := nearest(name); near != "" {
				msg = "unknown keyword %q: did you mean \"" + near + "\"?"
			}
			p.errorf(k, ptr, msg, name)
		}
	}
}

// known lists every keyword the parser reads, for "did you mean".
func known() []string {
	names := []string{"$ref", "$defs", "definitions", "type", "enum", "const", "properties", "required",
		"additionalProperties", "patternProperties", "propertyNames", "minProperties", "maxProperties",
		"dependentRequired", "dependentSchemas", "dependencies", "prefixItems", "items", "additionalItems",
		"contains", "minContains", "maxContains", "minItems", "maxItems", "uniqueItems", "minimum", "maximum",
		"exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "pattern", "format",
		"allOf", "anyOf", "oneOf", "not", "if", "then", "else"}
	for a := range annotations {
		names = append(names, a)
	}
	sort.Strings(names)
	return names
}

// nearest returns the known keyword closest to name, if it is a likely typo
// (see suggest.Nearest).
func nearest(name string) string { return suggest.Nearest(name, known()) }
