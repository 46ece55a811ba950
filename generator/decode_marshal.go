package generator

import (
	"strconv"
	"strings"
)

// marshal returns the source of the MarshalJSON method of the struct of
// n, which needsMarshal: encoding/json writes the fields its tags name, then
// the method writes the properties no tag can name, and the members of the
// pattern and additional maps in key order. Decoding what it writes gives
// the same value back.
func (e *decodeEmitter) marshal(n *node) string {
	e.b.Reset()
	e.pkgs["encoding/json"] = true
	e.rt.use("inputMember")
	name := n.named.Name
	var what []string
	for _, p := range n.props {
		if p.untagged {
			what = append(what, "the property "+strconv.Quote(p.name))
		}
	}
	if n.patField != nil || n.extra != nil {
		what = append(what, "the members of "+strings.Join(mapFields(n), " and ")+" in key order")
	}
	doc := "MarshalJSON encodes v as a JSON object: the properties that the struct tags name, as encoding/json writes them, then " +
		strings.Join(what, ", then ") + "."
	e.p(goComment(0, wrapDoc(doc)))
	e.p("func (v ", name, ") MarshalJSON() ([]byte, error) {")
	e.p("type plain ", name)
	e.p("b, err := json.Marshal(plain(v))")
	e.p("if err != nil {")
	e.p("return nil, err")
	e.p("}")
	e.p("b = b[:len(b)-1] // the closing brace")
	for _, p := range n.props {
		if !p.untagged {
			continue
		}
		x := "v." + p.field.Name
		omit := ""
		switch {
		case p.required || p.def != nil:
		case strings.HasPrefix(p.field.Type, "[]") || strings.HasPrefix(p.field.Type, "map["):
			omit = "len(" + x + ") > 0"
		default:
			omit = x + " != nil"
		}
		if omit != "" {
			e.p("if ", omit, " {")
		}
		e.p("if b, err = inputMember(b, ", goString(p.name), ", ", x, "); err != nil {")
		e.p("return nil, err")
		e.p("}")
		if omit != "" {
			e.p("}")
		}
	}
	var names []string
	for _, p := range n.props {
		names = append(names, goString(p.name))
	}
	for i, f := range []*GoField{n.patField, n.extra} {
		if f == nil {
			continue
		}
		e.rt.use("inputSortedKeys")
		e.p("for _, k := range inputSortedKeys(v.", f.Name, ") {")
		if len(names) > 0 {
			e.p("switch k {")
			e.p("case ", strings.Join(names, ", "), ":")
			e.p("continue // a declared property's field wins")
			e.p("}")
		}
		if i == 1 && n.patField != nil {
			e.p("if _, ok := v.", n.patField.Name, "[k]; ok {")
			e.p("continue")
			e.p("}")
		}
		e.p("if b, err = inputMember(b, k, v.", f.Name, "[k]); err != nil {")
		e.p("return nil, err")
		e.p("}")
		e.p("}")
	}
	e.p("return append(b, '}'), nil")
	e.p("}")
	return e.b.String()
}

// mapFields returns the names of the map fields of the struct of n.
func mapFields(n *node) []string {
	var out []string
	for _, f := range []*GoField{n.patField, n.extra} {
		if f != nil {
			out = append(out, f.Name)
		}
	}
	return out
}
