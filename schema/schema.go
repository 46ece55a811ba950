// Package schema turns JSON Schema documents into a typed model of the
// keywords direktiv-fn supports, with the position (line, column, JSON
// Pointer) of every schema and keyword so that later stages can report
// problems where the user can find them.
//
// The package knows nothing of Go code generation: it only parses, resolves
// local references and reports diagnostics.
package schema

// Draft is the JSON Schema dialect a document is read as.
type Draft int

const (
	// Draft2020 is JSON Schema draft 2020-12, the default when "$schema" is absent.
	Draft2020 Draft = iota
	// Draft7 is JSON Schema draft-07.
	Draft7
)

// String returns the draft's usual name.
func (d Draft) String() string {
	if d == Draft7 {
		return "draft-07"
	}
	return "draft 2020-12"
}

// Pos is a 1-based position in the schema file.
type Pos struct {
	// Line and Col count from 1; Col counts characters, not bytes.
	Line, Col int
}

// Type is a JSON Schema primitive type name.
type Type string

// The JSON Schema primitive types.
const (
	TypeNull    Type = "null"
	TypeBoolean Type = "boolean"
	TypeObject  Type = "object"
	TypeArray   Type = "array"
	TypeNumber  Type = "number"
	TypeString  Type = "string"
	TypeInteger Type = "integer"
)

// Document is a parsed schema file.
type Document struct {
	// File is the name used in diagnostics.
	File string
	// Draft is the dialect the document was read as.
	Draft Draft
	// Root is the document's root schema.
	Root *Schema
}

// Schema is one schema or subschema. A boolean schema has Bool set and
// nothing else but Pointer and Pos.
type Schema struct {
	// Pointer is the JSON Pointer of this schema in its document ("" for the root).
	Pointer string
	// Pos is where the schema's value starts.
	Pos Pos
	// Keywords lists the keywords present, in document order, with their positions.
	Keywords []Keyword

	// Bool is non-nil for the boolean schemas true and false.
	Bool *bool

	// Ref is the resolved "$ref", or nil.
	Ref *Ref

	// Types is "type" (deduplicated, in document order); nil means any type.
	Types []Type
	// Enum is "enum"; nil when absent.
	Enum []*Value
	// Const is "const"; nil when absent.
	Const *Value

	// Object keywords.
	Properties           []*Property // in document order
	Required             []string    // in document order, deduplicated
	AdditionalProperties *Schema
	PatternProperties    []*PatternProperty
	PropertyNames        *Schema
	MinProperties        *int64
	MaxProperties        *int64
	DependentRequired    []*DependentRequired
	DependentSchemas     []*DependentSchema

	// Array keywords. Draft-07's array form of "items" is read as PrefixItems
	// and its "additionalItems" as Items, so both drafts share one model.
	PrefixItems []*Schema
	Items       *Schema
	Contains    *Schema
	MinContains *int64
	MaxContains *int64
	MinItems    *int64
	MaxItems    *int64
	UniqueItems bool

	// Numeric keywords.
	Minimum          *Number
	Maximum          *Number
	ExclusiveMinimum *Number
	ExclusiveMaximum *Number
	MultipleOf       *Number

	// String keywords. Lengths count Unicode code points.
	MinLength *int64
	MaxLength *int64
	Pattern   *Pattern
	Format    string

	// Applicators.
	AllOf []*Schema
	AnyOf []*Schema
	OneOf []*Schema
	Not   *Schema
	If    *Schema
	Then  *Schema
	Else  *Schema

	// Defs are "$defs" (or "definitions"), in document order.
	Defs []*Def

	// Annotations, which change no verdict.
	Title       string
	Description string
	Default     *Value
	Examples    []*Value
	Deprecated  bool
	ReadOnly    bool
	WriteOnly   bool
}

// Keyword is a keyword present in a schema object.
type Keyword struct {
	// Name is the keyword as written, e.g. "minLength".
	Name string
	// Pos is the position of the keyword's key.
	Pos Pos
}

// KeywordPos returns the position of a keyword's key.
func (s *Schema) KeywordPos(name string) (Pos, bool) {
	for _, k := range s.Keywords {
		if k.Name == name {
			return k.Pos, true
		}
	}
	return Pos{}, false
}

// IsTrue reports whether s is the boolean schema true or the empty schema {}.
func (s *Schema) IsTrue() bool {
	if s.Bool != nil {
		return *s.Bool
	}
	return len(s.Keywords) == 0
}

// IsFalse reports whether s is the boolean schema false.
func (s *Schema) IsFalse() bool {
	return s.Bool != nil && !*s.Bool
}

// Property is one entry of "properties".
type Property struct {
	// Name is the property's key.
	Name string
	// Schema is the property's schema.
	Schema *Schema
}

// PatternProperty is one entry of "patternProperties".
type PatternProperty struct {
	// Pattern is the key, a regular expression that property names match.
	Pattern *Pattern
	// Schema applies to every property whose name matches Pattern.
	Schema *Schema
}

// DependentRequired is one entry of "dependentRequired" (or an array-valued
// entry of draft-07 "dependencies").
type DependentRequired struct {
	// Property is the key whose presence triggers the requirement.
	Property string
	// Required are the properties an object with Property must also have.
	Required []string
}

// DependentSchema is one entry of "dependentSchemas" (or a schema-valued
// entry of draft-07 "dependencies").
type DependentSchema struct {
	// Property is the key whose presence triggers the schema.
	Property string
	// Schema applies to the whole object when Property is present.
	Schema *Schema
}

// Def is one entry of "$defs" or "definitions".
type Def struct {
	// Name is the definition's key.
	Name string
	// Schema is the definition.
	Schema *Schema
}

// Ref is a "$ref" resolved within the document.
type Ref struct {
	// Raw is the reference as written.
	Raw string
	// Target is the schema it points to.
	Target *Schema
}

// Pattern is an ECMA-262 regular expression that Go's regexp package compiles
// to the same language.
type Pattern struct {
	// Source is the pattern as written in the schema.
	Source string
	// Go is the equivalent Go regexp syntax.
	Go string
	// Pos is the position of the pattern string.
	Pos Pos
}
