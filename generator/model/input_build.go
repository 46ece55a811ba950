package model

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// typedKeywords are the keywords of the schemas that get natural Go types,
// with the annotations that are ignored ("format" is an annotation unless
// a dialect asserts it). A schema with any other keyword is generic.
var typedKeywords = map[string]bool{
	"type": true, "properties": true, "required": true, "additionalProperties": true,
	"minProperties": true, "maxProperties": true, "$ref": true,
	"items": true, "minItems": true, "maxItems": true, "uniqueItems": true, "enum": true, "const": true,
	"minimum": true, "maximum": true, "exclusiveMinimum": true, "exclusiveMaximum": true, "multipleOf": true, "minLength": true, "maxLength": true, "pattern": true,
	"title": true, "description": true, "default": true, "examples": true,
	"deprecated": true, "readOnly": true, "writeOnly": true, "format": true,
	"$schema": true, "$id": true, "$anchor": true, "$comment": true, "$defs": true, "definitions": true,
}

// build makes the node of schema s, found at instance location ptr, and of
// its subschemas. hint is the Go name the schema gets when it needs one and
// has no title; key is its property name.
func (b *inputBuilder) build(s *schema.Schema, ptr, hint, key string) *Node {
	if b.stop.Stopped() {
		return nil
	}
	if s.Ref != nil {
		return b.ref(s, ptr, hint, key)
	}
	if n, ok := b.nodes[s]; ok {
		return n
	}
	if u := unionOf(s); u != nil {
		return b.unionNode(s, u, ptr, hint, key)
	}
	kind, nullable, _ := naturalType(s)
	root := ptr == "" && key == ""
	if needsGeneric(s) || root && nullable {
		// A nullable root stays generic: DecodeInput returns an Input.
		return b.genericNode(s, ptr, hint, key)
	}
	n := &Node{Schema: s, ptr: ptr, Key: key, Kind: kind, Nullable: nullable, base: hint, building: true, Formats: b.formats}
	defer func() { n.building = false }()
	b.nameNode(n, hint, root)
	n.Method = Unique(b.methods, "decode"+n.base)
	b.nodes[s] = n
	b.order = append(b.order, n)
	if r := residualView(s); r != nil {
		n.Residual = b.gcheck(r, n.base+"Rest")
	}
	b.checkNumbers(n)
	b.enum(n)
	b.constant(n)
	switch n.Kind {
	case schema.TypeObject:
		b.object(n)
		if n.Named == nil || !n.Named.Struct {
			if n.Addl == nil {
				return nil
			}
			if n.Addl.GoType == "" {
				b.errorf(s, "additionalProperties", "an object whose values are the object itself is not supported yet: give it \"properties\"")
				return nil
			}
			n.GoType = "map[string]" + n.Addl.GoType
		}
	case schema.TypeArray:
		if !b.array(n) {
			return nil
		}
	case schema.TypeString:
		n.GoType = "string"
		if holdsTime(n) {
			n.GoType = "time.Time"
		}
		if s.Pattern != nil {
			b.pattern(n)
		}
	case schema.TypeInteger:
		n.GoType = "int64"
		b.multipleOf(n)
	case schema.TypeNumber:
		n.GoType = "float64"
		b.multipleOf(n)
	case schema.TypeBoolean:
		n.GoType = "bool"
	}
	if n.Named != nil && !n.Named.Struct {
		if n.Named.Underlying == "" {
			n.Named.Underlying = n.GoType
		}
		n.GoType = n.Named.Name
	}
	if n.ValType == "" {
		n.ValType = n.GoType
		if n.Nullable && n.PointerNull() {
			n.GoType = "*" + n.GoType
		}
	}
	return n
}

