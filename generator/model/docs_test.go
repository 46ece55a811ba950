package model

import (
	"testing"

	"github.com/direktiv-fn/direktiv-fn/schema"
)

// TestConstraintWords describes a schema's constraints for the README.
func TestConstraintWords(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{`{"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^a"}`, "1–64 characters; pattern `^a`"},
		{`{"type": "integer", "minimum": 0, "exclusiveMaximum": 10, "multipleOf": 2}`, "≥ 0; < 10; a multiple of 2"},
		{`{"type": "array", "minItems": 1, "uniqueItems": true, "items": {"type": "string"}}`, "at least 1 item; unique items"},
		{`{"enum": ["a", 1, null]}`, `one of "a", 1, null`},
		{`{"type": "string", "format": "email", "maxLength": 1}`, "at most 1 character; format email"},
		{`{"type": "string"}`, ""},
	} {
		doc, err := schema.Parse("s.json", []byte(tt.src))
		if err != nil {
			t.Fatal(err)
		}
		if got := constraintWords(doc.Root); got != tt.want {
			t.Errorf("constraintWords(%s) = %q, want %q", tt.src, got, tt.want)
		}
	}
}
