package model

import (
	"regexp"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/schema"
)

// Node is one schema as the generator sees it.
type Node struct {
	// Schema is the schema the node stands for.
	Schema *schema.Schema
	// ptr is the instance location for documentation, with "*" for any
	// array index: "/files/*/path".
	ptr string
	// Key is the property name of the schema ("" for the root and items).
	Key string
	// Kind is the schema's single type, besides "null" for a nullable one.
	Kind schema.Type
	// Nullable is true for a "type" of one type and "null": GoType is then
	// a pointer to ValType, except for slices and maps, which are nil for
	// null.
	Nullable bool
	// GoType is the Go type of a decoded value, e.g. "[]File".
	GoType string
	// ValType is the Go type of a non-null value: GoType without the
	// pointer of a nullable node.
	ValType string
	// Named is the named type the schema declares, or nil.
	Named *GoType
	// base names the schema in generated identifiers, e.g. "InputTags".
	base string
	// Method is the name of the decoder method.
	Method string
	// Item is the element schema of an array.
	Item *Node
	// Props are an object's properties, in document order.
	Props []*Prop
	// Closed is true for "additionalProperties": false.
	Closed bool
	// Addl is the schema of "additionalProperties", when it has one: the
	// values of a map, or of the extra field of a struct.
	Addl  *Node
	Extra *GoField
	// Patterns are the "patternProperties" of a struct, and PatField its
	// map field of the properties that match one.
	Patterns []*PatternProp
	PatField *GoField
	// Check validates the value of a generic node, or is nil.
	Check *GNode
	// Residual checks the keywords of a typed node that its decoder does
	// not, on the value read again as a generic one; or nil.
	Residual *GNode
	// building is true while the node's subschemas are being built: a
	// reference back to it is recursive.
	building bool
	// Enum holds the enum values that match Kind, deduplicated, and
	// EnumKeys their keys (schema.Value.Key); Consts holds the matching Go
	// constants of a string enum.
	Enum     []*schema.Value
	EnumKeys map[string]bool
	Consts   []*GoConst
	// ConstVal is "const", or nil.
	ConstVal *schema.Value
	// Multiple is the exact divisor of "multipleOf", when it needs one.
	Multiple *MultipleVar
	// Union says how the branches of a union node (UnionKind) are told
	// apart; nil for other nodes.
	Union *Union
	// Pattern is the compiled "pattern", or nil.
	Pattern *PatternVar
	Re      *regexp.Regexp
	// Formats is true when "format" is asserted (see AssertedFormat).
	Formats bool
}

// PatternProp is one entry of the "patternProperties" of a struct.
type PatternProp struct {
	// V is the pattern's package-level variable.
	V *PatternVar
	// Re is the compiled pattern.
	Re *regexp.Regexp
	// Node is the schema of the matching properties' values.
	Node *Node
}

// Prop is one property of an object schema.
type Prop struct {
	// Name is the property's name.
	Name string
	// Field is the struct field that holds it.
	Field *GoField
	// Node is the property's schema.
	Node *Node
	// Required is true when the object requires the property.
	Required bool
	// Ann are the annotations of the property's schema: those written
	// beside a "$ref" win over its target's.
	Ann schema.Annotations
	// Def is the default applied when the property is absent, or nil.
	Def *schema.Value
	// DefLit is Def as a Go literal.
	DefLit string
	// IsPointer is true when the field is a pointer: optional and without default.
	IsPointer bool
	// Untagged is true for a name that a struct tag cannot hold (""): the
	// field's tag is "-" and the struct's MarshalJSON writes it.
	Untagged bool
}

// Tracked reports whether the decoder must know that the property was
// present: to report it missing or to apply its default.
func (p *Prop) Tracked() bool { return p.Required || p.DefLit != "" }

// PointerNull reports whether a nullable node's Go type is a pointer:
// for every type but arrays and maps, whose nil is null.
func (n *Node) PointerNull() bool {
	return n.Kind != schema.TypeArray && !(n.Kind == schema.TypeObject && (n.Named == nil || !n.Named.Struct))
}

// NullAllowed reports whether null passes the "enum" and "const" of a
// nullable node; the keyword that refuses it is returned otherwise.
func (n *Node) NullAllowed() (bool, string) {
	if n.Schema.Const != nil {
		return false, "const"
	}
	if n.Schema.Enum != nil {
		for _, v := range n.Schema.Enum {
			if v.Kind == schema.KindNull {
				return true, ""
			}
		}
		return false, "enum"
	}
	return true, ""
}

// NeedsMarshal reports whether a struct needs a MarshalJSON method: it has
// a map of extra properties, or a property that a struct tag cannot name.
func (n *Node) NeedsMarshal() bool {
	if n.Named == nil || !n.Named.Struct {
		return false
	}
	if n.Extra != nil || n.PatField != nil {
		return true
	}
	for _, p := range n.Props {
		if p.Untagged {
			return true
		}
	}
	return false
}

// MemberNode returns the node that decodes the member key of object node
// n: its property's, else its first matching pattern's, else its
// additional properties'; nil when none applies.
func MemberNode(n *Node, key string) *Node {
	if p := FindProp(n, key); p != nil {
		return p.Node
	}
	for _, pt := range n.Patterns {
		if pt.Re.MatchString(key) {
			return pt.Node
		}
	}
	return n.Addl
}

// MatchesPattern reports whether key matches a pattern of object node n.
func MatchesPattern(n *Node, key string) bool {
	for _, pt := range n.Patterns {
		if pt.Re.MatchString(key) {
			return true
		}
	}
	return false
}

// Comparable reports whether two values of the node's Go type are equal
// by == exactly when they are equal JSON values: strings, integers,
// numbers and booleans that are not pointers.
func (n *Node) Comparable() bool {
	switch n.Kind {
	case schema.TypeString, schema.TypeInteger, schema.TypeNumber, schema.TypeBoolean:
		// Two time.Time values of one instant may be different JSON
		// strings ("Z" and "+00:00").
		return !strings.HasPrefix(n.GoType, "*") && n.ValType != "time.Time"
	}
	return false
}

// EnumShown returns the enum values that a violation of the node's "enum"
// names: those of its type, and null for a nullable node that allows it.
func (n *Node) EnumShown() []*schema.Value {
	if !n.Nullable {
		return n.Enum
	}
	out := n.Enum
	for _, v := range n.Schema.Enum {
		if v.Kind == schema.KindNull {
			out = append(append([]*schema.Value(nil), n.Enum...), v)
			break
		}
	}
	return out
}

// FindProp returns the property of object node n named name, or nil.
func FindProp(n *Node, name string) *Prop {
	for _, p := range n.Props {
		if p.Name == name {
			return p
		}
	}
	return nil
}