// nameNode gives node n the named Go type it needs, if any: every struct
// object, every string enum, and the root. hint is the name when the
// schema has no title; n.base becomes the type's name.
func (b *inputBuilder) nameNode(n *Node, hint string, root bool) {
	s := n.Schema
	switch {
	case n.Kind == schema.TypeObject && IsMap(s):
		if root {
			n.Named = b.namedType(s, hint, root)
		}
	case n.Kind == schema.TypeObject:
		n.Named = b.namedType(s, hint, root)
		n.Named.Struct = true
		n.ValType = n.Named.Name
		n.GoType = n.Named.Name
		if n.Nullable {
			n.GoType = "*" + n.GoType
		}
	case n.Kind == schema.TypeString:
		if s.Enum != nil || root {
			n.Named = b.namedType(s, hint, root)
			n.Named.Underlying = "string"
		}
	default:
		if root {
			n.Named = b.namedType(s, hint, root)
		}
	}
	if n.Named != nil {
		n.base = n.Named.Name
	}
}

// array builds the item node of the array node n and sets n's Go type; it
// returns false when the items cannot be built.
func (b *inputBuilder) array(n *Node) bool {
	s := n.Schema
	if s.Items == nil {
		n.Item = b.anyNode(s, "items", n.ptr+"/*", n.base+"Item")
	} else {
		n.Item = b.build(s.Items, n.ptr+"/*", n.base+"Item", "")
	}
	if n.Item == nil {
		return false
	}
	if n.Item.GoType == "" {
		b.errorf(s, "items", "an array that contains itself is not supported yet")
		return false
	}
	n.GoType = "[]" + n.Item.GoType
	return true
}

// naturalType returns the type of a schema whose "type" is one type, or
// one type and "null" (nullable), or that has no "type" and an "enum" of
// strings only (a string); ok is false for any other "type".
func naturalType(s *schema.Schema) (t schema.Type, nullable, ok bool) {
	switch {
	case len(s.Types) == 1 && s.Types[0] != schema.TypeNull:
		return s.Types[0], false, true
	case len(s.Types) == 2 && s.Types[0] == schema.TypeNull:
		return s.Types[1], true, true
	case len(s.Types) == 2 && s.Types[1] == schema.TypeNull:
		return s.Types[0], true, true
	case s.Types == nil && s.Bool == nil && stringEnum(s):
		return schema.TypeString, false, true
	}
	return "", false, false
}

// stringEnum reports whether s is an "enum" of strings only, which without
// a "type" makes a Go string enum too.
func stringEnum(s *schema.Schema) bool {
	for _, v := range s.Enum {
		if v.Kind != schema.KindString {
			return false
		}
	}
	return len(s.Enum) > 0
}

// namedType declares the named Go type of s: Input for the root, else its
// title or, without one, hint, Go-cased and made unique.
func (b *inputBuilder) namedType(s *schema.Schema, hint string, root bool) *GoType {
	name := hint
	if !root && s.Title != "" {
		name = config.GoName(s.Title)
	}
	t := &GoType{Name: b.pkgName(name)}
	where := "the type of " + DocPointerOf(b.root, s.Pointer)
	if strings.Contains(s.Pointer, "/$defs/") || strings.Contains(s.Pointer, "/definitions/") {
		where = "the type defined at #" + s.Pointer
	}
	if root {
		where = "the function's " + strings.ToLower(b.root)
	}
	doc := t.Name + " is " + where
	if s.Title != "" {
		doc += " (" + s.Title + ")"
	}
	t.Doc = doc + "."
	if s.Description != "" {
		t.Doc += "\n\n" + s.Description
	}
	b.types = append(b.types, t)
	return t
}

// DocPointer turns a schema pointer of the input schema into the instance
// location it describes, for comments: "/properties/files/items" becomes
// "/files/*".
func DocPointer(schemaPtr string) string { return DocPointerOf("Input", schemaPtr) }

