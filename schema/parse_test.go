package schema

import (
	"strings"
	"testing"
)

func TestParseRich(t *testing.T) {
	doc, err := Parse("input.schema.json", []byte(`{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["name"],
  "properties": {
    "name": {"type": "string", "pattern": "^a.b$", "minLength": 1},
    "n": {"type": ["integer", "null"], "minimum": 1.0, "default": 2},
    "list": {"type": "array", "items": {"$ref": "#/$defs/item"}}
  },
  "$defs": {"item": {"type": "object", "additionalProperties": false}}
}`))
	if err != nil {
		t.Fatal(err)
	}
	r := doc.Root
	if doc.Draft != Draft2020 || len(r.Properties) != 3 || r.Properties[0].Name != "name" {
		t.Fatalf("bad root: %+v", r)
	}
	name := r.Properties[0].Schema
	if name.Pointer != "/properties/name" || name.Pos != (Pos{6, 13}) {
		t.Errorf("name at %q %v", name.Pointer, name.Pos)
	}
	if name.Pattern.Go != `^a[^\n\r\x{2028}\x{2029}]b$` {
		t.Errorf("pattern = %q", name.Pattern.Go)
	}
	n := r.Properties[1].Schema
	if len(n.Types) != 2 || n.Minimum.Lit != "1.0" || n.Default.Number.Lit != "2" {
		t.Errorf("n = %+v", n)
	}
	item := r.Properties[2].Schema.Items
	if item.Ref == nil || item.Ref.Target != r.Defs[0].Schema {
		t.Errorf("ref not resolved: %+v", item.Ref)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"syntax", "{\n  \"type\": \"object\",\n}", "s.json:3:1: (root): invalid JSON: invalid character '}' looking for beginning of object key string"},
		{"unknown keyword", `{"type": "object", "requried": ["a"]}`, `s.json:1:20: /requried: unknown keyword "requried": did you mean "required"?`},
		{"bad type", `{"properties": {"a": {"type": "text"}}}`, `s.json:1:31: /properties/a/type: unknown type "text"`},
		{"typo type", `{"type": "strin"}`, `s.json:1:10: /type: unknown type "strin" (did you mean "string"?)`},
		{"unsupported", `{"unevaluatedProperties": false}`, `s.json:1:2: /unevaluatedProperties: keyword "unevaluatedProperties" is not supported`},
		{"bad ref", `{"$ref": "#/$defs/nope"}`, `s.json:1:10: /$ref: reference "#/$defs/nope" points to no schema`},
		{"lookahead", `{"pattern": "^(?=a)"}`, `s.json:1:13: /pattern: pattern "^(?=a)" cannot be used: it has a lookahead "(?=", and Go's RE2 engine has no lookaround`},
		{"bad pattern", `{"pattern": "[a-"}`, `s.json:1:13: /pattern: pattern "[a-" is not a valid regular expression: missing closing ]`},
		{"duplicate key", "{\"properties\": {\"a\": {},\n \"a\": {\"type\": \"string\"}}}", `s.json:2:2: /properties/a: key "a" appears twice in the same object (first at line 1, column 17): keep one`},
		{"duplicate key in an array", "{\"allOf\": [{}, {\"type\": \"string\",\n \"type\": \"string\"}]}", `s.json:2:2: /allOf/1/type: key "type" appears twice in the same object (first at line 1, column 17): keep one`},
		{"duplicate root key", "{\"type\": \"object\", \"type\": \"object\"}", `s.json:1:20: /type: key "type" appears twice in the same object (first at line 1, column 2): keep one`},
		{"negative", `{"minLength": -1}`, `s.json:1:15: /minLength: "minLength" must be a non-negative integer, not -1`},
		{"draft", `{"$schema": "http://json-schema.org/draft-04/schema#"}`, `s.json:1:13: /$schema: unsupported $schema`},
		{"empty", ``, `s.json:1:1: (root): the schema file is empty`},
		{"not schema", `[1]`, `s.json:1:1: (root): a schema must be an object or a boolean, not an array`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("s.json", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v\nwant containing %s", err, tt.want)
			}
		})
	}
}

// TestParseAcceptsVariants reads the forms users write that mean the same:
// a byte order mark, and either scheme of a dialect's URI.
func TestParseAcceptsVariants(t *testing.T) {
	for _, src := range []string{
		"\ufeff{\"type\": \"string\"}",
		`{"$schema": "http://json-schema.org/draft/2020-12/schema", "type": "string"}`,
		`{"$schema": "https://json-schema.org/draft-07/schema#", "type": "string"}`,
	} {
		if _, err := Parse("s.json", []byte(src)); err != nil {
			t.Errorf("Parse(%q): %v", src, err)
		}
	}
}

