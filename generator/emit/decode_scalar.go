package emit

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/generator/model"
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
	phrase := func(keyword string, v int64) string { return CountPhrase(keyword, v) + "; got " }
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
func (e *decodeEmitter) str(n *model.Node) {
	if n.Schema.Types == nil {
		// An "enum" of strings without "type": another value fails "enum".
		e.p("if d.Peek() != '\"' {")
		e.p("start := d.Offset()")
		e.p("d.Skip()")
		e.p("if !d.Stopped() {")
		e.p("d.FailShow(\"enum\", ", model.GoString(EnumPhrase(n.EnumShown())), ", d.Since(start))")
		e.p("}")
		e.p("return")
		e.p("}")
	}
	e.p("b, ok := d.ReadString()")
	e.p("if !ok {")
	e.p("return")
	e.p("}")
	if n.Schema.MinLength != nil && *n.Schema.MinLength > 0 || n.Schema.MaxLength != nil {
		e.pkgs["unicode/utf8"] = true
	}
	e.count(n.Schema.MinLength, n.Schema.MaxLength, "utf8.RuneCount(b)", "minLength", "maxLength")
	if n.Pattern != nil {
		e.pkgs["regexp"], e.pkgs["sync"] = true, true
		e.p("if !", n.Pattern.Name, "().Match(b) {")
		e.failWith("Quote", "pattern", "must match the pattern "+n.Pattern.Source+"; got ", "b")
		e.p("}")
	}
	if f := model.AssertedFormat(n); f != "" {
		e.formats = true
		info := model.FormatTable[f]
		if n.ValType == "time.Time" {
			e.p("t, ok := formats.ParseDateTime(string(b))")
			e.p("if !ok {")
		} else {
			e.p("if !formats.", info.Checker, "(string(b)) {")
		}
		e.failWith("Quote", "format", info.Phrase, "b")
		e.p("}")
		if n.ValType == "time.Time" {
			e.store(n, "t", "time.Time")
			return
		}
	}
	if n.ConstVal != nil {
		e.p("if string(b) != ", model.GoString(n.ConstVal.String), " {")
		e.failWith("Quote", "const", EnumPhrase([]*schema.Value{n.ConstVal}), "b")
		e.p("}")
	}
	if n.Consts == nil {
		e.store(n, "d.Text(b)", "string")
		return
	}
	e.p("switch string(b) {")
	for _, c := range n.Consts {
		e.p("case ", c.Value, ":")
		e.p("*v = ", c.Name)
	}
	e.p("default:")
	e.failWith("Quote", "enum", EnumPhrase(n.EnumShown()), "b")
	e.p("}")
}

// EnumPhrase is the start of an enum violation's message.
func EnumPhrase(values []*schema.Value) string {
	texts := make([]string, len(values))
	for i, v := range values {
		texts[i] = model.ValueJSONLine(v)
	}
	if len(texts) == 1 {
		return "must be " + texts[0] + "; got "
	}
	return "must be one of " + strings.Join(texts, ", ") + "; got "
}

// integer writes the body of the decoder of an integer node.
func (e *decodeEmitter) integer(n *model.Node) {
	e.p("x, ok := d.ReadInt()")
	e.numeric(n, true)
	e.store(n, "x", "int64")
}

// number writes the body of the decoder of a number node.
func (e *decodeEmitter) number(n *model.Node) {
	e.p("x, ok := d.ReadFloat()")
	e.numeric(n, false)
	e.store(n, "x", "float64")
}

// numeric writes the checks of a number x, an int64 when isInt, else a
// float64 whose literal is d.Num(). Every check compares exact values.
func (e *decodeEmitter) numeric(n *model.Node, isInt bool) {
	s := n.Schema
	e.p("if !ok {")
	e.p("return")
	e.p("}")
	bounds := []struct {
		b           *schema.Number
		op, keyword string
		want        string
	}{
		{s.Minimum, "<", "minimum", ">="},
		{s.Maximum, ">", "maximum", "<="},
		{s.ExclusiveMinimum, "<=", "exclusiveMinimum", ">"},
		{s.ExclusiveMaximum, ">=", "exclusiveMaximum", "<"},
	}
	for _, b := range bounds {
		if b.b == nil {
			continue
		}
		msg := "must be " + b.want + " " + b.b.Lit + "; got "
		if isInt {
			e.intBound(b.b, b.op, b.keyword, msg)
		} else {
			e.floatBound(b.b, b.op, b.keyword, msg)
		}
	}
	if k := s.MultipleOf; k != nil {
		msg := "must be a multiple of " + k.Lit + "; got "
		if isInt {
			// An integer x is a multiple of p/q (in lowest terms) exactly
			// when p divides x.
			if p := k.Rat().Num(); p.IsInt64() {
				e.p("if x%", p.Int64(), " != 0 {")
			} else {
				e.p("if x != 0 {")
			}
			e.failWith("Int", "multipleOf", msg, "x")
		} else {
			e.p("if !decode.Multiple(d.Num(), ", n.Multiple.Name, ") {")
			e.p("d.FailNum(\"multipleOf\", ", model.GoString(msg), ")")
		}
		e.p("}")
	}
	e.numEnum(n, n.Enum, "enum", isInt)
	if n.ConstVal != nil {
		e.numEnum(n, []*schema.Value{n.ConstVal}, "const", isInt)
	}
}

