package schema

import (
	"testing"
)

// TestAnnotationsBesideRef checks that each annotation written beside a
// "$ref" wins over its target's, that the target's fills in what the
// referencing schema leaves out, along a chain of references.
func TestAnnotationsBesideRef(t *testing.T) {
	src := `{
  "$defs": {
    "tags": {"title": "Tags", "description": "the target's words", "default": ["a"], "examples": [["b"]], "deprecated": true, "type": "array"},
    "via": {"$ref": "#/$defs/tags", "description": "the middle's words"}
  },
  "properties": {
    "beside": {"$ref": "#/$defs/tags", "title": "Mine", "description": "my words", "default": ["c"], "examples": [["d"]], "deprecated": false},
    "bare": {"$ref": "#/$defs/tags"},
    "chain": {"$ref": "#/$defs/via"},
    "empty": {"$ref": "#/$defs/tags", "description": ""}
  }
}`
	doc, err := Parse("s.json", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	prop := func(name string) Annotations {
		for _, p := range doc.Root.Properties {
			if p.Name == name {
				return p.Schema.Annotations()
			}
		}
		t.Fatalf("no property %s", name)
		return Annotations{}
	}
	type want struct {
		title, desc, def, ex string
		deprecated           bool
	}
	check := func(name string, a Annotations, w want) {
		t.Helper()
		def, ex := "", ""
		if a.Default != nil {
			def = a.Default.Key()
		}
		if len(a.Examples) > 0 {
			ex = a.Examples[0].Key()
		}
		got := want{a.Title, a.Description, def, ex, a.Deprecated}
		if got != w {
			t.Errorf("%s: got %+v, want %+v", name, got, w)
		}
	}
	tags := Annotations{}
	for _, d := range doc.Root.Defs {
		if d.Name == "tags" {
			tags = d.Schema.Annotations()
		}
	}
	check("beside", prop("beside"), want{"Mine", "my words", keyOf(t, `["c"]`), keyOf(t, `["d"]`), false})
	check("bare", prop("bare"), want{"Tags", "the target's words", keyOf(t, `["a"]`), keyOf(t, `["b"]`), true})
	check("chain", prop("chain"), want{"Tags", "the middle's words", keyOf(t, `["a"]`), keyOf(t, `["b"]`), true})
	check("empty", prop("empty"), want{"Tags", "", keyOf(t, `["a"]`), keyOf(t, `["b"]`), true})
	check("the target itself", tags, want{"Tags", "the target's words", keyOf(t, `["a"]`), keyOf(t, `["b"]`), true})
}

// keyOf returns the Key of a JSON value.
func keyOf(t *testing.T, src string) string {
	t.Helper()
	doc, err := Parse("v.json", []byte(`{"const": `+src+`}`))
	if err != nil {
		t.Fatal(err)
	}
	return doc.Root.Const.Key()
}
