package generator

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/schema"
)

// decodeEmitter writes the decoder methods of input.gen.go, one per schema,
// in the manner of protogen: Go source built line by line, formatted later
// with the rest of the file. It records which imports and runtime parts the
// methods use.
type decodeEmitter struct {
	b    strings.Builder
	rt   Runtime
	pkgs map[string]bool
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
func (e *decodeEmitter) method(n *node) string {
	e.b.Reset()
	e.p("// ", n.method, " decodes ", docPointer(n.s.Pointer), ".")
	param := "v"
	if n.nullable && n.pointerNull() {
		param = "p"
	}
	e.p("func (d *inputDecoder) ", n.method, "(", param, " *", n.goType, ") {")
	if n.residual != nil && !n.residual.trivial() {
		e.rt.use("recheck")
		e.p("defer d.recheck(d.reread(), (*inputDecoder).", n.residual.method, ")")
	}
	if n.nullable {
		e.null(n)
		if param == "p" {
			e.p("v := new(", n.valType, ")")
			e.p("*p = v")
		}
	}
	switch n.kind {
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
	case anyKind:
		e.generic(n)
	}
	e.p("}")
	return e.b.String()
}

// store writes the assignment of the decoded value x (of Go type typ) to *v.
func (e *decodeEmitter) store(n *node, x, typ string) {
	if n.valType != typ {
		x = n.valType + "(" + x + ")"
	}
	e.p("*v = ", x)
}

// null writes the start of the decoder of a nullable node: null is
// consumed (and checked against "enum" and "const"), a value of another
// type than the node's is a type violation.
func (e *decodeEmitter) null(n *node) {
	start := map[schema.Type]string{
		schema.TypeString:  "c == '\"'",
		schema.TypeInteger: "c == '-' || '0' <= c && c <= '9'",
		schema.TypeNumber:  "c == '-' || '0' <= c && c <= '9'",
		schema.TypeBoolean: "c == 't' || c == 'f'",
		schema.TypeObject:  "c == '{'",
		schema.TypeArray:   "c == '['",
	}[n.kind]
	e.p("switch c := d.peek(); {")
	e.p("case c == 'n':")
	if ok, kw := n.nullAllowed(); !ok {
		values := n.enum
		if kw == "const" {
			values = []*schema.Value{n.s.Const}
		}
		e.p("if d.literal(\"null\") {")
		e.fail(kw, enumPhrase(values)+"null")
		e.p("}")
	} else {
		e.p("d.literal(\"null\")")
	}
	e.p("return")
	e.p("case ", start, ":")
	e.p("default:")
	e.p("d.mismatch(", goString("must be "+typePhrase([]schema.Type{n.kind, schema.TypeNull})+"; got "), ")")
	e.p("return")
	e.p("}")
}

// fail writes the recording of a violation with the constant message msg.
func (e *decodeEmitter) fail(keyword, msg string) {
	e.rt.use("fail")
	e.p("d.fail(", strconv.Quote(keyword), ", ", goString(msg), ")")
}

// failWith writes the recording of a violation whose message is msg
// followed by the value of the Go expression got, written by the runtime's
// method "fail"+how: Int (an int64), Float (a float64), Any (a generic
// value, by type and text), Quote (a []byte string, quoted) or Text (a
// string, as is).
func (e *decodeEmitter) failWith(how, keyword, msg, got string) {
	e.rt.use("fail" + how)
	e.p("d.fail", how, "(", strconv.Quote(keyword), ", ", goString(msg), ", ", got, ")")
}

// object writes the body of the decoder of an object node: members read
// in any order, each checked by its schema, then the object keywords.
func (e *decodeEmitter) object(n *node) {
	e.rt.use("beginObject", "push")
	e.p("if !d.beginObject() {")
	e.p("return")
	e.p("}")
	if n.named == nil || !n.named.Struct {
		e.mapObject(n)
		return
	}
	var tracked []string
	for _, p := range n.props {
		if p.tracked() {
			tracked = append(tracked, "has"+p.field.Name)
		}
	}
	if len(tracked) > 0 {
		e.p("var ", strings.Join(tracked, ", "), " bool")
	}
	counted := n.s.MinProperties != nil || n.s.MaxProperties != nil
	if counted {
		e.p("count := 0")
	}
	unknown := e.unknownMember(n)
	if n.closed {
		// Only the first member refused names the allowed ones.
		e.p("listed := false")
	}
	e.p("for key, more := d.firstKey(); more; key, more = d.nextKey() {")
	if counted {
		e.p("count++")
	}
	if len(n.props) == 0 {
		e.patternMembers(n, unknown)
		e.p("}")
		e.properties(n)
		return
	}
	e.p("switch string(key) {")
	for _, p := range n.props {
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
func (e *decodeEmitter) unknownMember(n *node) string {
	if n.closed {
		e.rt.use("reject")
		allowed := "none"
		if len(n.props) > 0 {
			names := make([]string, len(n.props))
			for i, p := range n.props {
				names[i] = strconv.Quote(p.name)
			}
			allowed = strings.Join(names, ", ")
		}
		if len(n.patterns) > 0 {
			var srcs []string
			for _, pt := range n.patterns {
				srcs = append(srcs, pt.v.Source)
			}
			if len(n.props) == 0 {
				allowed = "names matching " + strings.Join(srcs, " or ")
			} else {
				allowed += " and names matching " + strings.Join(srcs, " or ")
			}
		}
		return "d.reject(key, !listed, " + goString(allowed) + ")\nlisted = true"
	}
	if n.extra != nil {
		return e.extraValue(n, "if v."+n.extra.Name+" == nil {\nv."+n.extra.Name+" = "+n.extra.Type+"{}\n}\nv."+n.extra.Name, len(n.patterns) == 0)
	}
	return "d.skipMember(key)"
}

// propertyCase writes the case of property p in the member switch of the
// struct object n: the value decoded into its field, and checked against
// the schema of every pattern property its name matches too.
func (e *decodeEmitter) propertyCase(n *node, p *prop) {
	e.p("case ", strconv.Quote(p.name), ":")
	if p.tracked() {
		e.p("has", p.field.Name, " = true")
	}
	e.p("d.push(", strconv.Quote(p.name), ")")
	var also []*npattern
	for _, pt := range n.patterns {
		if pt.re.MatchString(p.name) {
			also = append(also, pt)
		}
	}
	if also != nil {
		e.p("start := d.pos")
	}
	if p.ptr {
		e.p("v.", p.field.Name, " = new(", p.node.goType, ")")
		e.p("d.", p.node.method, "(v.", p.field.Name, ")")
	} else {
		e.p("d.", p.node.method, "(&v.", p.field.Name, ")")
	}
	for i, pt := range also {
		// The property's value must match the pattern's schema too.
		e.p("if d.err == nil {")
		e.p("d.pos = start")
		e.p("}")
		e.p("var x", i, " ", pt.node.goType)
		e.p("d.", pt.node.method, "(&x", i, ")")
	}
	e.p("d.pop()")
}

// absentProperties writes, after the members of the struct object n are
// read, the handling of each tracked property that was absent: a required
// one is reported missing, one with a default gets it.
func (e *decodeEmitter) absentProperties(n *node) {
	for _, p := range n.props {
		if !p.tracked() {
			continue
		}
		if p.required {
			e.rt.use("missing")
		}
		if strings.Contains(p.defLit, "json.Number(") {
			e.pkgs["encoding/json"] = true
		}
		if strings.Contains(p.defLit, "inputPtr[") {
			e.rt.use("inputPtr")
		}
		e.p("if !has", p.field.Name, " {")
		if p.required {
			e.p("d.missing(", strconv.Quote(p.name), ")")
		} else {
			e.p("v.", p.field.Name, " = ", p.defLit)
		}
		e.p("}")
	}
}

// patternMembers writes the decoding of a member not in "properties": by
// the schema of every pattern its name matches, the value kept in the
// struct's pattern map; by unknown (Go statements) when it matches none.
func (e *decodeEmitter) patternMembers(n *node, unknown string) {
	if len(n.patterns) == 0 {
		e.p(unknown)
		return
	}
	f := n.patField
	e.p("k := string(key)")
	if len(n.patterns) > 1 {
		e.p("start, matched := d.pos, false")
	} else {
		e.p("matched := false")
	}
	for i, pt := range n.patterns {
		e.pkgs["regexp"] = true
		e.p("if ", pt.v.Name, ".MatchString(k) {")
		if i > 0 {
			e.p("if matched && d.err == nil {")
			e.p("d.pos = start // read the value again")
			e.p("}")
		}
		e.p("var x ", pt.node.goType)
		e.p("d.push(k)")
		e.p("d.", pt.node.method, "(&x)")
		e.p("d.pop()")
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
func (e *decodeEmitter) extraValue(n *node, dst string, declare bool) string {
	k := ""
	if declare {
		k = "k := string(key)\n"
	}
	return k +
		"var x " + n.addl.goType + "\n" +
		"d.push(k)\n" +
		"d." + n.addl.method + "(&x)\n" +
		"d.pop()\n" +
		dst + "[k] = x"
}

// mapObject writes the body of the decoder of an object that is a Go map.
func (e *decodeEmitter) mapObject(n *node) {
	e.p("m := ", "map[string]"+n.addl.goType, "{}")
	e.p("for key, more := d.firstKey(); more; key, more = d.nextKey() {")
	e.p(e.extraValue(n, "m", true))
	e.p("}")
	if n.s.MinProperties != nil || n.s.MaxProperties != nil {
		e.p("count := len(m)")
		e.properties(n)
	}
	e.store(n, "m", "map[string]"+n.addl.goType)
}

// properties writes the checks of "minProperties" and "maxProperties" on
// the variable count.
func (e *decodeEmitter) properties(n *node) {
	e.count(n.s.MinProperties, n.s.MaxProperties, "count", "minProperties", "maxProperties")
}

// array writes the body of the decoder of an array node: each item decoded
// by the item schema, then the array keywords.
func (e *decodeEmitter) array(n *node) {
	e.rt.use("beginArray", "pushIndex")
	if n.s.UniqueItems {
		e.p("start := d.pos")
	}
	e.p("if !d.beginArray() {")
	e.p("return")
	e.p("}")
	if n.s.UniqueItems && !n.item.comparable() {
		e.p("d.reread() // for uniqueAgain")
	}
	elem := n.item.goType
	// Once a violation is found the decoded value is thrown away: items
	// are then only checked, not kept.
	e.p("s := []", elem, "{}")
	e.p("count := 0")
	e.p("for more := d.firstElem(); more; more = d.nextElem() {")
	e.p("d.pushIndex(count)")
	e.p("count++")
	e.p("if d.total == 0 {")
	e.p("s = append(s, ", zeroLiteral(n.item), ")")
	e.p("d.", n.item.method, "(&s[len(s)-1])")
	e.p("} else {")
	e.p("var x ", elem)
	e.p("d.", n.item.method, "(&x)")
	e.p("}")
	e.p("d.pop()")
	e.p("}")
	switch {
	case !n.s.UniqueItems:
	case n.item.comparable():
		// An invalid item is not decoded, nor kept: compare the items as
		// JSON values then.
		e.rt.use("inputDuplicate", "failUnique", "uniqueAgain")
		e.p("if d.total > 0 {")
		e.p("d.reread() // for uniqueAgain")
		e.p("d.uniqueAgain(start)")
		e.p("} else if i, j, dup := inputDuplicate(s); dup {")
		e.p("d.failUnique(i, j)")
		e.p("}")
	default:
		// Go's == on structs, pointers, slices and maps is not JSON
		// equality (an absent property and its default, say): compare the
		// items as JSON values, read again.
		e.rt.use("uniqueAgain")
		e.p("d.uniqueAgain(start)")
	}
	e.count(n.s.MinItems, n.s.MaxItems, "count", "minItems", "maxItems")
	e.store(n, "s", "[]"+elem)
}

// comparable reports whether two values of the node's Go type are equal
// by == exactly when they are equal JSON values: strings, integers,
// numbers and booleans that are not pointers.
func (n *node) comparable() bool {
	switch n.kind {
	case schema.TypeString, schema.TypeInteger, schema.TypeNumber, schema.TypeBoolean:
		return !strings.HasPrefix(n.goType, "*")
	}
	return false
}

// zeroLiteral returns the Go zero value of the node's type.
func zeroLiteral(n *node) string {
	if n.nullable && n.pointerNull() {
		return "nil"
	}
	switch n.kind {
	case schema.TypeObject:
		if n.named == nil || !n.named.Struct {
			return "nil"
		}
		return n.goType + "{}"
	case schema.TypeArray, anyKind:
		return "nil"
	case schema.TypeString:
		return `""`
	case schema.TypeBoolean:
		return "false"
	}
	return "0"
}