// intBound writes the check of a numeric bound on an int64 x: the
// violation happens when x op bound. The bound is made an integer (x < 1.5
// is x < 2), or the check a constant when no int64 is beyond it.
func (e *decodeEmitter) intBound(b *schema.Number, op, keyword, msg string) {
	r := b.Rat()
	floor := new(big.Int).Div(r.Num(), r.Denom()) // Euclidean: the floor, the denominator being positive
	ceil := new(big.Int).Set(floor)
	if !r.IsInt() {
		ceil.Add(ceil, big.NewInt(1))
	}
	c := ceil // x < b is x < ceil(b); x >= b is x >= ceil(b)
	if op == ">" || op == "<=" {
		c = floor // x > b is x > floor(b); x <= b is x <= floor(b)
	}
	minInt, maxInt := big.NewInt(math.MinInt64), big.NewInt(math.MaxInt64)
	var always, never bool
	switch op {
	case "<":
		always, never = c.Cmp(maxInt) > 0, c.Cmp(minInt) <= 0
	case ">":
		always, never = c.Cmp(minInt) < 0, c.Cmp(maxInt) >= 0
	case "<=":
		always, never = c.Cmp(maxInt) >= 0, c.Cmp(minInt) < 0
	case ">=":
		always, never = c.Cmp(minInt) <= 0, c.Cmp(maxInt) > 0
	}
	switch {
	case never:
	case always:
		e.failWith("Int", keyword, msg, "x")
	default:
		e.p("if x ", op, " ", c.String(), " {")
		e.failWith("Int", keyword, msg, "x")
		e.p("}")
	}
}

// floatBound writes the check of a numeric bound on a float64 x whose
// literal is d.Num(): the violation happens when the literal's exact value
// op bound. As rounding to float64 keeps the order, only an x equal to the
// bound's float64 needs the exact comparison of the literals.
func (e *decodeEmitter) floatBound(b *schema.Number, op, keyword, msg string) {
	cmp := "decode.Compare(d.Num(), " + strconv.Quote(b.Lit) + ") " + op + " 0"
	if f := b.Float64(); !math.IsInf(f, 0) {
		lit := model.FormatFloat(f)
		cmp = "x " + strings.TrimSuffix(op, "=") + " " + lit + " || x == " + lit + " && " + cmp
	}
	e.p("if ", cmp, " {")
	e.p("d.FailNum(", strconv.Quote(keyword), ", ", model.GoString(msg), ")")
	e.p("}")
}

// numEnum writes the enum (or const) check of a number x: an int64 when
// isInt, compared with the integer values, else a float64 whose literal
// d.Num() is compared exactly with the values.
func (e *decodeEmitter) numEnum(n *model.Node, enum []*schema.Value, keyword string, isInt bool) {
	if enum == nil {
		return
	}
	var lits []string
	seen := map[string]bool{}
	for _, v := range enum {
		lit := strconv.Quote(v.Number.Lit)
		if isInt {
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
		shown = n.EnumShown()
	}
	fail := func() {
		if isInt {
			e.failWith("Int", keyword, EnumPhrase(shown), "x")
			return
		}
		e.p("d.FailNum(", strconv.Quote(keyword), ", ", model.GoString(EnumPhrase(shown)), ")")
	}
	switch {
	case len(lits) == 0:
		fail()
	case isInt:
		e.p("switch x {")
		e.p("case ", strings.Join(lits, ", "), ":")
		e.p("default:")
		fail()
		e.p("}")
	default:
		e.p("if !decode.NumIn(d.Num(), ", strings.Join(lits, ", "), ") {")
		fail()
		e.p("}")
	}
}

// boolean writes the body of the decoder of a boolean node, with its enum
// and const checks.
func (e *decodeEmitter) boolean(n *model.Node) {
	e.p("x, ok := d.ReadBool()")
	e.p("if !ok {")
	e.p("return")
	e.p("}")
	e.boolCheck(n.Enum, "enum")
	if n.ConstVal != nil {
		e.boolCheck([]*schema.Value{n.ConstVal}, "const")
	}
	e.store(n, "x", "bool")
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
	e.fail(keyword, EnumPhrase(enum)+strconv.FormatBool(!enum[0].Bool))
	e.p("}")
}

// CountPhrase says what a count keyword (minLength, maxItems, ...) with
// bound n asks for: "must be at least 3 characters long", "must have at
// most 1 item".
func CountPhrase(keyword string, n int64) string {
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