// DocPointerOf is DocPointer for the schema whose root type is root
// ("Input" or "Output"): its root is "the input" or "the output".
func DocPointerOf(root, schemaPtr string) string {
	if schemaPtr == "" {
		return "the " + strings.ToLower(root)
	}
	// Comments cannot hold line breaks: replace every control character.
	schemaPtr = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == 0x2028 || r == 0x2029 {
			return '?'
		}
		return r
	}, schemaPtr)
	if strings.Contains(schemaPtr, "/$defs/") || strings.Contains(schemaPtr, "/definitions/") {
		return "#" + schemaPtr
	}
	toks := strings.Split(schemaPtr[1:], "/")
	var out []string
	for i := 0; i < len(toks); i++ {
		switch toks[i] {
		case "properties":
			if i+1 < len(toks) {
				i++
				out = append(out, toks[i])
			}
		case "items", "additionalProperties":
			out = append(out, "*")
		case "patternProperties":
			i++
			out = append(out, "*")
		}
	}
	return "/" + strings.Join(out, "/")
}

// object builds an object's properties.
func (b *inputBuilder) object(n *Node) {
	s := n.Schema
	switch ap := s.AdditionalProperties; {
	case IsMap(s) && (ap == nil || ap.IsTrue()):
		n.Addl = b.anyNode(s, "additionalProperties", n.ptr+"/*", n.base+"Value")
	case ap == nil || ap.IsTrue():
	case ap.IsFalse():
		n.Closed = true
	default:
		n.Addl = b.build(ap, n.ptr+"/*", n.base+"Value", "")
	}
	reqd := map[string]bool{}
	for _, r := range s.Required {
		reqd[r] = true
	}
	// A field may not take the name of a method of its struct.
	fields := map[string]int{}
	for _, m := range structMethods {
		fields[m] = 1
	}
	for _, sp := range s.Properties {
		want := config.GoName(sp.Name)
		if sp.Name == "" {
			want = "EmptyKey"
		}
		fieldName := Unique(fields, want)
		c := b.build(sp.Schema, n.ptr+"/"+schema.EscapeToken(sp.Name), n.base+fieldName, sp.Name)
		if c == nil {
			continue
		}
		ann := sp.Schema.Annotations()
		p := &Prop{Name: sp.Name, Node: c, Required: reqd[sp.Name], Ann: ann, Def: ann.Default, Untagged: !validTagName(sp.Name)}
		if p.Def != nil && !p.Required {
			lit, err := goLiteral(c, p.Def)
			switch {
			case err != nil:
				b.errorf(defaultHolder(sp.Schema), "default", "%v", err)
			case c.Nullable && p.Def.Kind == schema.KindNull:
				// Absent and null are both nil.
			case c.Nullable || !isZeroValue(p.Def) || c.Kind == schema.TypeArray || c.Kind == schema.TypeObject || c.Kind == UnionKind:
				p.DefLit = lit
			}
		} else {
			p.Def = nil
		}
		p.IsPointer = !c.Nullable && (!p.Required && p.Def == nil && c.Kind != schema.TypeArray && c.Kind != AnyKind && !IsMap(c.Schema) ||
			c.building && c.Named != nil && c.Named.Struct)
		typ := c.GoType
		if p.IsPointer {
			typ = "*" + typ
		}
		tag := sp.Name
		if !p.Required && p.Def == nil {
			tag += ",omitempty"
		}
		if p.Untagged {
			tag = "-"
		}
		p.Field = &GoField{Name: fieldName, Type: typ, Tag: "`json:" + strconv.Quote(tag) + "`", Doc: fieldDoc(fieldName, p)}
		n.Named.Fields = append(n.Named.Fields, p.Field)
		n.Props = append(n.Props, p)
	}
	for i, pp := range s.PatternProperties {
		re, err := regexp.Compile(pp.Pattern.Go)
		if err != nil {
			b.errorf(s, "patternProperties", "the pattern %q does not compile in Go: %v", pp.Pattern.Source, err)
			continue
		}
		c := b.build(pp.Schema, n.ptr+"/*", n.base+"Pattern"+strconv.Itoa(i), "")
		if c == nil {
			continue
		}
		v := b.patternVar(s, pp.Pattern, "pattern"+n.base+"Key"+strconv.Itoa(i))
		n.Patterns = append(n.Patterns, &PatternProp{V: v, Re: re, Node: c})
	}
	if len(n.Patterns) > 0 {
		typ := n.Patterns[0].Node.GoType
		var srcs []string
		for _, pt := range n.Patterns {
			if pt.Node.GoType != typ {
				typ = "any"
			}
			srcs = append(srcs, strconv.Quote(pt.V.Source))
		}
		n.PatField = &GoField{Name: Unique(fields, "PatternProperties"), Type: "map[string]" + typ, Tag: "`json:\"-\"`"}
		n.PatField.Doc = n.PatField.Name + " holds the properties whose names match a pattern of \"patternProperties\" (" +
			strings.Join(srcs, ", ") + "), by name; nil when there are none."
		if typ == "any" {
			n.PatField.Doc += " A value has the Go type of the first pattern its name matches."
		}
		n.PatField.Doc = WrapDoc(n.PatField.Doc + " MarshalJSON writes them after the declared properties.")
		n.Named.Fields = append(n.Named.Fields, n.PatField)
	}
	if n.Addl != nil && n.Named != nil && n.Named.Struct {
		n.Extra = &GoField{
			Name: Unique(fields, "AdditionalProperties"),
			Type: "map[string]" + n.Addl.GoType,
			Tag:  "`json:\"-\"`",
		}
		n.Extra.Doc = n.Extra.Name + " holds the properties that \"properties\" does not declare"
		if len(n.Patterns) > 0 {
			n.Extra.Doc += " and that match no pattern of \"patternProperties\""
		}
		n.Extra.Doc = WrapDoc(n.Extra.Doc + ", by name; nil when there are none. MarshalJSON writes them after the declared properties.")
		n.Named.Fields = append(n.Named.Fields, n.Extra)
	}
}

