package schema

import (
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/direktiv-fn/direktiv-fn/schema/suggest"
)

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
	if parse, ok := keywords[name]; ok {
		parse(p, s, kwArg{name: name, k: k, v: v, ptr: ptr, base: base})
		return
	}
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

// kwArg is one keyword being parsed: its name, its key and value nodes, its
// JSON Pointer, and the enclosing resource's pointer.
type kwArg struct {
	name      string
	k, v      *yaml.Node
	ptr, base string
}

// parseKeyword parses one keyword into s.
type parseKeyword func(p *parser, s *Schema, a kwArg)

// keywords maps every keyword the parser reads, annotations included, to
// its parser: keyword dispatches on it and "did you mean" suggests from
// it. It is filled in init, as the parsers of applicators parse
// subschemas, which look keywords up here.
var keywords map[string]parseKeyword

func init() {
	keywords = map[string]parseKeyword{
		"$ref":        (*parser).kwRef,
		"$defs":       (*parser).kwDefs,
		"definitions": (*parser).kwDefs,
		"type":        func(p *parser, s *Schema, a kwArg) { s.Types = p.types(a.v, a.ptr) },
		"enum":        (*parser).kwEnum,
		"const":       func(p *parser, s *Schema, a kwArg) { s.Const = p.value(a.v, a.ptr) },

		"properties":           (*parser).kwProperties,
		"required":             func(p *parser, s *Schema, a kwArg) { s.Required = p.strings(a.v, a.ptr) },
		"additionalProperties": subschema(func(s *Schema) **Schema { return &s.AdditionalProperties }),
		"patternProperties":    (*parser).kwPatternProperties,
		"propertyNames":        subschema(func(s *Schema) **Schema { return &s.PropertyNames }),
		"minProperties":        count(func(s *Schema) **int64 { return &s.MinProperties }),
		"maxProperties":        count(func(s *Schema) **int64 { return &s.MaxProperties }),
		"dependentRequired":    (*parser).kwDependentRequired,
		"dependentSchemas":     (*parser).kwDependentSchemas,
		"dependencies":         (*parser).kwDependencies,

		"prefixItems":     (*parser).kwPrefixItems,
		"items":           (*parser).kwItems,
		"additionalItems": (*parser).kwAdditionalItems,
		"contains":        subschema(func(s *Schema) **Schema { return &s.Contains }),
		"minContains":     since2020(count(func(s *Schema) **int64 { return &s.MinContains })),
		"maxContains":     since2020(count(func(s *Schema) **int64 { return &s.MaxContains })),
		"minItems":        count(func(s *Schema) **int64 { return &s.MinItems }),
		"maxItems":        count(func(s *Schema) **int64 { return &s.MaxItems }),
		"uniqueItems": func(p *parser, s *Schema, a kwArg) {
			if b, ok := p.boolean(a.v, a.ptr, a.name); ok {
				s.UniqueItems = b
			}
		},

		"minimum":          number(func(s *Schema) **Number { return &s.Minimum }),
		"maximum":          number(func(s *Schema) **Number { return &s.Maximum }),
		"exclusiveMinimum": number(func(s *Schema) **Number { return &s.ExclusiveMinimum }),
		"exclusiveMaximum": number(func(s *Schema) **Number { return &s.ExclusiveMaximum }),
		"multipleOf":       (*parser).kwMultipleOf,

		"minLength": count(func(s *Schema) **int64 { return &s.MinLength }),
		"maxLength": count(func(s *Schema) **int64 { return &s.MaxLength }),
		"pattern": func(p *parser, s *Schema, a kwArg) {
			if str, ok := p.str(a.v, a.ptr); ok {
				s.Pattern = p.pattern(a.v, str, a.ptr)
			}
		},
		"format": func(p *parser, s *Schema, a kwArg) {
			if str, ok := p.str(a.v, a.ptr); ok {
				s.Format = str
			}
		},

		"allOf": func(p *parser, s *Schema, a kwArg) { s.AllOf = p.nonEmptySchemas(a.v, a.ptr, a.base, a.name) },
		"anyOf": func(p *parser, s *Schema, a kwArg) { s.AnyOf = p.nonEmptySchemas(a.v, a.ptr, a.base, a.name) },
		"oneOf": func(p *parser, s *Schema, a kwArg) { s.OneOf = p.nonEmptySchemas(a.v, a.ptr, a.base, a.name) },
		"not":   subschema(func(s *Schema) **Schema { return &s.Not }),
		"if":    subschema(func(s *Schema) **Schema { return &s.If }),
		"then":  subschema(func(s *Schema) **Schema { return &s.Then }),
		"else":  subschema(func(s *Schema) **Schema { return &s.Else }),

		"title":       func(p *parser, s *Schema, a kwArg) { s.Title, _ = p.str(a.v, a.ptr) },
		"description": func(p *parser, s *Schema, a kwArg) { s.Description, _ = p.str(a.v, a.ptr) },
		"default":     func(p *parser, s *Schema, a kwArg) { s.Default = p.value(a.v, a.ptr) },
		"examples":    (*parser).kwExamples,
		"deprecated":  func(p *parser, s *Schema, a kwArg) { s.Deprecated, _ = p.boolean(a.v, a.ptr, a.name) },
		"readOnly":    func(p *parser, s *Schema, a kwArg) { s.ReadOnly, _ = p.boolean(a.v, a.ptr, a.name) },
		"writeOnly":   func(p *parser, s *Schema, a kwArg) { s.WriteOnly, _ = p.boolean(a.v, a.ptr, a.name) },
		"$schema": func(p *parser, s *Schema, a kwArg) {
			if a.ptr != "/$schema" {
				p.errorf(a.k, a.ptr, "\"$schema\" is only allowed at the root of the document")
			}
		},
		"$id":      func(p *parser, s *Schema, a kwArg) { p.str(a.v, a.ptr) },
		"$comment": func(p *parser, s *Schema, a kwArg) { p.str(a.v, a.ptr) },
		"$anchor": func(p *parser, s *Schema, a kwArg) {
			if p.draft == Draft7 {
				p.errorf(a.k, a.ptr, "\"$anchor\" is draft 2020-12; in draft-07 write \"$id\": \"#name\"")
				return
			}
			p.str(a.v, a.ptr)
		},
	}
}

