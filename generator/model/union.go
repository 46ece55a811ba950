package model

import (
	"strconv"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/runtime/decode"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// UnionKind is the kind of a union node: a "oneOf" or "anyOf" whose
// branches can be told apart, by the JSON type of the value or by a
// discriminator property. Its Go type is a struct with a pointer per
// branch, exactly one of them set.
const UnionKind schema.Type = "union"

// Union says how the branches of a union node are told apart.
type Union struct {
	// Keyword is "oneOf" or "anyOf".
	Keyword string
	// Tag is the discriminator: the property every branch requires with a
	// "const" or an "enum" of strings of its own. "" when the branches
	// differ by JSON type or by Keys.
	Tag string
	// Keyed is true when the branches (objects, of a "oneOf") are told
	// apart by the properties that each requires and no other declares.
	Keyed bool
	// Branches are the branches in schema order.
	Branches []*Branch
}

// Branch is one branch of a union.
type Branch struct {
	// Index is the branch's position in "oneOf" or "anyOf".
	Index int
	// Field is the union struct's field that holds the branch.
	Field *GoField
	// Node is the branch's schema.
	Node *Node
	// Tags are the discriminator's values that pick the branch, when the
	// union has a Tag.
	Tags []string
	// Keys are the properties that pick the branch when the union is
	// Keyed: those it requires and no other branch declares.
	Keys []string
	// Type is the JSON type that picks the branch, when it has none.
	Type schema.Type
}

// unionKeywords are the keywords a union schema may have beside its
// "oneOf" or "anyOf" ("type" only when it allows every branch).
var unionKeywords = map[string]bool{"oneOf": true, "anyOf": true, "type": true}

// unionOf returns how the branches of s are told apart, or nil when s is
// not a union: it has no "oneOf" or "anyOf" of two branches or more,
// another keyword than those and annotations, a branch that has no natural
// Go type or is nullable, or branches that neither a discriminator property
// nor the JSON type tells apart.
func unionOf(s *schema.Schema) *Union {
	u := &Union{Keyword: "oneOf"}
	branches := s.OneOf
	if s.AnyOf != nil {
		u.Keyword, branches = "anyOf", s.AnyOf
	}
	if s.Ref != nil || s.Bool != nil || len(branches) < 2 || s.AnyOf != nil && s.OneOf != nil {
		return nil
	}
	for _, k := range s.Keywords {
		if !unionKeywords[k.Name] && !annotationKeywords[k.Name] {
			return nil
		}
	}
	kinds := make([]schema.Type, len(branches))
	for i, br := range branches {
		t := deref(br)
		kind, nullable, ok := naturalType(t)
		if t == nil || !ok || nullable || needsGeneric(t) || s.Types != nil && !hasType(s.Types, kind) {
			return nil
		}
		kinds[i] = kind
		u.Branches = append(u.Branches, &Branch{Index: i, Type: kind})
	}
	if tag, values := discriminator(branches); tag != "" {
		u.Tag = tag
		for i, b := range u.Branches {
			b.Tags = values[i]
		}
		return u
	}
	if u.Keyword == "oneOf" && keyBranches(branches, u.Branches) {
		u.Keyed = true
		return u
	}
	seen := map[schema.Type]bool{}
	for _, k := range kinds {
		if k == schema.TypeInteger {
			k = schema.TypeNumber // a JSON number may be either
		}
		if seen[k] {
			return nil
		}
		seen[k] = true
	}
	return u
}

// hasType reports whether types allows a value of kind.
func hasType(types []schema.Type, kind schema.Type) bool {
	for _, t := range types {
		if t == kind || t == schema.TypeNumber && kind == schema.TypeInteger {
			return true
		}
	}
	return false
}

// deref follows the local references of s (boundedly).
func deref(s *schema.Schema) *schema.Schema {
	for i := 0; s != nil && s.Ref != nil && i < 64; i++ {
		s = s.Ref.Target
	}
	if s != nil && s.Ref != nil {
		return nil
	}
	return s
}

// discriminator returns the first property, in the first branch's order,
// that every branch (an object) requires with a "const" or an "enum" of
// strings, no value in two branches; and each branch's values. It returns
// "" when there is none.
func discriminator(branches []*schema.Schema) (string, [][]string) {
	first := deref(branches[0])
	if first == nil {
		return "", nil
	}
next:
	for _, p := range first.Properties {
		values := make([][]string, len(branches))
		taken := map[string]bool{}
		for i, br := range branches {
			t := deref(br)
			vs := tagValues(t, p.Name)
			if vs == nil {
				continue next
			}
			for _, v := range vs {
				if taken[v] {
					continue next
				}
				taken[v] = true
			}
			values[i] = vs
		}
		return p.Name, values
	}
	return "", nil
}

// keyBranches sets the Keys of each of bs, the object branches of a
// union, to the properties it requires and no other branch declares (in
// "properties" or "required"); it reports whether each has one at least.
func keyBranches(branches []*schema.Schema, bs []*Branch) bool {
	for i, b := range bs {
		if b.Type != schema.TypeObject {
			return false
		}
	next:
		for _, name := range deref(branches[i]).Required { // deduplicated
			for j, other := range branches {
				if j != i && declares(deref(other), name) {
					continue next
				}
			}
			b.Keys = append(b.Keys, name)
		}
		if len(b.Keys) == 0 {
			return false
		}
	}
	return true
}

// declares reports whether s requires or has a property name.
func declares(s *schema.Schema, name string) bool {
	for _, p := range s.Properties {
		if p.Name == name {
			return true
		}
	}
	return contains(s.Required, name)
}

// tagValues returns the strings that the object schema s requires its
// property name to be (a "const" or an "enum" of strings), or nil.
func tagValues(s *schema.Schema, name string) []string {
	if s == nil || !hasType(s.Types, schema.TypeObject) || !contains(s.Required, name) {
		return nil
	}
	for _, p := range s.Properties {
		if p.Name != name {
			continue
		}
		t := deref(p.Schema)
		if t == nil {
			return nil
		}
		var vs []*schema.Value
		switch {
		case t.Const != nil:
			vs = []*schema.Value{t.Const}
		case t.Enum != nil:
			vs = t.Enum
		}
		var out []string
		for _, v := range vs {
			if v.Kind != schema.KindString {
				return nil
			}
			out = append(out, v.String)
		}
		return out
	}
	return nil
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// unionNode makes the node of the union schema s: a struct type with a
// pointer field per branch, each branch a node of its own.
func (b *inputBuilder) unionNode(s *schema.Schema, u *Union, ptr, hint, key string) *Node {
	root := ptr == "" && key == ""
	n := &Node{Schema: s, ptr: ptr, Key: key, Kind: UnionKind, base: hint, Union: u, building: true}
	defer func() { n.building = false }()
	n.Named = b.namedType(s, hint, root)
	n.Named.Struct = true
	n.GoType, n.ValType, n.base = n.Named.Name, n.Named.Name, n.Named.Name
	n.Method = Unique(b.methods, "decode"+n.base)
	b.nodes[s] = n
	b.order = append(b.order, n)
	branches := s.OneOf
	if u.Keyword == "anyOf" {
		branches = s.AnyOf
	}
	fields := map[string]int{}
	var names []string
	for i, br := range u.Branches {
		name := branchName(u, br)
		c := b.build(branches[i], ptr, n.base+name, "")
		if c == nil {
			return nil
		}
		br.Node = c
		br.Field = &GoField{Name: Unique(fields, name), Type: "*" + c.GoType}
		br.Field.Doc = br.Field.Name + " is set when the value is " + branchWords(u, br) + "."
		n.Named.Fields = append(n.Named.Fields, br.Field)
		names = append(names, br.Field.Name)
	}
	how := map[bool]string{false: "by its JSON type", true: "by the properties each branch requires"}[u.Keyed]
	if u.Tag != "" {
		how = "by its " + strconv.Quote(u.Tag) + " property"
	}
	n.Named.Doc += "\n\n" + WrapDoc("It is one of the "+u.Keyword+" schemas, told apart "+how+": exactly one of "+joinWords(names)+" is set, and Which names it.")
	return n
}

// branchName is the Go name of a union branch's field: its discriminator
// value, else its JSON type.
func branchName(u *Union, br *Branch) string {
	if u.Tag != "" && len(br.Tags) > 0 && config.GoName(br.Tags[0]) != "" {
		return config.GoName(br.Tags[0])
	}
	if u.Keyed && config.GoName(br.Keys[0]) != "" {
		return config.GoName(br.Keys[0])
	}
	return config.GoName(string(br.Type))
}

// branchWords says when a branch is set: `an object whose "kind" is
// "circle"`, or "a string".
func branchWords(u *Union, br *Branch) string {
	if u.Keyed {
		return "an object with " + strings.Join(quoted(br.Keys), " or ")
	}
	if u.Tag == "" {
		return TypeArticle(br.Type)
	}
	return "an object whose " + strconv.Quote(u.Tag) + " is " + strings.Join(quoted(br.Tags), " or ")
}

// TypeArticle names a JSON type with its article: "an object", "a string".
func TypeArticle(t schema.Type) string {
	switch t {
	case schema.TypeObject, schema.TypeArray, schema.TypeInteger:
		return "an " + string(t)
	}
	return "a " + string(t)
}

// joinWords joins names as "A, B and C".
func joinWords(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// BranchOf returns the branch of union node n that value v belongs to, by
// its discriminator or its JSON type; nil when none does.
func BranchOf(n *Node, v *schema.Value) *Branch {
	u := n.Union
	if u.Keyed {
		return keyedBranch(u, v)
	}
	for _, br := range u.Branches {
		if u.Tag == "" {
			if ValueHasType(v, br.Type) {
				return br
			}
			continue
		}
		if v.Kind != schema.KindObject {
			return nil
		}
		tag := v.Get(u.Tag)
		if tag != nil && tag.Kind == schema.KindString && contains(br.Tags, tag.String) {
			return br
		}
	}
	return nil
}

// TagList returns the discriminator values of union u, or the Keys of its
// branches when it is Keyed, quoted, in schema order.
func (u *Union) TagList() []string {
	var out []string
	for _, br := range u.Branches {
		out = append(out, quoted(append(br.Tags, br.Keys...))...) // one is nil
	}
	return out
}

// keyedBranch returns the branch of Keyed union u that object v picks,
// by the decoder's rule; nil when none does.
func keyedBranch(u *Union, v *schema.Value) *Branch {
	var keys [][]string
	for _, br := range u.Branches {
		keys = append(keys, br.Keys)
	}
	i, _ := decode.PickBranch(keys, func(k string) bool { return v.Kind == schema.KindObject && v.Get(k) != nil })
	if i < 0 {
		return nil
	}
	return u.Branches[i]
}

// quoted returns each of names quoted.
func quoted(names []string) (out []string) {
	for _, s := range names {
		out = append(out, strconv.Quote(s))
	}
	return out
}
