package manifest

import (
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/schema"
)

// TestRecordTypes: the record names the type of unions by their branches,
// and a recursive type stops.
func TestRecordTypes(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{`{"type": "object", "properties": {"a": {"oneOf": [{"type": "object"}, {"type": "string"}]}}}`, "oneOf (object, string)"},
		{`{"type": "object", "properties": {"a": {"anyOf": [{"type": "integer"}, {"type": "array", "items": {"type": "string"}}]}}}`, "anyOf (integer, array of string)"},
		{`{"type": "object", "properties": {"a": {"$ref": "#/$defs/r"}}, "$defs": {"r": {"type": "array", "items": {"$ref": "#/$defs/r"}}}}`, "array of array of"},
	} {
		doc, err := schema.Parse("s.json", []byte(tt.src))
		if err != nil {
			t.Fatal(err)
		}
		f := InputFields(doc)
		if len(f) == 0 || !strings.HasPrefix(f[0].Type, tt.want) {
			t.Errorf("%s: %+v, want a type starting %q", tt.src, f, tt.want)
		}
	}
}
