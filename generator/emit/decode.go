// Package emit writes the Go code of a model: the decoder and check
// functions of input.gen.go, which drive a *decode.Decoder of the runtime
// package decode (generator/runtime/decode), and the MarshalJSON methods.
package emit

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/generator/model"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// decodeEmitter writes the decoder functions of input.gen.go, one per
// schema, in the manner of protogen: Go source built line by line,
// formatted later with the rest of the file. It records which imports,
// besides the runtime package decode, the functions use.
type decodeEmitter struct {
	b    strings.Builder
	pkgs map[string]bool
	// formats is true once a function calls the runtime package formats.
	formats bool
	// root names the root type, "Input" or "Output", for comments.
	root string
}

// newDecodeEmitter returns an emitter with nothing written yet.
func newDecodeEmitter() *decodeEmitter {
	return &decodeEmitter{pkgs: map[string]bool{}}
}

// imports returns the packages the emitted methods use, sorted.
func (e *decodeEmitter) imports() []string {
	var out []string
	for p := range e.pkgs {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// p writes one line of source: its arguments concatenated.
func (e *decodeEmitter) p(args ...any) {
	for _, a := range args {
		fmt.Fprint(&e.b, a)
	}
	e.b.WriteByte('\n')
}

// method returns the source of the decoder method of n.
func (e *decodeEmitter) method(n *model.Node) string {
	e.b.Reset()
	e.p("// ", n.Method, " decodes ", model.DocPointerOf(e.root, n.Schema.Pointer), ".")
	param := "v"
	if n.Nullable && n.PointerNull() {
		param = "p"
	}
	e.p("func ", n.Method, "(d *decode.Decoder, ", param, " *", n.GoType, ") {")
	if n.Residual != nil && !n.Residual.Trivial() {
		e.p("defer d.Recheck(d.Reread(), ", n.Residual.Method, ")")
	}
	if n.Nullable {
		e.null(n)
		if param == "p" {
			e.p("v := ", newValue(n.ValType))
			e.p("*p = v")
		}
	}
	switch n.Kind {
	case schema.TypeObject:
		e.object(n)
	case schema.TypeArray:
		e.array(n)
	case schema.TypeString:
		e.str(n)
	case schema.TypeInteger:
		e.integer(n)
	case schema.TypeNumber:
		e.number(n)
	case schema.TypeBoolean:
		e.boolean(n)
	case model.AnyKind:
		e.generic(n)
	case model.UnionKind:
		e.union(n)
	}
	e.p("}")
	return e.b.String()
}

// store writes the assignment of the decoded value x (of Go type typ) to *v.
func (e *decodeEmitter) store(n *model.Node, x, typ string) {
	if n.ValType != typ {
		x = n.ValType + "(" + x + ")"
	}
	e.p("*v = ", x)
}

// newValue returns the expression of a pointer to a new zero value of the
// Go type typ: from the decoder's slabs for the scalar types, which
// optional members have most.
func newValue(typ string) string {
	switch typ {
	case "string":
		return "d.NewString()"
	case "bool":
		return "d.NewBool()"
	case "int64":
		return "d.NewInt()"
	case "float64":
		return "d.NewFloat()"
	}
	return "new(" + typ + ")"
}

// null writes the start of the decoder of a nullable node: null is
// consumed (and checked against "enum" and "const"), a value of another
// type than the node's is a type violation.
func (e *decodeEmitter) null(n *model.Node) {
	start := map[schema.Type]string{
		schema.TypeString:  "c == '\"'",
		schema.TypeInteger: "c == '-' || '0' <= c && c <= '9'",
		schema.TypeNumber:  "c == '-' || '0' <= c && c <= '9'",
		schema.TypeBoolean: "c == 't' || c == 'f'",
		schema.TypeObject:  "c == '{'",
		schema.TypeArray:   "c == '['",
	}[n.Kind]
	e.p("switch c := d.Peek(); {")
	e.p("case c == 'n':")
	if ok, kw := n.NullAllowed(); !ok {
		values := n.Enum
		if kw == "const" {
			values = []*schema.Value{n.Schema.Const}
		}
		e.p("if d.Literal(\"null\") {")
		e.fail(kw, EnumPhrase(values)+"null")
		e.p("}")
	} else {
		e.p("d.Literal(\"null\")")
	}
	e.p("return")
	e.p("case ", start, ":")
	e.p("default:")
	e.p("d.Mismatch(", model.GoString("must be "+TypePhrase([]schema.Type{n.Kind, schema.TypeNull})+"; got "), ")")
	e.p("return")
	e.p("}")
}

// fail writes the recording of a violation with the constant message msg.
func (e *decodeEmitter) fail(keyword, msg string) {
	e.p("d.Fail(", strconv.Quote(keyword), ", ", model.GoString(msg), ")")
}

// failWith writes the recording of a violation whose message is msg
// followed by the value of the Go expression got, written by the runtime's
// method "Fail"+how: Int (an int64), Float (a float64), Any (a generic
// value, by type and text), Quote (a []byte string, quoted) or Text (a
// string, as is).
func (e *decodeEmitter) failWith(how, keyword, msg, got string) {
	e.p("d.Fail", how, "(", strconv.Quote(keyword), ", ", model.GoString(msg), ", ", got, ")")
}

// object writes the body of the decoder of an object node: members read
// in any order, each checked by its schema, then the object keywords.
func (e *decodeEmitter) object(n *model.Node) {
	e.p("if !d.BeginObject() {")
	e.p("return")
	e.p("}")
	if n.Named == nil || !n.Named.Struct {
		e.mapObject(n)
		return
	}
	var tracked []string
	for _, p := range n.Props {
		if p.Tracked() {
			tracked = append(tracked, "has"+p.Field.Name)
		}
	}
	if len(tracked) > 0 {
		e.p("var ", strings.Join(tracked, ", "), " bool")
	}
	counted := n.Schema.MinProperties != nil || n.Schema.MaxProperties != nil
	if counted {
		e.p("count := 0")
	}
	unknown := e.unknownMember(n)
	if n.Closed {
		// Only the first member refused names the allowed ones.
		e.p("listed := false")
	}
	e.p("for key, more := d.FirstKey(); more; key, more = d.NextKey() {")
	if counted {
		e.p("count++")
	}
	if len(n.Props) == 0 {
		e.patternMembers(n, unknown)
		e.p("}")
		e.properties(n)
		return
	}
	e.p("switch string(key) {")
	for _, p := range n.Props {
		e.propertyCase(n, p)
	}
	e.p("default:")
	e.patternMembers(n, unknown)
	e.p("}")
	e.p("}")
	e.properties(n)
	e.absentProperties(n)
}

// unknownMember returns the Go statements that handle a member of a struct
// object that no property or pattern declares: it is skipped, kept in the
// struct's map of additional properties, or refused when the object is
// closed.
func (e *decodeEmitter) unknownMember(n *model.Node) string {
	if n.Closed {
		allowed := "none"
		if len(n.Props) > 0 {
			names := make([]string, len(n.Props))
			for i, p := range n.Props {
				names[i] = strconv.Quote(p.Name)
			}
			allowed = strings.Join(names, ", ")
		}
		if len(n.Patterns) > 0 {
			var srcs []string
			for _, pt := range n.Patterns {
				srcs = append(srcs, pt.V.Source)
			}
			if len(n.Props) == 0 {
				allowed = "names matching " + strings.Join(srcs, " or ")
			} else {
				allowed += " and names matching " + strings.Join(srcs, " or ")
			}
		}
		return "d.Reject(key, !listed, " + model.GoString(allowed) + ")\nlisted = true"
	}
	if n.Extra != nil {
		return e.extraValue(n, "if v."+n.Extra.Name+" == nil {\nv."+n.Extra.Name+" = "+n.Extra.Type+"{}\n}\nv."+n.Extra.Name, len(n.Patterns) == 0)
	}
	return "d.SkipMember(key)"
}

// propertyCase writes the case of property p in the member switch of the
// struct object n: the value decoded into its field, and checked against
// the schema of every pattern property its name matches too.
func (e *decodeEmitter) propertyCase(n *model.Node, p *model.Prop) {
	e.p("case ", strconv.Quote(p.Name), ":")
	if p.Tracked() {
		e.p("has", p.Field.Name, " = true")
	}
	e.p("d.Push(", strconv.Quote(p.Name), ")")
	var also []*model.PatternProp
	for _, pt := range n.Patterns {
		if pt.Re.MatchString(p.Name) {
			also = append(also, pt)
		}
	}
	if also != nil {
		e.p("start := d.Offset()")
	}
	if p.IsPointer {
		e.p("v.", p.Field.Name, " = ", newValue(p.Node.GoType))
		e.p(p.Node.Method, "(d, v.", p.Field.Name, ")")
	} else {
		e.p(p.Node.Method, "(d, &v.", p.Field.Name, ")")
	}
	for i, pt := range also {
		// The property's value must match the pattern's schema too.
		e.p("d.Rewind(start)")
		e.p("var x", i, " ", pt.Node.GoType)
		e.p(pt.Node.Method, "(d, &x", i, ")")
	}
	e.p("d.Pop()")
}

// absentProperties writes, after the members of the struct object n are
// read, the handling of each tracked property that was absent: a required
// one is reported missing, one with a default gets it.
func (e *decodeEmitter) absentProperties(n *model.Node) {
	for _, p := range n.Props {
		if !p.Tracked() {
			continue
		}
		if p.Required {
		}
		if strings.Contains(p.DefLit, "json.Number(") {
			e.pkgs["encoding/json"] = true
		}
		if strings.Contains(p.DefLit, "decode.Ptr[") {
		}
		e.p("if !has", p.Field.Name, " {")
		if p.Required {
			e.p("d.Missing(", strconv.Quote(p.Name), ")")
		} else {
			e.p("v.", p.Field.Name, " = ", p.DefLit)
		}
		e.p("}")
	}
}

// patternMembers writes the decoding of a member not in "properties": by
// the schema of every pattern its name matches, the value kept in the
// struct's pattern map; by unknown (Go statements) when it matches none.
func (e *decodeEmitter) patternMembers(n *model.Node, unknown string) {
	if len(n.Patterns) == 0 {
		e.p(unknown)
		return
	}
	f := n.PatField
	e.p("k := d.Text(key)")
	if len(n.Patterns) > 1 {
		e.p("start, matched := d.Offset(), false")
	} else {
		e.p("matched := false")
	}
	for i, pt := range n.Patterns {
		e.pkgs["regexp"], e.pkgs["sync"] = true, true
		e.p("if ", pt.V.Name, "().MatchString(k) {")
		if i > 0 {
			e.p("if matched {")
			e.p("d.Rewind(start) // read the value again")
			e.p("}")
		}
		e.p("var x ", pt.Node.GoType)
		e.p("d.Push(k)")
		e.p(pt.Node.Method, "(d, &x)")
		e.p("d.Pop()")
		e.p("if !matched {")
		e.p("if v.", f.Name, " == nil {")
		e.p("v.", f.Name, " = ", f.Type, "{}")
		e.p("}")
		e.p("v.", f.Name, "[k] = x")
		e.p("}")
		e.p("matched = true")
		e.p("}")
	}
	e.p("if !matched {")
	e.p(unknown)
	e.p("}")
}

// extraValue returns the statements that decode the value of a member
// not in "properties" into the map expression dst; declare declares k,
// the member's name.
func (e *decodeEmitter) extraValue(n *model.Node, dst string, declare bool) string {
	k := ""
	if declare {
		k = "k := d.Text(key)\n"
	}
	return k +
		"var x " + n.Addl.GoType + "\n" +
		"d.Push(k)\n" +
		n.Addl.Method + "(d, &x)\n" +
		"d.Pop()\n" +
		dst + "[k] = x"
}

// mapObject writes the body of the decoder of an object that is a Go map.
func (e *decodeEmitter) mapObject(n *model.Node) {
	e.p("m := ", "map[string]"+n.Addl.GoType, "{}")
	e.p("for key, more := d.FirstKey(); more; key, more = d.NextKey() {")
	e.p(e.extraValue(n, "m", true))
	e.p("}")
	if n.Schema.MinProperties != nil || n.Schema.MaxProperties != nil {
		e.p("count := len(m)")
		e.properties(n)
	}
	e.store(n, "m", "map[string]"+n.Addl.GoType)
}

// properties writes the checks of "minProperties" and "maxProperties" on
// the variable count.
func (e *decodeEmitter) properties(n *model.Node) {
	e.count(n.Schema.MinProperties, n.Schema.MaxProperties, "count", "minProperties", "maxProperties")
}

// array writes the body of the decoder of an array node: each item decoded
// by the item schema, then the array keywords.
func (e *decodeEmitter) array(n *model.Node) {
	if n.Schema.UniqueItems {
		e.p("start := d.Offset()")
	}
	e.p("if !d.BeginArray() {")
	e.p("return")
	e.p("}")
	if n.Schema.UniqueItems && !n.Item.Comparable() {
		e.p("d.Reread() // for uniqueAgain")
	}
	elem := n.Item.GoType
	// Once a violation is found the decoded value is thrown away: items
	// are then only checked, not kept.
	e.p("s := []", elem, "{}")
	e.p("count := 0")
	e.p("for more := d.FirstElem(); more; more = d.NextElem() {")
	e.p("d.PushIndex(count)")
	e.p("count++")
	e.p("if !d.Failed() {")
	e.p("s = append(s, ", zeroLiteral(n.Item), ")")
	e.p(n.Item.Method, "(d, &s[len(s)-1])")
	e.p("} else {")
	e.p("var x ", elem)
	e.p(n.Item.Method, "(d, &x)")
	e.p("}")
	e.p("d.Pop()")
	e.p("}")
	switch {
	case !n.Schema.UniqueItems:
	case n.Item.Comparable():
		// An invalid item is not decoded, nor kept: compare the items as
		// JSON values then.
		e.p("if d.Failed() {")
		e.p("d.Reread() // for uniqueAgain")
		e.p("d.UniqueAgain(start)")
		e.p("} else {")
		e.p("decode.Unique(d, s)")
		e.p("}")
	default:
		// Go's == on structs, pointers, slices and maps is not JSON
		// equality (an absent property and its default, say): compare the
		// items as JSON values, read again.
		e.p("d.UniqueAgain(start)")
	}
	e.count(n.Schema.MinItems, n.Schema.MaxItems, "count", "minItems", "maxItems")
	e.store(n, "s", "[]"+elem)
}

// zeroLiteral returns the Go zero value of the node's type.
func zeroLiteral(n *model.Node) string {
	if n.Nullable && n.PointerNull() {
		return "nil"
	}
	switch n.Kind {
	case schema.TypeObject:
		if n.Named == nil || !n.Named.Struct {
			return "nil"
		}
		return n.GoType + "{}"
	case schema.TypeArray, model.AnyKind:
		return "nil"
	case model.UnionKind:
		return n.GoType + "{}"
	case schema.TypeString:
		if n.ValType == "time.Time" {
			return "time.Time{}"
		}
		return `""`
	case schema.TypeBoolean:
		return "false"
	}
	return "0"
}

// Code is the Go source emitted for a model.
type Code struct {
	// Marshalers are the MarshalJSON methods of the structs whose
	// properties encoding/json cannot write from struct tags alone.
	Marshalers []string
	// Decoders are the decoder functions, one per schema.
	Decoders []string
	// Imports are the packages the code imports, sorted.
	Imports []string
	// Formats is true when the code calls the runtime package formats.
	Formats bool
}

// Emit emits the decoder, check and marshal methods of model b.
func Emit(b *model.Model) Code {
	var c Code
	e := newDecodeEmitter()
	e.root = b.RootName
	for _, n := range b.Order {
		switch {
		case n.Kind == model.UnionKind:
			c.Marshalers = append(c.Marshalers, e.unionMethods(n))
		case n.NeedsMarshal():
			c.Marshalers = append(c.Marshalers, e.marshal(n))
		}
	}
	for _, n := range b.Order {
		c.Decoders = append(c.Decoders, e.method(n))
	}
	for _, g := range b.Generics {
		c.Decoders = append(c.Decoders, e.checkMethod(g))
	}
	if model.AnyNumbers(b.Values) {
		e.pkgs["encoding/json"] = true
	}
	for _, n := range b.Order {
		if n.ValType == "time.Time" {
			e.pkgs["time"] = true // the type of a field
		}
	}
	c.Imports = e.imports()
	c.Formats = e.formats
	return c
}
