package model

import (
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/schema"
)

// branchA and branchB are object branches that require a property of their own.
const (
	branchA = `{"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}`
	branchB = `{"type": "object", "required": ["b"], "properties": {"b": {"type": "string"}}}`
)

// TestUnionOf: which "oneOf" and "anyOf" become typed unions, told apart
// how, and which stay generic (any).
func TestUnionOf(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		// want is "" for no union, "type" for one told apart by JSON type,
		// "keys ..." for one told apart by required properties (each
		// branch's keys), else the discriminator property.
		want string
	}{
		{"types", `{"oneOf": [{"type": "string"}, {"type": "integer"}]}`, "type"},
		{"anyOf types", `{"anyOf": [{"type": "boolean"}, {"type": "array", "items": {"type": "string"}}]}`, "type"},
		{"const tag", `{"oneOf": [
			{"type": "object", "required": ["kind"], "properties": {"kind": {"const": "a"}}},
			{"type": "object", "required": ["kind"], "properties": {"kind": {"enum": ["b", "c"]}}}]}`, "kind"},
		{"tag through $ref", `{"$defs": {"a": {"type": "object", "required": ["t"], "properties": {"t": {"const": "a"}}}},
			"type": "object", "oneOf": [{"$ref": "#/$defs/a"}, {"type": "object", "required": ["t"], "properties": {"t": {"const": "b"}}}]}`, "t"},
		{"integer and number", `{"oneOf": [{"type": "integer"}, {"type": "number"}]}`, ""},
		{"two strings", `{"oneOf": [{"type": "string", "maxLength": 2}, {"type": "string", "minLength": 5}]}`, ""},
		{"tag not required", `{"oneOf": [
			{"type": "object", "properties": {"kind": {"const": "a"}}},
			{"type": "object", "required": ["kind"], "properties": {"kind": {"const": "b"}}}]}`, ""},
		{"tag values shared", `{"oneOf": [
			{"type": "object", "required": ["kind"], "properties": {"kind": {"enum": ["a", "b"]}}},
			{"type": "object", "required": ["kind"], "properties": {"kind": {"const": "b"}}}]}`, ""},
		{"required keys", `{"oneOf": [
			{"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
			{"type": "object", "required": ["b"], "properties": {"b": {"type": "integer"}}}]}`, "keys a; b"},
		{"required keys beside shared ones", `{"oneOf": [
			{"type": "object", "required": ["id", "url"], "properties": {"id": {"type": "string"}, "url": {"type": "string"}, "timeout": {"type": "integer"}}},
			{"type": "object", "required": ["id", "path", "mode"], "properties": {"id": {"type": "string"}, "path": {"type": "string"}, "mode": {"type": "string"}}},
			{"$ref": "#/$defs/c"}], "$defs": {"c": {"type": "object", "required": ["cmd"], "properties": {"cmd": {"type": "string"}}}}}`, "keys url; path mode; cmd"},
		{"required key declared by another branch", `{"oneOf": [` + branchA + `,
			{"type": "object", "required": ["b"], "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}]}`, ""},
		{"required key required by another branch", `{"oneOf": [` + branchA + `,
			{"type": "object", "required": ["a", "b"], "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}]}`, ""},
		{"branch without required", `{"oneOf": [` + branchA + `, {"type": "object", "properties": {"b": {"type": "string"}}}]}`, ""},
		{"anyOf of required keys", `{"anyOf": [` + branchA + `, ` + branchB + `]}`, ""},
		{"required keys and a string", `{"oneOf": [` + branchA + `, ` + branchB + `, {"type": "string"}]}`, ""},
		{"tag before keys", `{"oneOf": [
			{"type": "object", "required": ["kind", "a"], "properties": {"kind": {"type": "string", "const": "x"}, "a": {"type": "string"}}},
			{"type": "object", "required": ["kind", "b"], "properties": {"kind": {"type": "string", "const": "y"}, "b": {"type": "string"}}}]}`, "kind"},
		{"untyped branch", `{"anyOf": [{"type": "string"}, {"minimum": 2}]}`, ""},
		{"nullable branch", `{"oneOf": [{"type": ["string", "null"]}, {"type": "integer"}]}`, ""},
		{"null branch", `{"oneOf": [{"type": "null"}, {"type": "integer"}]}`, ""},
		{"sibling keyword", `{"minLength": 1, "oneOf": [{"type": "string"}, {"type": "integer"}]}`, ""},
		{"type excludes a branch", `{"type": "string", "oneOf": [{"type": "string"}, {"type": "integer"}]}`, ""},
		{"one branch", `{"oneOf": [{"type": "string"}]}`, ""},
		{"generic branch", `{"oneOf": [{"type": "string"}, {"type": "object", "required": ["a"], "not": {"required": ["b"]}}]}`, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := schema.Parse("s.json", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			u := unionOf(doc.Root)
			got := ""
			switch {
			case u != nil && u.Tag != "":
				got = u.Tag
			case u != nil && u.Keyed:
				var keys []string
				for _, br := range u.Branches {
					keys = append(keys, strings.Join(br.Keys, " "))
				}
				got = "keys " + strings.Join(keys, "; ")
			case u != nil:
				got = "type"
			}
			if got != tt.want {
				t.Errorf("unionOf = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestUnionNode builds the Go view of a union property: a struct named
// after it with a pointer per branch, named by the discriminator's values.
func TestUnionNode(t *testing.T) {
	doc, err := schema.Parse("s.json", []byte(`{"type": "object", "required": ["shape"], "properties": {"shape": {"oneOf": [
		{"type": "object", "required": ["kind", "r"], "properties": {"kind": {"type": "string", "const": "circle"}, "r": {"type": "number"}}},
		{"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string", "enum": ["square", "box"]}}}]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(doc, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	shape := m.Root.Props[0].Node
	if shape.Kind != UnionKind || shape.GoType != "InputShape" {
		t.Fatalf("shape: kind %q, Go type %q", shape.Kind, shape.GoType)
	}
	var got []string
	for _, f := range shape.Named.Fields {
		got = append(got, f.Name+" "+f.Type)
	}
	if want := []string{"Circle *InputShapeCircle", "Square *InputShapeSquare"}; !equal(got, want) {
		t.Errorf("fields %q, want %q", got, want)
	}
	v := &schema.Value{Kind: schema.KindObject, Members: []*schema.Member{{Key: "kind", Value: &schema.Value{Kind: schema.KindString, String: "box"}}}}
	if br := BranchOf(shape, v); br == nil || br.Field.Name != "Square" {
		t.Errorf("BranchOf(box) = %v, want Square", br)
	}
	if typeWords(shape) != `object (oneOf by "kind": "circle", "square", "box")` {
		t.Errorf("typeWords = %q", typeWords(shape))
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestUnionRoot: a union at the root is the type Input itself.
func TestUnionRoot(t *testing.T) {
	doc, err := schema.Parse("s.json", []byte(`{"oneOf": [
		{"type": "object", "required": ["op", "n"], "properties": {"op": {"type": "string", "const": "inc"}, "n": {"type": "integer"}}},
		{"type": "object", "required": ["op"], "properties": {"op": {"type": "string", "const": "reset"}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(doc, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Root.Kind != UnionKind || m.Root.GoType != "Input" || m.Types[0].Name != "Input" {
		t.Fatalf("root: kind %q, Go type %q, first type %q", m.Root.Kind, m.Root.GoType, m.Types[0].Name)
	}
	var got []string
	for _, br := range m.Root.Union.Branches {
		got = append(got, br.Field.Name+" "+br.Field.Type)
	}
	if want := []string{"Inc *InputInc", "Reset *InputReset"}; !equal(got, want) {
		t.Errorf("fields %q, want %q", got, want)
	}
}

// TestUnionKeyed builds a union told apart by required properties: fields
// named after a branch's first key, and BranchOf picking by the keys as
// the decoder does.
func TestUnionKeyed(t *testing.T) {
	doc, err := schema.Parse("s.json", []byte(`{"type": "object", "properties": {"src": {"oneOf": [
		{"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}}},
		{"type": "object", "required": ["path", "mode"], "properties": {"path": {"type": "string"}, "mode": {"type": "string"}}}]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(doc, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	src := m.Root.Props[0].Node
	var got []string
	for _, f := range src.Named.Fields {
		got = append(got, f.Name+" "+f.Type+" // "+f.Doc)
	}
	if want := []string{
		`URL *InputSrcURL // URL is set when the value is an object with "url".`,
		`Path *InputSrcPath // Path is set when the value is an object with "path" or "mode".`,
	}; !equal(got, want) {
		t.Errorf("fields %q, want %q", got, want)
	}
	if typeWords(src) != `object (oneOf by the property it has: "url", "path", "mode")` {
		t.Errorf("typeWords = %q", typeWords(src))
	}
	for in, want := range map[string]string{
		`{"url": "u", "mode": "r"}`:              "URL",
		`{"mode": "r"}`:                          "Path",
		`{"path": "p", "mode": "r", "x": 1}`:     "Path",
		`{"url": "u", "path": "p", "mode": "r"}`: "",
		`{"x": 1}`:                               "",
		`"url"`:                                  "",
	} {
		c, err := schema.Parse("c.json", []byte(`{"const": `+in+`}`))
		if err != nil {
			t.Fatal(err)
		}
		v := c.Root.Const
		name := ""
		if br := BranchOf(src, v); br != nil {
			name = br.Field.Name
		}
		if name != want {
			t.Errorf("BranchOf(%s) = %q, want %q", in, name, want)
		}
	}
}
