package emit

import (
	"strconv"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/generator/model"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// checkMethod returns the source of the check method of g.
func (e *decodeEmitter) checkMethod(g *model.GNode) string {
	e.b.Reset()
	s := g.Schema
	e.p("// ", g.Method, " validates a value against ", model.DocPointerOf(e.root, s.Pointer), ".")
	e.p("func ", g.Method, "(d *decode.Decoder, v any) {")
	if s.Bool != nil {
		e.fail("false", "is not allowed: the schema is false")
		e.p("}")
		return e.b.String()
	}
	if g.Ref != nil && !g.Ref.Trivial() {
		e.p(g.Ref.Method, "(d, v)")
	}
	if g.Types != nil {
		conds := make([]string, len(g.Types))
		for i, t := range g.Types {
			conds[i] = "t == " + strconv.Quote(t)
		}
		e.p("if t := decode.TypeOf(v); !(", strings.Join(conds, " || "), ") {")
		e.failWith("Any", "type", "must be "+TypePhrase(s.Types)+"; got ", "v")
		e.p("return")
		e.p("}")
	}
	if s.Const != nil {
		msg := "must be " + model.ValueJSONLine(s.Const)
		if g.ConstVar == nil {
			e.p("if v != nil {")
		} else {
			e.p("if !decode.Equal(v, ", g.ConstVar.Name, ") {")
		}
		e.failWith("Any", "const", msg+"; got ", "v")
		e.p("}")
	}
	if g.EnumVar != nil {
		e.p("if !decode.In(v, ", g.EnumVar.Name, ") {")
		e.failWith("Any", "enum", EnumPhrase(s.Enum), "v")
		e.p("}")
	}
	e.genericString(g)
	e.genericNumber(g)
	e.genericObject(g)
	e.genericArray(g)
	e.applicators(g)
	e.p("}")
	return e.b.String()
}

// TypePhrase names types for a message: "a string or null".
func TypePhrase(types []schema.Type) string {
	words := make([]string, len(types))
	for i, t := range types {
		switch t {
		case schema.TypeNull:
			words[i] = "null"
		case schema.TypeObject, schema.TypeArray, schema.TypeInteger:
			words[i] = "an " + string(t)
		default:
			words[i] = "a " + string(t)
		}
	}
	return strings.Join(words, " or ")
}

// call writes a check of value x by g, at the path entered by push (a Go
// statement, or "" for the current path).
func (e *decodeEmitter) call(g *model.GNode, x, push string) {
	if g == nil || g.Trivial() {
		return
	}
	if push == "" {
		e.p(g.Method, "(d, ", x, ")")
		return
	}
	e.p(push)
	e.p(g.Method, "(d, ", x, ")")
	e.p("d.Pop()")
}

// genericString writes the string keywords' checks of a generic value x.
func (e *decodeEmitter) genericString(g *model.GNode) {
	s := g.Schema
	lengths := s.MinLength != nil && *s.MinLength > 0 || s.MaxLength != nil
	if !lengths && g.Pattern == nil && g.Format == "" {
		return
	}
	e.p("if x, ok := v.(string); ok {")
	if lengths {
		e.pkgs["unicode/utf8"] = true
	}
	e.count(s.MinLength, s.MaxLength, "utf8.RuneCountInString(x)", "minLength", "maxLength")
	if g.Pattern != nil {
		e.pkgs["regexp"], e.pkgs["sync"] = true, true
		e.p("if !", g.Pattern.Name, "().MatchString(x) {")
		e.failWith("Quote", "pattern", "must match the pattern "+g.Pattern.Source+"; got ", "[]byte(x)")
		e.p("}")
	}
	if g.Format != "" {
		e.formats = true
		info := model.FormatTable[g.Format]
		e.p("if !formats.", info.Checker, "(x) {")
		e.failWith("Quote", "format", info.Phrase, "[]byte(x)")
		e.p("}")
	}
	e.p("}")
}

// genericNumber writes the numeric keywords' checks of a generic value x.
func (e *decodeEmitter) genericNumber(g *model.GNode) {
	s := g.Schema
	bounds := []struct {
		b                 *schema.Number
		op, keyword, want string
	}{
		{s.Minimum, "<", "minimum", ">="},
		{s.Maximum, ">", "maximum", "<="},
		{s.ExclusiveMinimum, "<=", "exclusiveMinimum", ">"},
		{s.ExclusiveMaximum, ">=", "exclusiveMaximum", "<"},
	}
	any := g.Multiple != nil
	for _, b := range bounds {
		any = any || b.b != nil
	}
	if !any {
		return
	}
	e.pkgs["encoding/json"] = true
	e.p("if x, ok := v.(json.Number); ok {")
	if g.Multiple != nil {
		e.p("if !decode.Multiple(x, ", g.Multiple.Name, ") {")
		e.failWith("Text", "multipleOf", "must be a multiple of "+s.MultipleOf.Lit+"; got ", "string(x)")
		e.p("}")
	}
	for _, b := range bounds {
		if b.b == nil {
			continue
		}
		e.p("if decode.Compare(x, ", strconv.Quote(b.b.Lit), ") ", b.op, " 0 {")
		e.failWith("Text", b.keyword, "must be "+b.want+" "+b.b.Lit+"; got ", "string(x)")
		e.p("}")
	}
	e.p("}")
}

// genericObject writes the object keywords' checks of a generic value x,
// and the checks of its members.
func (e *decodeEmitter) genericObject(g *model.GNode) {
	s := g.Schema
	var body []func()
	for _, p := range g.Props {
		if p.G.Trivial() {
			continue
		}
		p := p
		body = append(body, func() {
			e.p("if pv, ok := x[", model.GoString(p.Name), "]; ok {")
			e.call(p.G, "pv", "d.Push("+model.GoString(p.Name)+")")
			e.p("}")
		})
	}
	for _, r := range s.Required {
		r := r
		body = append(body, func() {
			e.p("if _, ok := x[", model.GoString(r), "]; !ok {")
			e.p("d.Missing(", model.GoString(r), ")")
			e.p("}")
		})
	}
	if s.MinProperties != nil || s.MaxProperties != nil {
		body = append(body, func() {
			e.count(s.MinProperties, s.MaxProperties, "len(x)", "minProperties", "maxProperties")
		})
	}
	for _, d := range s.DependentRequired {
		if len(d.Required) == 0 {
			continue
		}
		d := d
		body = append(body, func() {
			e.p("if _, ok := x[", model.GoString(d.Property), "]; ok {")
			for _, r := range d.Required {
				e.p("if _, ok := x[", model.GoString(r), "]; !ok {")
				e.p("d.Push(", model.GoString(r), ")")
				e.fail("dependentRequired", "is required when "+strconv.Quote(d.Property)+" is present")
				e.p("d.Pop()")
				e.p("}")
			}
			e.p("}")
		})
	}
	for _, d := range g.Depends {
		if d.G.Trivial() {
			continue
		}
		d := d
		body = append(body, func() {
			e.p("if _, ok := x[", model.GoString(d.Name), "]; ok {")
			e.call(d.G, "v", "")
			e.p("}")
		})
	}
	if f := e.keyLoop(g); f != nil {
		body = append(body, f)
	}
	if len(body) == 0 {
		return
	}
	e.p("if x, ok := v.(map[string]any); ok {")
	for _, f := range body {
		f()
	}
	e.p("}")
}

// keyLoop returns the writer of the loop over an object's keys for
// "patternProperties", "additionalProperties" and "propertyNames", or nil.
func (e *decodeEmitter) keyLoop(g *model.GNode) func() {
	s := g.Schema
	var patterns []model.GPattern
	for _, p := range g.Patterns {
		if !p.G.Trivial() || g.Addl != nil {
			patterns = append(patterns, p)
		}
	}
	addl := g.Addl != nil && !g.Addl.Trivial()
	names := g.Names != nil && !g.Names.Trivial()
	if !addl && !names && len(patterns) == 0 {
		return nil
	}
	return func() {
		e.p("for _, k := range decode.SortedKeys(x) {")
		if names {
			e.p("d.CheckName(k, ", g.Names.Method, ")")
		}
		direct := addl && len(patterns) == 0 && len(s.Properties) == 0
		if addl && !direct {
			e.p("matched := false")
		}
		for _, p := range patterns {
			e.pkgs["regexp"], e.pkgs["sync"] = true, true
			e.p("if ", p.V.Name, "().MatchString(k) {")
			if addl && !direct {
				e.p("matched = true")
			}
			e.call(p.G, "x[k]", "d.Push(k)")
			e.p("}")
		}
		if addl {
			if len(s.Properties) > 0 {
				names := make([]string, len(s.Properties))
				for i, p := range s.Properties {
					names[i] = model.GoString(p.Name)
				}
				e.p("switch k {")
				e.p("case ", strings.Join(names, ", "), ":")
				e.p("matched = true")
				e.p("}")
			}
			if !direct {
				e.p("if !matched {")
			}
			if g.Addl.Schema.IsFalse() {
				e.p("d.Push(k)")
				e.fail("additionalProperties", "is not allowed")
				e.p("d.Pop()")
			} else {
				e.call(g.Addl, "x[k]", "d.Push(k)")
			}
			if !direct {
				e.p("}")
			}
		}
		e.p("}")
	}
}

// genericArray writes the array keywords' checks of a generic value x,
// and the checks of its items.
func (e *decodeEmitter) genericArray(g *model.GNode) {
	s := g.Schema
	var body []func()
	for i, p := range g.Prefix {
		if p.Trivial() {
			continue
		}
		i, p := i, p
		body = append(body, func() {
			e.p("if len(x) > ", i, " {")
			e.call(p, "x["+strconv.Itoa(i)+"]", "d.PushIndex("+strconv.Itoa(i)+")")
			e.p("}")
		})
	}
	if g.Items != nil && !g.Items.Trivial() {
		body = append(body, func() {
			n := len(g.Prefix)
			if g.Items.Schema.IsFalse() {
				e.p("if len(x) > ", n, " {")
				e.failWith("Int", "items", "must have at most "+strconv.Itoa(n)+" items; got ", "int64(len(x))")
				e.p("}")
				return
			}
			e.p("for i := ", n, "; i < len(x); i++ {")
			e.call(g.Items, "x[i]", "d.PushIndex(i)")
			e.p("}")
		})
	}
	if g.Contains != nil && (s.MinContains == nil || *s.MinContains > 0 || s.MaxContains != nil) {
		body = append(body, func() { e.contains(g) })
	}
	if s.MinItems != nil || s.MaxItems != nil {
		body = append(body, func() {
			e.count(s.MinItems, s.MaxItems, "len(x)", "minItems", "maxItems")
		})
	}
	if s.UniqueItems {
		body = append(body, func() {
			e.p("d.UniqueAny(x)")
		})
	}
	if len(body) == 0 {
		return
	}
	e.p("if x, ok := v.([]any); ok {")
	for _, f := range body {
		f()
	}
	e.p("}")
}

// contains writes the checks of "contains", "minContains" and "maxContains".
func (e *decodeEmitter) contains(g *model.GNode) {
	s := g.Schema
	min, minKw := int64(1), "contains"
	if s.MinContains != nil {
		min, minKw = *s.MinContains, "minContains"
	}
	if g.Contains.Trivial() {
		e.p("matches := len(x)")
	} else {
		e.p("matches := 0")
		e.p("for _, item := range x {")
		e.p("if d.Probe(item, ", g.Contains.Method, ") {")
		e.p("matches++")
		e.p("}")
		e.p("}")
	}
	if min > 0 {
		e.p("if matches < ", min, " {")
		e.failWith("Int", minKw, "must contain at least "+matchingItems(min)+"; got ", "int64(matches)")
		e.p("}")
	}
	if s.MaxContains != nil {
		e.p("if matches > ", *s.MaxContains, " {")
		e.failWith("Int", "maxContains", "must contain at most "+matchingItems(*s.MaxContains)+"; got ", "int64(matches)")
		e.p("}")
	}
}

// matchingItems counts matching items: "1 matching item", "2 matching items".
func matchingItems(n int64) string {
	if n == 1 {
		return "1 matching item"
	}
	return strconv.FormatInt(n, 10) + " matching items"
}

// probe returns the expression that reports whether v passes g, which is
// not trivial.
func (e *decodeEmitter) probe(g *model.GNode) string {
	return "d.Probe(v, " + g.Method + ")"
}

// applicators writes the checks of allOf, anyOf, oneOf, not and if.
// Trivial subschemas (true, {}) are decided here rather than probed.
func (e *decodeEmitter) applicators(g *model.GNode) {
	for _, a := range g.AllOf {
		e.call(a, "v", "")
	}
	if g.AnyOf != nil {
		var probes []string
		always := false
		for _, a := range g.AnyOf {
			always = always || a.Trivial()
			if !a.Trivial() {
				probes = append(probes, e.probe(a))
			}
		}
		if !always {
			e.p("if !(", strings.Join(probes, " || "), ") {")
			e.fail("anyOf", "must match at least one of the anyOf schemas; it matches none")
			e.p("}")
		}
	}
	if g.OneOf != nil {
		e.oneOf(g)
	}
	if g.Not != nil {
		if g.Not.Trivial() {
			e.fail("not", "must not match the \"not\" schema")
		} else {
			e.p("if ", e.probe(g.Not), " {")
			e.fail("not", "must not match the \"not\" schema")
			e.p("}")
		}
	}
	cond, then, els := g.IfThen[0], g.IfThen[1], g.IfThen[2]
	thenOK := then == nil || then.Trivial()
	elseOK := els == nil || els.Trivial()
	switch {
	case cond == nil || thenOK && elseOK:
	case cond.Trivial():
		e.call(then, "v", "")
	case elseOK:
		e.p("if ", e.probe(cond), " {")
		e.call(then, "v", "")
		e.p("}")
	case thenOK:
		e.p("if !", e.probe(cond), " {")
		e.call(els, "v", "")
		e.p("}")
	default:
		e.p("if ", e.probe(cond), " {")
		e.call(then, "v", "")
		e.p("} else {")
		e.call(els, "v", "")
		e.p("}")
	}
}

// oneOf writes the check of "oneOf": exactly one subschema must pass. A
// violation names the subschemas that match, by index, or when none does,
// the first problem of the one that comes closest.
func (e *decodeEmitter) oneOf(g *model.GNode) {
	var trivial []string
	for i, a := range g.OneOf {
		if a.Trivial() {
			trivial = append(trivial, "#"+strconv.Itoa(i))
		}
	}
	if len(trivial) > 1 {
		e.fail("oneOf", "must match exactly one of the oneOf schemas; it matches "+strings.Join(trivial, ", ")+", which accept every value")
		return
	}
	e.p("var buf [4]int")
	e.p("hits := buf[:0]")
	for i, a := range g.OneOf {
		if a.Trivial() {
			e.p("hits = append(hits, ", i, ")")
			continue
		}
		e.p("if ", e.probe(a), " {")
		e.p("hits = append(hits, ", i, ")")
		e.p("}")
	}
	checks := make([]string, len(g.OneOf))
	for i, a := range g.OneOf {
		checks[i] = "nil"
		if !a.Trivial() {
			checks[i] = "" + a.Method
		}
	}
	e.p("if len(hits) != 1 {")
	e.p("d.FailOneOf(hits, v, []func(*decode.Decoder, any){", strings.Join(checks, ", "), "})")
	e.p("}")
}

// generic writes the body of the decoder of a generic node.
func (e *decodeEmitter) generic(n *model.Node) {
	e.p("x := d.ReadAny()")
	if !n.Check.Trivial() {
		e.p(n.Check.Method, "(d, x)")
	}
	e.p("*v = x")
}