// subschema parses a keyword whose value is one schema into the field at.
func subschema(at func(*Schema) **Schema) parseKeyword {
	return func(p *parser, s *Schema, a kwArg) { *at(s) = p.schema(a.v, a.ptr, a.base) }
}

// count parses a keyword whose value is a non-negative integer into the
// field at.
func count(at func(*Schema) **int64) parseKeyword {
	return func(p *parser, s *Schema, a kwArg) { *at(s) = p.count(a.v, a.ptr, a.name) }
}

// number parses a keyword whose value is a number into the field at.
func number(at func(*Schema) **Number) parseKeyword {
	return func(p *parser, s *Schema, a kwArg) { *at(s) = p.number(a.v, a.ptr, a.name) }
}

// since2020 refuses a keyword of draft 2020-12 in a draft-07 document, and
// parses it with parse otherwise.
func since2020(parse parseKeyword) parseKeyword {
	return func(p *parser, s *Schema, a kwArg) {
		if p.draft == Draft7 {
			p.errorf(a.k, a.ptr, "%q is draft 2020-12; it is not part of draft-07", a.name)
			return
		}
		parse(p, s, a)
	}
}

// kwRef parses "$ref"; the reference is resolved once the document is read.
func (p *parser) kwRef(s *Schema, a kwArg) {
	if str, ok := p.str(a.v, a.ptr); ok {
		s.Ref = &Ref{Raw: str}
		p.refs = append(p.refs, pendingRef{from: s, node: a.v, base: a.base})
	}
}

// kwDefs parses "$defs" and draft-07's "definitions".
func (p *parser) kwDefs(s *Schema, a kwArg) {
	for _, m := range p.members(a.v, a.ptr) {
		s.Defs = append(s.Defs, &Def{Name: m.key.Value, Schema: p.schema(m.val, a.ptr+"/"+EscapeToken(m.key.Value), a.base)})
	}
}

// kwEnum parses "enum": an array of values.
func (p *parser) kwEnum(s *Schema, a kwArg) {
	if a.v.Kind != yaml.SequenceNode {
		p.errorf(a.v, a.ptr, "\"enum\" must be an array of values, not %s", describe(a.v))
		return
	}
	s.Enum = []*Value{}
	for i, e := range a.v.Content {
		s.Enum = append(s.Enum, p.value(e, a.ptr+"/"+itoa(i)))
	}
}

// kwExamples parses "examples": an array of values.
func (p *parser) kwExamples(s *Schema, a kwArg) {
	if a.v.Kind != yaml.SequenceNode {
		p.errorf(a.v, a.ptr, "\"examples\" must be an array of values, not %s", describe(a.v))
		return
	}
	for i, e := range a.v.Content {
		s.Examples = append(s.Examples, p.value(e, a.ptr+"/"+itoa(i)))
	}
}

// kwProperties parses "properties".
func (p *parser) kwProperties(s *Schema, a kwArg) {
	for _, m := range p.members(a.v, a.ptr) {
		s.Properties = append(s.Properties, &Property{Name: m.key.Value, Schema: p.schema(m.val, a.ptr+"/"+EscapeToken(m.key.Value), a.base)})
	}
}