// TestParseAllErrors requires every problem of a document, in document
// order, each with its position and pointer.
func TestParseAllErrors(t *testing.T) {
	_, err := Parse("s.json", []byte(`{"type": "objekt", "minItems": "3", "foo": 1}`))
	ds, ok := err.(Diagnostics)
	if !ok {
		t.Fatalf("got %T %v, want Diagnostics", err, err)
	}
	want := []string{
		`s.json:1:10: /type: unknown type "objekt" (did you mean "object"?): use one of null, boolean, object, array, number, string, integer`,
		`s.json:1:32: /minItems: "minItems" must be a number, not a string ("3")`,
		`s.json:1:37: /foo: unknown keyword "foo": remove it, or prefix it with "x-" to keep it as an annotation`,
	}
	var got []string
	for _, d := range ds {
		got = append(got, d.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics (-want +got):\n-%s\n+%s", strings.Join(want, "\n-"), strings.Join(got, "\n+"))
	}
}

func TestNearest(t *testing.T) {
	tests := []struct{ name, want string }{
		{"requried", "required"},
		{"minlength", "minLength"},
		{"tpye", "type"},
		{"iff", "if"},
		{"foo", ""},
		{"ab", ""},
		{"x", ""},
		{"completelyDifferent", ""},
	}
	for _, tt := range tests {
		if got := nearest(tt.name); got != tt.want {
			t.Errorf("nearest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestParseIDsAndAnchors(t *testing.T) {
	doc, err := Parse("s.json", []byte(`{
  "$id": "http://example.com/root.json",
  "properties": {
    "a": {"$ref": "item.json"},
    "b": {"$ref": "http://example.com/item.json#/$defs/leaf"},
    "c": {"$ref": "#top"},
    "d": {"$ref": "item.json#inner"},
    "e": {"$ref": "#/$defs/item/$defs/leaf"}
  },
  "$defs": {
    "item": {"$id": "item.json", "type": "object", "$defs": {"leaf": {"$anchor": "inner", "type": "string"}}},
    "top": {"$anchor": "top", "type": "integer"}
  }
}`))
	if err != nil {
		t.Fatal(err)
	}
	item, top := doc.Root.Defs[0].Schema, doc.Root.Defs[1].Schema
	leaf := item.Defs[0].Schema
	want := []*Schema{item, leaf, top, leaf, leaf}
	for i, p := range doc.Root.Properties {
		if got := p.Schema.Ref.Target; got != want[i] {
			t.Errorf("%s: %q resolves to %v, want %v", p.Name, p.Schema.Ref.Raw, got.Pointer, want[i].Pointer)
		}
	}
}

func TestParseDraft7IDAnchor(t *testing.T) {
	doc, err := Parse("s.json", []byte(`{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "items": {"$ref": "#foo"},
  "definitions": {"A": {"$id": "#foo", "type": "integer"}}
}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := doc.Root.Items.Ref.Target, doc.Root.Defs[0].Schema; got != want {
		t.Errorf("#foo resolves to %v, want %v", got.Pointer, want.Pointer)
	}
}

func TestParseRefErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{`{"$ref": "other.json"}`, `remote reference "other.json" is not supported`},
		{`{"$ref": "#nope"}`, `reference "#nope" points to no schema in this file (no anchor "nope")`},
		{`{"$defs": {"a": {"$anchor": "1x"}}}`, `anchor "1x" is not a valid name`},
		{`{"$defs": {"a": {"$anchor": "x"}, "b": {"$anchor": "x"}}}`, `anchor "x" is defined twice`},
	}
	for _, tt := range tests {
		_, err := Parse("s.json", []byte(tt.src))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want containing %s", tt.src, err, tt.want)
		}
	}
}

// TestKnownKeywordsAreRead holds the list that "did you mean" suggests from
// to the keywords the parser reads: a suggestion must never be refused as
// unknown.
func TestKnownKeywordsAreRead(t *testing.T) {
	for _, name := range known() {
		_, err := Parse("s.json", []byte(`{"`+name+`": {}}`))
		if err != nil && strings.Contains(err.Error(), "keyword") {
			t.Errorf("keyword %q: %v", name, err)
		}
	}
}
