package generator

import (
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator/model"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// TestSampleUniqueItems builds samples of arrays with "uniqueItems" and
// more than one item: different items, valid, or the schema refused.
func TestSampleUniqueItems(t *testing.T) {
	tests := []struct{ items, want string }{
		{`"minItems": 2, "uniqueItems": true, "items": {"type": "string"}`, `["example","example2"]`},
		{`"minItems": 2, "uniqueItems": true, "items": {"type": "string", "enum": ["x", "y"]}`, `["x","y"]`},
		{`"minItems": 3, "uniqueItems": true, "items": {"type": "integer", "minimum": 0, "maximum": 2}`, `[0,1,2]`},
		{`"minItems": 3, "uniqueItems": true, "items": {"type": "number", "minimum": 0, "maximum": 0.5}`, `[0,0.5,0.25]`},
		{`"minItems": 2, "uniqueItems": true, "items": {"type": "boolean"}`, `[false,true]`},
		{`"minItems": 3, "uniqueItems": true, "items": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 1}`, `["e","b","c"]`},
		{`"minItems": 2, "uniqueItems": true, "items": {"type": "string", "format": "email"}`, `["user@example.com","user2@example.com"]`},
		{`"minItems": 2, "uniqueItems": true, "items": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}`, `[{"id":0},{"id":1}]`},
		{`"minItems": 2, "uniqueItems": true, "items": {"anyOf": [{"type": "integer"}, {"type": "string"}]}`, `[0,1]`},
		{`"minItems": 2, "uniqueItems": true, "prefixItems": [{"type": "integer"}]`, ``},
	}
	for _, tt := range tests {
		src := `{"type": "object", "required": ["g"], "properties": {"g": {"type": "array", ` + tt.items + `}}}`
		m, err := inputModel(t, src)
		if err != nil {
			t.Errorf("%s: %v", tt.items, err)
			continue
		}
		got := model.ValueJSONLine(m.Sample)
		if tt.want != "" && got != `{"g":`+tt.want+`}` {
			t.Errorf("%s: sample %s, want {\"g\":%s}", tt.items, got, tt.want)
		}
		if v := m.Sample.Get("g"); v == nil || len(v.Array) < 2 || hasDuplicate(v.Array) {
			t.Errorf("%s: sample %s has no two different items", tt.items, got)
		}
	}
	// Two different booleans at most.
	_, err := inputModel(t, `{"type": "object", "required": ["g"], "properties": {"g": {"type": "array", "minItems": 3, "uniqueItems": true, "items": {"type": "boolean"}}}}`)
	if err == nil || !strings.Contains(err.Error(), "cannot build a valid sample value") {
		t.Errorf("3 unique booleans: got %v", err)
	}
}

// TestSampleFormats checks that string samples honour "format", so that a
// handler parsing them works.
func TestSampleFormats(t *testing.T) {
	for format, want := range map[string]string{
		"email": "user@example.com", "date-time": "2024-01-01T00:00:00Z", "date": "2024-01-01",
		"time": "00:00:00Z", "uuid": "123e4567-e89b-12d3-a456-426614174000", "uri": "https://example.com/",
		"hostname": "example.com", "ipv4": "192.0.2.1", "ipv6": "2001:db8::1",
	} {
		m, err := inputModel(t, `{"type": "object", "required": ["a"], "properties": {"a": {"type": "string", "format": "`+format+`"}}}`)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Sample.Get("a"); got == nil || got.String != want {
			t.Errorf("format %s: sample %s, want %q", format, model.ValueJSONLine(m.Sample), want)
		}
	}
}

// TestInputUniqueItemsKeepsType checks that "uniqueItems" on an array of
// objects, arrays or nullable items keeps its Go type []T.
func TestInputUniqueItemsKeepsType(t *testing.T) {
	for _, tt := range []struct{ items, want string }{
		{`{"$ref": "#/$defs/item"}`, "[]Item"},
		{`{"type": "array", "items": {"type": "string"}}`, "[][]string"},
		{`{"type": ["string", "null"]}`, "[]*string"},
		{`{"type": "string"}`, "[]string"},
	} {
		src := `{"type": "object", "required": ["list"], "properties": {"list": {"type": "array", "uniqueItems": true, "items": ` + tt.items + `}},
			"$defs": {"item": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}}}`
		m, err := inputModel(t, src)
		if err != nil {
			t.Fatalf("%s: %v", tt.items, err)
		}
		if got := m.Types[0].Fields[0].Type; got != tt.want {
			t.Errorf("%s: field type %s, want %s", tt.items, got, tt.want)
		}
	}
}

// TestInputStringEnumWithoutType checks that an "enum" of strings without
// "type" is a Go string enum, and that other enums stay generic.
func TestInputStringEnumWithoutType(t *testing.T) {
	for _, tt := range []struct{ prop, want string }{
		{`{"enum": ["dev", "prod"]}`, "*InputEnv"},
		{`{"enum": ["dev", 1]}`, "any"},
		{`{"enum": [1, 2]}`, "any"},
		{`{"enum": ["dev", null]}`, "any"},
	} {
		m, err := inputModel(t, `{"type": "object", "properties": {"env": `+tt.prop+`}}`)
		if err != nil {
			t.Fatalf("%s: %v", tt.prop, err)
		}
		if got := m.Types[0].Fields[0].Type; got != tt.want {
			t.Errorf("%s: field type %s, want %s", tt.prop, got, tt.want)
		}
	}
}

// hasDuplicate reports whether two of vs are the same JSON value.
func hasDuplicate(vs []*schema.Value) bool {
	seen := map[string]bool{}
	for _, v := range vs {
		if seen[v.Key()] {
			return true
		}
		seen[v.Key()] = true
	}
	return false
}