// kwPatternProperties parses "patternProperties".
func (p *parser) kwPatternProperties(s *Schema, a kwArg) {
	for _, m := range p.members(a.v, a.ptr) {
		pat := p.pattern(m.key, m.key.Value, a.ptr)
		s.PatternProperties = append(s.PatternProperties, &PatternProperty{Pattern: pat, Schema: p.schema(m.val, a.ptr+"/"+EscapeToken(m.key.Value), a.base)})
	}
}

// kwDependentRequired parses "dependentRequired".
func (p *parser) kwDependentRequired(s *Schema, a kwArg) {
	for _, m := range p.members(a.v, a.ptr) {
		s.DependentRequired = append(s.DependentRequired, &DependentRequired{Property: m.key.Value, Required: p.strings(m.val, a.ptr+"/"+EscapeToken(m.key.Value))})
	}
}

// kwDependentSchemas parses "dependentSchemas".
func (p *parser) kwDependentSchemas(s *Schema, a kwArg) {
	for _, m := range p.members(a.v, a.ptr) {
		s.DependentSchemas = append(s.DependentSchemas, &DependentSchema{Property: m.key.Value, Schema: p.schema(m.val, a.ptr+"/"+EscapeToken(m.key.Value), a.base)})
	}
}

// kwDependencies parses draft-07's "dependencies": an array of names is
// "dependentRequired", a schema "dependentSchemas".
func (p *parser) kwDependencies(s *Schema, a kwArg) {
	if p.draft != Draft7 {
		p.errorf(a.k, a.ptr, "\"dependencies\" is draft-07; in draft 2020-12 use \"dependentRequired\" or \"dependentSchemas\"")
		return
	}
	for _, m := range p.members(a.v, a.ptr) {
		mptr := a.ptr + "/" + EscapeToken(m.key.Value)
		if m.val.Kind == yaml.SequenceNode {
			s.DependentRequired = append(s.DependentRequired, &DependentRequired{Property: m.key.Value, Required: p.strings(m.val, mptr)})
		} else {
			s.DependentSchemas = append(s.DependentSchemas, &DependentSchema{Property: m.key.Value, Schema: p.schema(m.val, mptr, a.base)})
		}
	}
}

// kwPrefixItems parses draft 2020-12's "prefixItems".
func (p *parser) kwPrefixItems(s *Schema, a kwArg) {
	if p.draft == Draft7 {
		p.errorf(a.k, a.ptr, "\"prefixItems\" is draft 2020-12; in draft-07 write \"items\" as an array")
		return
	}
	s.PrefixItems = p.schemas(a.v, a.ptr, a.base)
}

// kwItems parses "items": one schema, or in draft-07 an array of schemas,
// one per position (draft 2020-12's "prefixItems").
func (p *parser) kwItems(s *Schema, a kwArg) {
	if a.v.Kind != yaml.SequenceNode {
		s.Items = p.schema(a.v, a.ptr, a.base)
		return
	}
	if p.draft != Draft7 {
		p.errorf(a.v, a.ptr, "in draft 2020-12 \"items\" is one schema; use \"prefixItems\" for a schema per position")
		return
	}
	s.PrefixItems = p.schemas(a.v, a.ptr, a.base)
	if s.PrefixItems == nil {
		s.PrefixItems = []*Schema{}
	}
}

// kwAdditionalItems parses draft-07's "additionalItems". It only counts
// when "items" is an array; schema() applies it.
func (p *parser) kwAdditionalItems(s *Schema, a kwArg) {
	if p.draft != Draft7 {
		p.errorf(a.k, a.ptr, "\"additionalItems\" is draft-07; in draft 2020-12 \"items\" applies after \"prefixItems\"")
		return
	}
	p.additionalItems[s] = p.schema(a.v, a.ptr, a.base)
}

// kwMultipleOf parses "multipleOf": a number greater than 0.
func (p *parser) kwMultipleOf(s *Schema, a kwArg) {
	if n := p.number(a.v, a.ptr, a.name); n != nil {
		if n.Rat().Sign() <= 0 {
			p.errorf(a.v, a.ptr, "\"multipleOf\" must be greater than 0, not %s", n.Lit)
			return
		}
		s.MultipleOf = n
	}
}

// known lists every keyword the parser reads, sorted, for "did you mean".
func known() []string {
	names := make([]string, 0, len(keywords))
	for name := range keywords {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// nearest returns the known keyword closest to name, if it is a likely typo
// (see suggest.Nearest).
func nearest(name string) string { return suggest.Nearest(name, known()) }
