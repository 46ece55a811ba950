package emit

import (
	"strconv"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/generator/model"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// typeStart is the condition on the first byte c of a value of a JSON
// type.
var typeStart = map[schema.Type]string{
	schema.TypeString:  "c == '\"'",
	schema.TypeInteger: "c == '-' || '0' <= c && c <= '9'",
	schema.TypeNumber:  "c == '-' || '0' <= c && c <= '9'",
	schema.TypeBoolean: "c == 't' || c == 'f'",
	schema.TypeObject:  "c == '{'",
	schema.TypeArray:   "c == '['",
}

// union writes the body of the decoder of union node n: the branch is
// picked from the first byte of the value, or from its discriminator
// property, and decoded into its field; the other fields stay nil.
func (e *decodeEmitter) union(n *model.Node) {
	u := n.Union
	if u.Keyed {
		e.keyed(n)
		return
	}
	if u.Tag == "" {
		types := branchTypes(u)
		e.p("switch c := d.Peek(); {")
		for _, br := range u.Branches {
			e.p("case ", typeStart[br.Type], ":")
			e.setBranch(br)
		}
		e.p("default:")
		e.p("d.Mismatch(", model.GoString("must be "+TypePhrase(types)+"; got "), ")")
		e.p("}")
		return
	}
	// The discriminator is looked up ahead, up to it only: when it comes
	// first, as it usually does, that costs one member.
	e.p("if d.Peek() != '{' {")
	e.p("d.Mismatch(", model.GoString("must be an object; got "), ")")
	e.p("return")
	e.p("}")
	e.p("raw, tag, isString := d.Tag(", strconv.Quote(u.Tag), ")")
	e.p("switch {")
	for _, br := range u.Branches {
		var conds []string
		for _, t := range br.Tags {
			conds = append(conds, "string(tag) == "+strconv.Quote(t))
		}
		e.p("case isString && (", strings.Join(conds, " || "), "):")
		e.setBranch(br)
	}
	told := "must match one of the " + u.Keyword + " schemas, told apart by " + strconv.Quote(u.Tag) + " (" + strings.Join(u.TagList(), ", ") + ")"
	e.p("case raw == nil:")
	e.fail(u.Keyword, told+": it has none")
	e.p("d.Skip()")
	e.p("default:")
	e.p("d.FailShow(", strconv.Quote(u.Keyword), ", ", model.GoString(told+"; it is "), ", raw)")
	e.p("d.Skip()")
	e.p("}")
}

// keyed writes the body of the decoder of Keyed union node n: the branch
// is the one whose keys the object has, looked up ahead over its members.
func (e *decodeEmitter) keyed(n *model.Node) {
	u := n.Union
	e.p("if d.Peek() != '{' {")
	e.p("d.Mismatch(", model.GoString("must be an object; got "), ")")
	e.p("return")
	e.p("}")
	e.p("switch br, has := d.KeyBranch(", keyTable(u), "); br {")
	for i, br := range u.Branches {
		e.p("case ", strconv.Itoa(i), ":")
		e.setBranch(br)
	}
	e.p("default:")
	e.failWith("Text", u.Keyword, keyedTold(u)+": it has ", "has")
	e.p("d.Skip()")
	e.p("}")
}

// keyTable is the Go literal of the keys of the branches of Keyed union u.
func keyTable(u *model.Union) string {
	var keys []string
	for _, br := range u.Branches {
		keys = append(keys, "{"+quoteAll(br.Keys)+"}")
	}
	return "[][]string{" + strings.Join(keys, ", ") + "}"
}

// keyedTold is the start of the message of a value that no branch of Keyed
// union u picks.
func keyedTold(u *model.Union) string {
	return "must match one of the " + u.Keyword + " schemas, told apart by the property each requires (" + strings.Join(u.TagList(), ", ") + ")"
}

// setBranch writes the decoding of the value into the field of branch br.
func (e *decodeEmitter) setBranch(br *model.Branch) {
	e.p("v.", br.Field.Name, " = new(", br.Node.GoType, ")")
	e.p(br.Node.Method, "(d, v.", br.Field.Name, ")")
}

// unionMethods returns the source of the MarshalJSON, UnmarshalJSON and
// Which methods of the struct of union node n.
func (e *decodeEmitter) unionMethods(n *model.Node) string {
	e.b.Reset()
	e.pkgs["encoding/json"] = true
	name := n.Named.Name
	var fields []string
	for _, br := range n.Union.Branches {
		fields = append(fields, br.Field.Name)
	}
	e.p("// MarshalJSON encodes the branch of v that is set; null when none is.")
	e.p("func (v ", name, ") MarshalJSON() ([]byte, error) {")
	e.p("switch {")
	for _, f := range fields {
		e.p("case v.", f, " != nil:")
		e.p("return json.Marshal(v.", f, ")")
	}
	e.p("}")
	e.p("return []byte(\"null\"), nil")
	e.p("}")
	e.p()
	e.unionUnmarshal(n)
	e.p()
	e.p(model.GoComment(0, model.WrapDoc("Which returns the name of the field of v that is set: "+quoteAll(fields)+"; \"\" when none is.")))
	e.p("func (v ", name, ") Which() string {")
	e.p("switch {")
	for _, f := range fields {
		e.p("case v.", f, " != nil:")
		e.p("return ", strconv.Quote(f))
	}
	e.p("}")
	e.p("return \"\"")
	e.p("}")
	return e.b.String()
}

// unionUnmarshal writes the UnmarshalJSON method of the struct of union
// node n, for encoding/json: it sets the branch that the value's
// discriminator or JSON type picks, as the decoder does, but checks nothing
// else (DecodeInput validates).
func (e *decodeEmitter) unionUnmarshal(n *model.Node) {
	u := n.Union
	picker := map[bool]string{true: strconv.Quote(u.Tag), false: "JSON type"}[u.Tag != ""]
	if u.Keyed {
		picker = "keys (those of one branch alone)"
	}
	e.p(model.GoComment(0, model.WrapDoc("UnmarshalJSON sets the branch of v that the value's "+picker+" picks; it checks nothing else: DecodeInput validates.")))
	e.p("func (v *", n.Named.Name, ") UnmarshalJSON(b []byte) error {")
	e.p("*v = ", n.Named.Name, "{}")
	if u.Keyed {
		e.keyedUnmarshal(n)
		return
	}
	e.pkgs["bytes"] = true
	e.pkgs["fmt"] = true
	if u.Tag == "" {
		e.p("b = bytes.TrimSpace(b)")
		e.p("if len(b) == 0 || string(b) == \"null\" {")
		e.p("return nil")
		e.p("}")
		e.p("switch c := b[0]; {")
		for _, br := range u.Branches {
			e.p("case ", typeStart[br.Type], ":")
			e.p("v.", br.Field.Name, " = new(", br.Node.GoType, ")")
			e.p("return json.Unmarshal(b, v.", br.Field.Name, ")")
		}
		e.p("}")
		e.p("return fmt.Errorf(", model.GoString("a "+n.Named.Name+" must be "+TypePhrase(branchTypes(u))+"; got %.20s"), ", b)")
		e.p("}")
		return
	}
	e.p("if string(bytes.TrimSpace(b)) == \"null\" {")
	e.p("return nil")
	e.p("}")
	e.p("var tag struct {")
	e.p("Tag string `json:", strconv.Quote(u.Tag), "`")
	e.p("}")
	e.p("if err := json.Unmarshal(b, &tag); err != nil {")
	e.p("return err")
	e.p("}")
	e.p("switch tag.Tag {")
	for _, br := range u.Branches {
		e.p("case ", quoteAll(br.Tags), ":")
		e.p("v.", br.Field.Name, " = new(", br.Node.GoType, ")")
		e.p("return json.Unmarshal(b, v.", br.Field.Name, ")")
	}
	e.p("}")
	e.p("return fmt.Errorf(", model.GoString("a "+n.Named.Name+" must have "+strconv.Quote(u.Tag)+" "+strings.Join(u.TagList(), ", ")+"; got %q"), ", tag.Tag)")
	e.p("}")
}

// keyedUnmarshal writes the rest of UnmarshalJSON of Keyed union node n:
// the branch that decode.PickBranch picks, as the decoder does.
func (e *decodeEmitter) keyedUnmarshal(n *model.Node) {
	u := n.Union
	e.pkgs["errors"] = true
	e.p("var m map[string]json.RawMessage")
	e.p("if err := json.Unmarshal(b, &m); err != nil || m == nil {")
	e.p("return err")
	e.p("}")
	e.p("switch br, _ := decode.PickBranch(", keyTable(u), ", func(k string) bool { _, ok := m[k]; return ok }); br {")
	for i, br := range u.Branches {
		e.p("case ", strconv.Itoa(i), ":")
		e.p("v.", br.Field.Name, " = new(", br.Node.GoType, ")")
		e.p("return json.Unmarshal(b, v.", br.Field.Name, ")")
	}
	e.p("}")
	e.p("return errors.New(", model.GoString("a "+n.Named.Name+" must have the keys of exactly one branch: "+strings.Join(u.TagList(), ", ")), ")")
	e.p("}")
}

// branchTypes returns the JSON types of the branches of u.
func branchTypes(u *model.Union) []schema.Type {
	var out []schema.Type
	for _, br := range u.Branches {
		out = append(out, br.Type)
	}
	return out
}

// quoteAll quotes each of names and joins them with ", ".
func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, s := range names {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}