// structMethods are the names of the methods the generator may declare on
// a struct (see needsMarshal): no field takes them, so that a struct that
// gains one keeps compiling, and its field names do not change.
var structMethods = []string{"MarshalJSON"}

// IsMap reports whether an object schema becomes a Go map: it declares no
// properties and allows others (map[string]any without a schema for
// them). With "patternProperties", only a map[string]any holds every
// value; with a schema for the others too, the object is a struct.
func IsMap(s *schema.Schema) bool {
	t, _, ok := naturalType(s)
	if !ok || t != schema.TypeObject || len(s.Properties) > 0 {
		return false
	}
	ap := s.AdditionalProperties
	if len(s.PatternProperties) > 0 {
		return ap == nil || ap.IsTrue()
	}
	return ap == nil || !ap.IsFalse()
}

// structObject reports whether a typed schema becomes a Go struct.
func structObject(s *schema.Schema) bool {
	t, _, ok := naturalType(s)
	return ok && t == schema.TypeObject && !IsMap(s)
}

// anyNode returns a generic node that accepts every value, for the values
// of an object or array that has no schema for them (keyword kw of s).
func (b *inputBuilder) anyNode(s *schema.Schema, kw, ptr, hint string) *Node {
	yes := true
	t := &schema.Schema{Pointer: s.Pointer + "/" + kw, Pos: s.Pos, Bool: &yes}
	return b.genericNode(t, ptr, hint, "")
}

// ref builds the node of a "$ref": the node of its target, shared by every
// reference to it.
func (b *inputBuilder) ref(s *schema.Schema, ptr, hint, key string) *Node {
	for _, k := range s.Keywords {
		if k.Name != "$ref" && !annotationKeywords[k.Name] {
			return b.genericNode(s, ptr, hint, key)
		}
	}
	if ptr == "" && key == "" {
		return b.genericNode(s, ptr, hint, key)
	}
	t := s.Ref.Target
	if n, ok := b.nodes[t]; ok {
		return n
	}
	toks := strings.Split(t.Pointer, "/")
	if len(toks) >= 2 && (toks[len(toks)-2] == "$defs" || toks[len(toks)-2] == "definitions") {
		hint = config.GoName(pointerUnescaper.Replace(toks[len(toks)-1]))
	}
	if t.Ref != nil {
		return b.ref(t, ptr, hint, key)
	}
	return b.build(t, ptr, hint, key)
}

