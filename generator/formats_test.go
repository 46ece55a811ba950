package generator

import (
	"testing"

	"github.com/direktiv-fn/direktiv-fn/schema"
)

// TestFormatValidator checks the generator's own validator, which keeps
// samples, defaults and examples valid: it asserts the formats unless they
// are annotations, on typed and generic schemas alike.
func TestFormatValidator(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`{"type": "object", "properties": {"id": {"type": "string", "format": "uuid", "default": "nope"}}}`,
			`input.schema.json:1:89: /properties/id/default: the default "nope" does not match its schema: not a UUID (RFC 4122)`},
		{`{"type": "object", "properties": {"when": {"type": "string", "format": "date-time", "default": "yesterday"}}}`,
			`input.schema.json:1:85: /properties/when/default: the default "yesterday" is not a date-time (RFC 3339)`},
		{`{"type": "object", "properties": {"any": {"anyOf": [{"type": "string", "format": "ipv4", "examples": ["1.2.3"]}, {"type": "integer"}]}}}`,
			`input.schema.json:1:103: /properties/any/anyOf/0/examples/0: the example "1.2.3" does not match its schema: not an IPv4 address`},
	} {
		doc, err := schema.Parse("input.schema.json", []byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := newInputModelWith(doc, inputOptions{}); err == nil || err.Error() != c.want {
			t.Errorf("asserting formats: error\n%v\nwant\n%s", err, c.want)
		}
		if _, err := newInputModelWith(doc, inputOptions{annotateFormats: true}); err != nil {
			t.Errorf("with formats as annotations, the schema is refused: %v", err)
		}
	}
}
