package generator

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/direktiv-fn/direktiv-fn/schema"
)

// count writes the checks of a minimum and maximum count (of characters,
// items or properties) of expression x, the bounds of the keywords minKw
// and maxKw.
func (e *decodeEmitter) count(min, max *int64, x, minKw, maxKw string) {
	if min == nil && max == nil {
		return
	}
	const got = "int64(n)"
	phrase := func(keyword string, v int64) string { return countPhrase(keyword, v) + "; got " }
	switch {
	case min != nil && *min > 0 && max != nil:
		e.p("if n := ", x, "; n < ", *min, " {")
		e.failWith("Int", minKw, phrase(minKw, *min), got)
		e.p("} else if n > ", *max, " {")
		e.failWith("Int", maxKw, phrase(maxKw, *max), got)
		e.p("}")
	case min != nil && *min > 0:
		e.p("if n := ", x, "; n < ", *min, " {")
		e.failWith("Int", minKw, phrase(minKw, *min), got)
		e.p("}")
	case max != nil:
		e.p("if n := ", x, "; n > ", *max, " {")
		e.failWith("Int", maxKw, phrase(maxKw, *max), got)
		e.p("}")
	}
}

// str writes the body of the decoder of a string node, with its length,
// pattern, const and enum checks.
func (e *decodeEmitter) str(n *node) {
	if n.s.Types == nil {
		// An "enum" of strings without "type": another value fails "enum".
		e.p("if d.peek() != '\"' {")
		e.p("start := d.pos")
		e.p("d.skip(0)")
		e.p("if d.err == nil {")
		e.p("d.failShow(\"enum\", ", goString(enumPhrase(n.enumShown())), ", d.data[start:d.pos])")
		e.p("}")
		e.p("return")
		e.p("}")
	}
	e.rt.use("readString")
	e.p("b, ok := d.readString()")
	e.p("if !ok {")
	e.p("return")
	e.p("}")
	if n.s.MinLength != nil && *n.s.MinLength > 0 || n.s.MaxLength != nil {
		e.pkgs["unicode/utf8"] = true
	}
	e.count(n.s.MinLength, n.s.MaxLength, "utf8.RuneCount(b)", "minLength", "maxLength")
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

// integer writes the body of the decoder of an integer node.
func (e *decodeEmitter) integer(n *node) {
	e.rt.use("readInt")
	e.p("x, ok := d.readInt()")
	e.numeric(n, "Int", true)
	e.store(n, "x", "int64")
}

// number writes the body of the decoder of a number node.
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

// boolean writes the body of the decoder of a boolean node, with its enum
// and const checks.
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

// countPhrase says what a count keyword (minLength, maxItems, ...) with
// bound n asks for: "must be at least 3 characters long", "must have at
// most 1 item".
func countPhrase(keyword string, n int64) string {
	bound := "at least "
	if strings.HasPrefix(keyword, "max") {
		bound = "at most "
	}
	switch strings.TrimPrefix(strings.TrimPrefix(keyword, "min"), "max") {
	case "Length":
		return "must be " + bound + countNoun(n, "character", "characters") + " long"
	case "Properties":
		return "must have " + bound + countNoun(n, "property", "properties")
	}
	return "must have " + bound + countNoun(n, "item", "items")
}

// countNoun returns n followed by the singular noun one, or by many unless
// n is 1.
func countNoun(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.FormatInt(n, 10) + " " + many
}