// annotationKeywords change no verdict.
var annotationKeywords = map[string]bool{
	"title": true, "description": true, "default": true, "examples": true,
	"deprecated": true, "readOnly": true, "writeOnly": true, "format": true,
	"$schema": true, "$id": true, "$anchor": true, "$comment": true, "$defs": true, "definitions": true,
}

// checkNumbers refuses numeric bounds a float64 cannot hold.
func (b *inputBuilder) checkNumbers(n *Node) {
	bounds := map[string]*schema.Number{
		"minimum": n.Schema.Minimum, "maximum": n.Schema.Maximum,
		"exclusiveMinimum": n.Schema.ExclusiveMinimum, "exclusiveMaximum": n.Schema.ExclusiveMaximum,
	}
	for kw, v := range bounds {
		if v != nil && math.IsInf(v.Float64(), 0) {
			b.errorf(n.Schema, kw, "%s %s is out of the range of a 64-bit float", kw, v.Lit)
		}
	}
}

// enum keeps the enum values of the node's type, deduplicated, and declares
// the constants of a string enum.
func (b *inputBuilder) enum(n *Node) {
	s := n.Schema
	if s.Enum == nil {
		return
	}
	n.EnumKeys = map[string]bool{}
	for _, v := range s.Enum {
		if !ValueHasType(v, n.Kind) {
			continue
		}
		if k := v.Key(); !n.EnumKeys[k] {
			n.EnumKeys[k] = true
			n.Enum = append(n.Enum, v)
		}
	}
	if n.Kind != schema.TypeString {
		return
	}
	for _, v := range n.Enum {
		c := &GoConst{Name: b.pkgName(n.Named.Name + config.GoName(v.String)), Value: strconv.Quote(v.String)}
		c.Doc = c.Name + " is " + c.Value + "."
		n.Consts = append(n.Consts, c)
	}
	n.Named.Consts = n.Consts
}

// ValueHasType reports whether v is an instance of type t.
func ValueHasType(v *schema.Value, t schema.Type) bool {
	switch t {
	case AnyKind:
		return true
	case schema.TypeNull:
		return v.Kind == schema.KindNull
	case schema.TypeBoolean:
		return v.Kind == schema.KindBool
	case schema.TypeString:
		return v.Kind == schema.KindString
	case schema.TypeInteger:
		return v.Kind == schema.KindNumber && v.Number.IsInteger()
	case schema.TypeNumber:
		return v.Kind == schema.KindNumber
	case schema.TypeArray:
		return v.Kind == schema.KindArray
	default:
		return v.Kind == schema.KindObject
	}
}

// constant records a scalar "const" (needsGeneric left only those).
func (b *inputBuilder) constant(n *Node) {
	n.ConstVal = n.Schema.Const
}

// multipleOf declares the exact divisor of a number's "multipleOf"; an
// integer's is checked on the int64 (see numeric).
func (b *inputBuilder) multipleOf(n *Node) {
	k := n.Schema.MultipleOf
	if k == nil || n.Kind == schema.TypeInteger {
		return
	}
	n.Multiple = &MultipleVar{Name: b.pkgName("multipleOf" + n.base), Pointer: DocPointerOf(b.root, n.Schema.Pointer), Lit: k.Lit}
	b.multiples = append(b.multiples, n.Multiple)
}

// pattern declares the compiled regular expression of a string's "pattern".
func (b *inputBuilder) pattern(n *Node) {
	p := n.Schema.Pattern
	re, err := regexp.Compile(p.Go)
	if err != nil {
		b.errorf(n.Schema, "pattern", "the pattern %q does not compile in Go: %v", p.Source, err)
		return
	}
	n.Re = re
	n.Pattern = &PatternVar{
		Name:    b.pkgName("pattern" + n.base),
		Pointer: DocPointerOf(b.root, n.Schema.Pointer),
		Go:      p.Go,
		Source:  p.Source,
	}
	b.patterns = append(b.patterns, n.Pattern)
}

// pointerUnescaper decodes a JSON Pointer reference token (RFC 6901).
var pointerUnescaper = strings.NewReplacer("~1", "/", "~0", "~")
