package emit

import (
	"strconv"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/generator/model"
)

// marshal returns the source of the MarshalJSON method of the struct of
// n, which needsMarshal: encoding/json writes the fields its tags name, then
// the method writes the properties no tag can name, and the members of the
// pattern and additional maps in key order. Decoding what it writes gives
// the same value back.
func (e *decodeEmitter) marshal(n *model.Node) string {
	e.b.Reset()
	e.pkgs["encoding/json"] = true
	name := n.Named.Name
	var what []string
	for _, p := range n.Props {
		if p.Untagged {
			what = append(what, "the property "+strconv.Quote(p.Name))
		}
	}
	if n.PatField != nil || n.Extra != nil {
		what = append(what, "the members of "+strings.Join(mapFields(n), " and ")+" in key order")
	}
	doc := "MarshalJSON encodes v as a JSON object: the properties that the struct tags name, as encoding/json writes them, then " +
		strings.Join(what, ", then ") + "."
	e.p(model.GoComment(0, model.WrapDoc(doc)))
	e.p("func (v ", name, ") MarshalJSON() ([]byte, error) {")
	e.p("type plain ", name)
	e.p("b, err := json.Marshal(plain(v))")
	e.p("if err != nil {")
	e.p("return nil, err")
	e.p("}")
	e.p("b = b[:len(b)-1] // the closing brace")
	for _, p := range n.Props {
		if !p.Untagged {
			continue
		}
		x := "v." + p.Field.Name
		omit := ""
		switch {
		case p.Required || p.Def != nil:
		case strings.HasPrefix(p.Field.Type, "[]") || strings.HasPrefix(p.Field.Type, "map["):
			omit = "len(" + x + ") > 0"
		default:
			omit = x + " != nil"
		}
		if omit != "" {
			e.p("if ", omit, " {")
		}
		e.p("if b, err = decode.Member(b, ", model.GoString(p.Name), ", ", x, "); err != nil {")
		e.p("return nil, err")
		e.p("}")
		if omit != "" {
			e.p("}")
		}
	}
	var names []string
	for _, p := range n.Props {
		names = append(names, model.GoString(p.Name))
	}
	for i, f := range []*model.GoField{n.PatField, n.Extra} {
		if f == nil {
			continue
		}
		e.p("for _, k := range decode.SortedKeys(v.", f.Name, ") {")
		if len(names) > 0 {
			e.p("switch k {")
			e.p("case ", strings.Join(names, ", "), ":")
			e.p("continue // a declared property's field wins")
			e.p("}")
		}
		if i == 1 && n.PatField != nil {
			e.p("if _, ok := v.", n.PatField.Name, "[k]; ok {")
			e.p("continue")
			e.p("}")
		}
		e.p("if b, err = decode.Member(b, k, v.", f.Name, "[k]); err != nil {")
		e.p("return nil, err")
		e.p("}")
		e.p("}")
	}
	e.p("return append(b, '}'), nil")
	e.p("}")
	return e.b.String()
}

// mapFields returns the names of the map fields of the struct of n.
func mapFields(n *model.Node) []string {
	var out []string
	for _, f := range []*model.GoField{n.PatField, n.Extra} {
		if f != nil {
			out = append(out, f.Name)
		}
	}
	return out
}
