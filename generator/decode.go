package generator

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

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
		e.p("defer d.recheck(d.pos, (*inputDecoder).", n.residual.method, ")")
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
	unknown := "d.skip(0)"
	if n.extra != nil {
		unknown = e.extraValue(n, "if v."+n.extra.Name+" == nil {\nv."+n.extra.Name+" = "+n.extra.Type+"{}\n}\nv."+n.extra.Name, len(n.patterns) == 0)
	}
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
		unknown = "d.reject(key, " + goString("is not allowed (allowed: "+allowed+")") + ")"
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
	e.p("default:")
	e.patternMembers(n, unknown)
	e.p("}")
	e.p("}")
	e.properties(n)
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
	e.count(n.s.MinProperties, n.s.MaxProperties, "count", "minProperties", "maxProperties", "property")
}

func (e *decodeEmitter) array(n *node) {
	e.rt.use("beginArray", "pushIndex")
	if n.s.UniqueItems {
		e.p("start := d.pos")
	}
	e.p("if !d.beginArray() {")
	e.p("return")
	e.p("}")
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
	if n.s.UniqueItems {
		// An invalid item is not decoded, nor kept: compare the items as
		// JSON values then.
		e.rt.use("inputDuplicate", "failUnique", "uniqueAgain")
		e.p("if d.total > 0 {")
		e.p("d.uniqueAgain(start)")
		e.p("} else if i, j, dup := inputDuplicate(s); dup {")
		e.p("d.failUnique(i, j)")
		e.p("}")
	}
	e.count(n.s.MinItems, n.s.MaxItems, "count", "minItems", "maxItems", "item")
	e.store(n, "s", "[]"+elem)
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

// count writes the checks of a minimum and maximum count (of items or
// characters) of expression x; unit names what is counted.
func (e *decodeEmitter) count(min, max *int64, x, minKw, maxKw, unit string) {
	if min == nil && max == nil {
		return
	}
	const got = "int64(n)"
	phrase := func(bound string, v int64) string {
		u := unit
		if v != 1 {
			u += "s"
		}
		if u == "propertys" {
			u = "properties"
		}
		if minKw == "minItems" || minKw == "minProperties" {
			return fmt.Sprintf("must have %s %d %s; got ", bound, v, u)
		}
		return fmt.Sprintf("must be %s %d %s long; got ", bound, v, u)
	}
	switch {
	case min != nil && *min > 0 && max != nil:
		e.p("if n := ", x, "; n < ", *min, " {")
		e.failWith("Int", minKw, phrase("at least", *min), got)
		e.p("} else if n > ", *max, " {")
		e.failWith("Int", maxKw, phrase("at most", *max), got)
		e.p("}")
	case min != nil && *min > 0:
		e.p("if n := ", x, "; n < ", *min, " {")
		e.failWith("Int", minKw, phrase("at least", *min), got)
		e.p("}")
	case max != nil:
		e.p("if n := ", x, "; n > ", *max, " {")
		e.failWith("Int", maxKw, phrase("at most", *max), got)
		e.p("}")
	}
}

func (e *decodeEmitter) str(n *node) {
	e.rt.use("readString")
	e.p("b, ok := d.readString()")
	e.p("if !ok {")
	e.p("return")
	e.p("}")
	if n.s.MinLength != nil && *n.s.MinLength > 0 || n.s.MaxLength != nil {
		e.pkgs["unicode/utf8"] = true
	}
	e.count(n.s.MinLength, n.s.MaxLength, "utf8.RuneCount(b)", "minLength", "maxLength", "character")
	if n.pattern != nil {
		e.pkgs["regexp"] = true
		e.p("if !", n.pattern.Name, ".Match(b) {")
		e.failWith("Quote", "pattern", "must match the pattern "+n.pattern.Source+"; got ", "b")
		e.p("}")
	}
	if n.constVal != nil {
		e.p("if string(b) != ", goString(n.constVal.String), " {")
		e.failWith("Quote", "const", enumPhrase([]*schema.Value{n.constVal}), "b")
		e.p("}")
	}
	if n.consts == nil {
		e.store(n, "string(b)", "string")
		return
	}
	e.p("switch string(b) {")
	for _, c := range n.consts {
		e.p("case ", c.Value, ":")
		e.p("*v = ", c.Name)
	}
	e.p("default:")
	e.failWith("Quote", "enum", enumPhrase(n.enumShown()), "b")
	e.p("}")
}

// enumShown returns the enum values that a violation of the node's "enum"
// names: those of its type, and null for a nullable node that allows it.
func (n *node) enumShown() []*schema.Value {
	if !n.nullable {
		return n.enum
	}
	out := n.enum
	for _, v := range n.s.Enum {
		if v.Kind == schema.KindNull {
			out = append(append([]*schema.Value(nil), n.enum...), v)
			break
		}
	}
	return out
}

// enumPhrase is the start of an enum violation's message.
func enumPhrase(values []*schema.Value) string {
	texts := make([]string, len(values))
	for i, v := range values {
		texts[i] = valueJSONLine(v)
	}
	if len(texts) == 1 {
		return "must be " + texts[0] + "; got "
	}
	return "must be one of " + strings.Join(texts, ", ") + "; got "
}

func (e *decodeEmitter) integer(n *node) {
	e.rt.use("readInt")
	e.p("x, ok := d.readInt()")
	e.numeric(n, "Int", true)
	e.store(n, "x", "int64")
}

func (e *decodeEmitter) number(n *node) {
	e.rt.use("readFloat")
	e.p("x, ok := d.readFloat()")
	e.numeric(n, "Float", false)
	e.store(n, "x", "float64")
}

// numeric writes the checks of a number x; how is "Int" or "Float", the
// kind of x for messages (see failWith).
func (e *decodeEmitter) numeric(n *node, how string, isInt bool) {
	s := n.s
	e.p("if !ok {")
	e.p("return")
	e.p("}")
	e.bound(s.Minimum, "<", "minimum", ">=", how, isInt)
	e.bound(s.Maximum, ">", "maximum", "<=", how, isInt)
	e.bound(s.ExclusiveMinimum, "<=", "exclusiveMinimum", ">", how, isInt)
	e.bound(s.ExclusiveMaximum, ">=", "exclusiveMaximum", "<", how, isInt)
	if k := s.MultipleOf; k != nil {
		msg := "must be a multiple of " + k.Lit + "; got "
		if i, ok := k.Int64(); ok && isInt {
			e.p("if x%", i, " != 0 {")
		} else {
			e.rt.use("inputMultiple", "num")
			e.p("if !inputMultiple(d.num, ", n.multiple.Name, ") {")
		}
		e.failWith(how, "multipleOf", msg, "x")
		e.p("}")
	}
	e.numEnum(n, n.enum, "enum", how)
	if n.constVal != nil {
		e.numEnum(n, []*schema.Value{n.constVal}, "const", how)
	}
}

// bound writes the check of a numeric bound on x: the violation happens
// when x op bound. An integer x is compared as an int64 when the bound is
// an integer that fits, else as a float64.
func (e *decodeEmitter) bound(b *schema.Number, op, keyword, want, how string, isInt bool) {
	if b == nil {
		return
	}
	lhs, rhs := "x", formatFloat(b.Float64())
	if i, ok := b.Int64(); ok && isInt {
		rhs = strconv.FormatInt(i, 10)
	} else if isInt {
		lhs = "float64(x)"
	}
	e.p("if ", lhs, " ", op, " ", rhs, " {")
	e.failWith(how, keyword, "must be "+want+" "+b.Lit+"; got ", "x")
	e.p("}")
}

// numEnum writes the enum (or const) check of an integer or number x.
func (e *decodeEmitter) numEnum(n *node, enum []*schema.Value, keyword, how string) {
	if enum == nil {
		return
	}
	var lits []string
	seen := map[string]bool{}
	for _, v := range enum {
		lit := formatFloat(v.Number.Float64())
		if n.kind == schema.TypeInteger {
			i64, ok := v.Number.Int64()
			if !ok {
				continue // no int64 equals it
			}
			lit = strconv.FormatInt(i64, 10)
		}
		if !seen[lit] {
			seen[lit] = true
			lits = append(lits, lit)
		}
	}
	shown := enum
	if keyword == "enum" {
		shown = n.enumShown()
	}
	if len(lits) == 0 {
		e.failWith(how, keyword, enumPhrase(shown), "x")
		return
	}
	e.p("switch x {")
	e.p("case ", strings.Join(lits, ", "), ":")
	e.p("default:")
	e.failWith(how, keyword, enumPhrase(shown), "x")
	e.p("}")
}

func (e *decodeEmitter) boolean(n *node) {
	e.rt.use("readBool")
	e.p("x, ok := d.readBool()")
	e.p("if !ok {")
	e.p("return")
	e.p("}")
	e.boolCheck(n.enum, "enum")
	if n.constVal != nil {
		e.boolCheck([]*schema.Value{n.constVal}, "const")
	}
	e.store(n, "x", "bool")
}

// goString returns a Go string literal of s: a raw literal when s has no
// back quote, carriage return or other control character, else a quoted one.
func goString(s string) string {
	for _, r := range s {
		if r == '`' || r < ' ' || r == utf8.RuneError || r == 0x7f || r == '\ufeff' {
			return strconv.Quote(s)
		}
	}
	if !utf8.ValidString(s) || !strings.ContainsAny(s, "\"\\") {
		return strconv.Quote(s)
	}
	return "`" + s + "`"
}

// boolCheck writes the enum (or const) check of a boolean x.
func (e *decodeEmitter) boolCheck(enum []*schema.Value, keyword string) {
	if len(enum) != 1 {
		return
	}
	cond := "!x"
	if !enum[0].Bool {
		cond = "x"
	}
	e.p("if ", cond, " {")
	e.fail(keyword, enumPhrase(enum)+strconv.FormatBool(!enum[0].Bool))
	e.p("}")
}
