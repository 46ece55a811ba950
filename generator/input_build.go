package generator

import (
	"math"
	"regexp"
	"strconv"
	"strings"

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
func (b *inputBuilder) build(s *schema.Schema, ptr, hint, key string) *node {
	if b.stop.stopped() {
		return nil
	}
	if s.Ref != nil {
		return b.ref(s, ptr, hint, key)
	}
	if n, ok := b.nodes[s]; ok {
		return n
	}
	kind, nullable, _ := naturalType(s)
	root := ptr == "" && key == ""
	if needsGeneric(s) || root && nullable {
		// A nullable root stays generic: DecodeInput returns an Input.
		return b.genericNode(s, ptr, hint, key)
	}
	n := &node{s: s, ptr: ptr, key: key, kind: kind, nullable: nullable, base: hint, building: true}
	defer func() { n.building = false }()
	b.nameNode(n, hint, root)
	n.method = unique(b.methods, "decode"+n.base)
	b.nodes[s] = n
	b.order = append(b.order, n)
	if r := residualView(s); r != nil {
		n.residual = b.gcheck(r, n.base+"Rest")
	}
	b.checkNumbers(n)
	b.enum(n)
	b.constant(n)
	switch n.kind {
	case schema.TypeObject:
		b.object(n)
		if n.named == nil || !n.named.Struct {
			if n.addl == nil {
				return nil
			}
			if n.addl.goType == "" {
				b.errorf(s, "additionalProperties", "an object whose values are the object itself is not supported yet: give it \"properties\"")
				return nil
			}
			n.goType = "map[string]" + n.addl.goType
		}
	case schema.TypeArray:
		if !b.array(n) {
			return nil
		}
	case schema.TypeString:
		n.goType = "string"
		if s.Pattern != nil {
			b.pattern(n)
		}
	case schema.TypeInteger:
		n.goType = "int64"
		b.multipleOf(n)
	case schema.TypeNumber:
		n.goType = "float64"
		b.multipleOf(n)
	case schema.TypeBoolean:
		n.goType = "bool"
	}
	if n.named != nil && !n.named.Struct {
		if n.named.Underlying == "" {
			n.named.Underlying = n.goType
		}
		n.goType = n.named.Name
	}
	if n.valType == "" {
		n.valType = n.goType
		if n.nullable && n.pointerNull() {
			n.goType = "*" + n.goType
		}
	}
	return n
}

// nameNode gives node n the named Go type it needs, if any: every struct
// object, every string enum, and the root. hint is the name when the
// schema has no title; n.base becomes the type's name.
func (b *inputBuilder) nameNode(n *node, hint string, root bool) {
	s := n.s
	switch {
	case n.kind == schema.TypeObject && isMap(s):
		if root {
			n.named = b.namedType(s, hint, root)
		}
	case n.kind == schema.TypeObject:
		n.named = b.namedType(s, hint, root)
		n.named.Struct = true
		n.valType = n.named.Name
		n.goType = n.named.Name
		if n.nullable {
			n.goType = "*" + n.goType
		}
	case n.kind == schema.TypeString:
		if s.Enum != nil || root {
			n.named = b.namedType(s, hint, root)
			n.named.Underlying = "string"
		}
	default:
		if root {
			n.named = b.namedType(s, hint, root)
		}
	}
	if n.named != nil {
		n.base = n.named.Name
	}
}

// array builds the item node of the array node n and sets n's Go type; it
// returns false when the items cannot be built.
func (b *inputBuilder) array(n *node) bool {
	s := n.s
	if s.Items == nil {
		n.item = b.anyNode(s, "items", n.ptr+"/*", n.base+"Item")
	} else {
		n.item = b.build(s.Items, n.ptr+"/*", n.base+"Item", "")
	}
	if n.item == nil {
		return false
	}
	if n.item.goType == "" {
		b.errorf(s, "items", "an array that contains itself is not supported yet")
		return false
	}
	n.goType = "[]" + n.item.goType
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

// pointerNull reports whether a nullable node's Go type is a pointer:
// for every type but arrays and maps, whose nil is null.
func (n *node) pointerNull() bool {
	return n.kind != schema.TypeArray && !(n.kind == schema.TypeObject && (n.named == nil || !n.named.Struct))
}

// nullAllowed reports whether null passes the "enum" and "const" of a
// nullable node; the keyword that refuses it is returned otherwise.
func (n *node) nullAllowed() (bool, string) {
	if n.s.Const != nil {
		return false, "const"
	}
	if n.s.Enum != nil {
		for _, v := range n.s.Enum {
			if v.Kind == schema.KindNull {
				return true, ""
			}
		}
		return false, "enum"
	}
	return true, ""
}

// namedType declares the named Go type of s: Input for the root, else its
// title or, without one, hint, Go-cased and made unique.
func (b *inputBuilder) namedType(s *schema.Schema, hint string, root bool) *GoType {
	name := hint
	if !root && s.Title != "" {
		name = GoName(s.Title)
	}
	t := &GoType{Name: b.pkgName(name)}
	where := "the type of " + docPointer(s.Pointer)
	if strings.Contains(s.Pointer, "/$defs/") || strings.Contains(s.Pointer, "/definitions/") {
		where = "the type defined at #" + s.Pointer
	}
	if root {
		where = "the function's input"
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

// docPointer turns a schema pointer into the instance location it
// describes, for comments: "/properties/files/items" becomes "/files/*".
func docPointer(schemaPtr string) string {
	if schemaPtr == "" {
		return "the input"
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
func (b *inputBuilder) object(n *node) {
	s := n.s
	switch ap := s.AdditionalProperties; {
	case isMap(s) && (ap == nil || ap.IsTrue()):
		n.addl = b.anyNode(s, "additionalProperties", n.ptr+"/*", n.base+"Value")
	case ap == nil || ap.IsTrue():
	case ap.IsFalse():
		n.closed = true
	default:
		n.addl = b.build(ap, n.ptr+"/*", n.base+"Value", "")
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
		want := GoName(sp.Name)
		if sp.Name == "" {
			want = "EmptyKey"
		}
		fieldName := unique(fields, want)
		c := b.build(sp.Schema, n.ptr+"/"+escapePointer(sp.Name), n.base+fieldName, sp.Name)
		if c == nil {
			continue
		}
		ann := sp.Schema.Annotations()
		p := &prop{name: sp.Name, node: c, required: reqd[sp.Name], ann: ann, def: ann.Default, untagged: !validTagName(sp.Name)}
		if p.def != nil && !p.required {
			lit, err := goLiteral(c, p.def)
			switch {
			case err != nil:
				b.errorf(defaultHolder(sp.Schema), "default", "%v", err)
			case c.nullable && p.def.Kind == schema.KindNull:
				// Absent and null are both nil.
			case c.nullable || !isZeroValue(p.def) || c.kind == schema.TypeArray || c.kind == schema.TypeObject:
				p.defLit = lit
			}
		} else {
			p.def = nil
		}
		p.ptr = !c.nullable && (!p.required && p.def == nil && c.kind != schema.TypeArray && c.kind != anyKind && !isMap(c.s) ||
			c.building && c.named != nil && c.named.Struct)
		typ := c.goType
		if p.ptr {
			typ = "*" + typ
		}
		tag := sp.Name
		if !p.required && p.def == nil {
			tag += ",omitempty"
		}
		if p.untagged {
			tag = "-"
		}
		p.field = &GoField{Name: fieldName, Type: typ, Tag: "`json:" + strconv.Quote(tag) + "`", Doc: fieldDoc(fieldName, p)}
		n.named.Fields = append(n.named.Fields, p.field)
		n.props = append(n.props, p)
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
		n.patterns = append(n.patterns, &npattern{v: v, re: re, node: c})
	}
	if len(n.patterns) > 0 {
		typ := n.patterns[0].node.goType
		var srcs []string
		for _, pt := range n.patterns {
			if pt.node.goType != typ {
				typ = "any"
			}
			srcs = append(srcs, strconv.Quote(pt.v.Source))
		}
		n.patField = &GoField{Name: unique(fields, "PatternProperties"), Type: "map[string]" + typ, Tag: "`json:\"-\"`"}
		n.patField.Doc = n.patField.Name + " holds the properties whose names match a pattern of \"patternProperties\" (" +
			strings.Join(srcs, ", ") + "), by name; nil when there are none."
		if typ == "any" {
			n.patField.Doc += " A value has the Go type of the first pattern its name matches."
		}
		n.patField.Doc = wrapDoc(n.patField.Doc + " MarshalJSON writes them after the declared properties.")
		n.named.Fields = append(n.named.Fields, n.patField)
	}
	if n.addl != nil && n.named != nil && n.named.Struct {
		n.extra = &GoField{
			Name: unique(fields, "AdditionalProperties"),
			Type: "map[string]" + n.addl.goType,
			Tag:  "`json:\"-\"`",
		}
		n.extra.Doc = n.extra.Name + " holds the properties that \"properties\" does not declare"
		if len(n.patterns) > 0 {
			n.extra.Doc += " and that match no pattern of \"patternProperties\""
		}
		n.extra.Doc = wrapDoc(n.extra.Doc + ", by name; nil when there are none. MarshalJSON writes them after the declared properties.")
		n.named.Fields = append(n.named.Fields, n.extra)
	}
}

// structMethods are the names of the methods the generator may declare on
// a struct (see needsMarshal): no field takes them, so that a struct that
// gains one keeps compiling, and its field names do not change.
var structMethods = []string{"MarshalJSON"}

// needsMarshal reports whether a struct needs a MarshalJSON method: it has
// a map of extra properties, or a property that a struct tag cannot name.
func (n *node) needsMarshal() bool {
	if n.named == nil || !n.named.Struct {
		return false
	}
	if n.extra != nil || n.patField != nil {
		return true
	}
	for _, p := range n.props {
		if p.untagged {
			return true
		}
	}
	return false
}

// memberNode returns the node that decodes the member key of object node
// n: its property's, else its first matching pattern's, else its
// additional properties'; nil when none applies.
func memberNode(n *node, key string) *node {
	if p := findProp(n, key); p != nil {
		return p.node
	}
	for _, pt := range n.patterns {
		if pt.re.MatchString(key) {
			return pt.node
		}
	}
	return n.addl
}

// matchesPattern reports whether key matches a pattern of object node n.
func matchesPattern(n *node, key string) bool {
	for _, pt := range n.patterns {
		if pt.re.MatchString(key) {
			return true
		}
	}
	return false
}

// isMap reports whether an object schema becomes a Go map: it declares no
// properties and allows others (map[string]any without a schema for
// them). With "patternProperties", only a map[string]any holds every
// value; with a schema for the others too, the object is a struct.
func isMap(s *schema.Schema) bool {
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
	return ok && t == schema.TypeObject && !isMap(s)
}

// anyNode returns a generic node that accepts every value, for the values
// of an object or array that has no schema for them (keyword kw of s).
func (b *inputBuilder) anyNode(s *schema.Schema, kw, ptr, hint string) *node {
	yes := true
	t := &schema.Schema{Pointer: s.Pointer + "/" + kw, Pos: s.Pos, Bool: &yes}
	return b.genericNode(t, ptr, hint, "")
}

// ref builds the node of a "$ref": the node of its target, shared by every
// reference to it.
func (b *inputBuilder) ref(s *schema.Schema, ptr, hint, key string) *node {
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
		hint = GoName(pointerUnescaper.Replace(toks[len(toks)-1]))
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
func (b *inputBuilder) checkNumbers(n *node) {
	bounds := map[string]*schema.Number{
		"minimum": n.s.Minimum, "maximum": n.s.Maximum,
		"exclusiveMinimum": n.s.ExclusiveMinimum, "exclusiveMaximum": n.s.ExclusiveMaximum,
	}
	for kw, v := range bounds {
		if v != nil && math.IsInf(v.Float64(), 0) {
			b.errorf(n.s, kw, "%s %s is out of the range of a 64-bit float", kw, v.Lit)
		}
	}
}

// enum keeps the enum values of the node's type, deduplicated, and declares
// the constants of a string enum.
func (b *inputBuilder) enum(n *node) {
	s := n.s
	if s.Enum == nil {
		return
	}
	n.enumKeys = map[string]bool{}
	for _, v := range s.Enum {
		if !valueHasType(v, n.kind) {
			continue
		}
		if k := v.Key(); !n.enumKeys[k] {
			n.enumKeys[k] = true
			n.enum = append(n.enum, v)
		}
	}
	if n.kind != schema.TypeString {
		return
	}
	for _, v := range n.enum {
		c := &GoConst{Name: b.pkgName(n.named.Name + GoName(v.String)), Value: strconv.Quote(v.String)}
		c.Doc = c.Name + " is " + c.Value + "."
		n.consts = append(n.consts, c)
	}
	n.named.Consts = n.consts
}

// valueHasType reports whether v is an instance of type t.
func valueHasType(v *schema.Value, t schema.Type) bool {
	switch t {
	case anyKind:
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
func (b *inputBuilder) constant(n *node) {
	n.constVal = n.s.Const
}

// multipleOf declares the exact divisor of a number's "multipleOf"; an
// integer's is checked on the int64 (see numeric).
func (b *inputBuilder) multipleOf(n *node) {
	k := n.s.MultipleOf
	if k == nil || n.kind == schema.TypeInteger {
		return
	}
	n.multiple = &MultipleVar{Name: b.pkgName("multipleOf" + n.base), Pointer: docPointer(n.s.Pointer), Lit: k.Lit}
	b.multiples = append(b.multiples, n.multiple)
}

// pattern declares the compiled regular expression of a string's "pattern".
func (b *inputBuilder) pattern(n *node) {
	p := n.s.Pattern
	re, err := regexp.Compile(p.Go)
	if err != nil {
		b.errorf(n.s, "pattern", "the pattern %q does not compile in Go: %v", p.Source, err)
		return
	}
	n.re = re
	n.pattern = &PatternVar{
		Name:    b.pkgName("pattern" + n.base),
		Pointer: docPointer(n.s.Pointer),
		Go:      p.Go,
		Source:  p.Source,
	}
	b.patterns = append(b.patterns, n.pattern)
}

// pointerEscaper escapes a JSON Pointer reference token; pointerUnescaper
// undoes it.
var (
	pointerEscaper   = strings.NewReplacer("~", "~0", "/", "~1")
	pointerUnescaper = strings.NewReplacer("~1", "/", "~0", "~")
)

// escapePointer escapes a JSON Pointer reference token (RFC 6901).
func escapePointer(tok string) string {
	if !strings.ContainsAny(tok, "~/") {
		return tok
	}
	return pointerEscaper.Replace(tok)
}
