package generator

import (
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator/model"
)

// TestAnnotationsBesideRef checks that each annotation written beside a
// "$ref" wins over its target's wherever the generator reads it: the field
// doc comments, the README's field table, the default applied to an
// absent property, and the sample; and that the target's annotations are
// used where the referencing schema has none.
func TestAnnotationsBesideRef(t *testing.T) {
	m, err := inputModel(t, `{
  "type": "object",
  "required": ["tags", "job"],
  "properties": {
    "home": {"$ref": "#/$defs/addr", "description": "Where you live.", "deprecated": true},
    "work": {"$ref": "#/$defs/addr"},
    "job": {"$ref": "#/$defs/plain", "title": "The job title"},
    "level": {"$ref": "#/$defs/level", "default": 3},
    "other": {"$ref": "#/$defs/level"},
    "tags": {"$ref": "#/$defs/tags", "examples": [["mine"]]},
    "current": {"$ref": "#/$defs/old", "deprecated": false}
  },
  "$defs": {
    "addr": {"type": "string", "description": "The target's words.", "deprecated": false},
    "plain": {"type": "string", "title": "Plain"},
    "level": {"type": "integer", "default": 1},
    "tags": {"type": "array", "items": {"type": "string"}, "examples": [["theirs"]]},
    "old": {"type": "string", "deprecated": true}
  }
}`)
	if err != nil {
		t.Fatal(err)
	}
	fieldDoc := map[string]string{}
	for _, f := range m.Types[0].Fields {
		fieldDoc[f.Name] = f.Doc
	}
	rows := map[string]model.FieldDoc{}
	for _, r := range m.Fields {
		rows[r.Pointer] = r
	}
	checks := []struct {
		what, got, want string
	}{
		{"description beside $ref, field doc", fieldDoc["Home"], "Where you live."},
		{"description beside $ref, README", rows["/home"].Description, "Where you live."},
		{"target's description, field doc", fieldDoc["Work"], "The target's words."},
		{"target's description, README", rows["/work"].Description, "The target's words."},
		{"title beside $ref, field doc", fieldDoc["Job"], "The job title"},
		{"title beside $ref, README", rows["/job"].Description, "The job title"},
		{"default beside $ref, README", rows["/level"].Default, "3"},
		{"target's default, README", rows["/other"].Default, "1"},
	}
	for _, c := range checks {
		if !strings.HasPrefix(c.got, c.want) {
			t.Errorf("%s: got %q, want it to start with %q", c.what, c.got, c.want)
		}
	}
	if !strings.Contains(fieldDoc["Home"], "Deprecated:") {
		t.Errorf("deprecated beside $ref: the field doc says nothing: %q", fieldDoc["Home"])
	}
	if strings.Contains(fieldDoc["Work"], "Deprecated:") || strings.Contains(fieldDoc["Current"], "Deprecated:") {
		t.Errorf("deprecated: false (the target's, or beside $ref) is not deprecated: %q, %q", fieldDoc["Work"], fieldDoc["Current"])
	}
	if !strings.Contains(fieldDoc["Level"], "Default: 3.") || !strings.Contains(fieldDoc["Other"], "Default: 1.") {
		t.Errorf("default: field docs %q and %q, want Default: 3. and Default: 1.", fieldDoc["Level"], fieldDoc["Other"])
	}
	// The decoder applies the default written beside the $ref.
	var levelDefault, otherDefault string
	for _, n := range m.Types[0].Fields {
		if n.Name == "Level" || n.Name == "Other" {
			if !strings.HasPrefix(n.Type, "int64") {
				t.Errorf("%s has type %s: with a default it is a value, not a pointer", n.Name, n.Type)
			}
		}
	}
	for _, d := range m.Decoders {
		if i := strings.Index(d, "v.Level = "); i >= 0 {
			levelDefault = strings.SplitN(d[i:], "\n", 2)[0]
		}
		if i := strings.Index(d, "v.Other = "); i >= 0 {
			otherDefault = strings.SplitN(d[i:], "\n", 2)[0]
		}
	}
	if levelDefault != "v.Level = 3" || otherDefault != "v.Other = 1" {
		t.Errorf("the decoder's defaults: %q and %q, want v.Level = 3 and v.Other = 1", levelDefault, otherDefault)
	}
	if got := model.ValueJSONLine(m.Sample.Get("tags")); got != `["mine"]` {
		t.Errorf("examples beside $ref: the sample's tags are %s, want [\"mine\"]", got)
	}
}
