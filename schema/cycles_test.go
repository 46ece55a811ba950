package schema

import (
	"fmt"
	"strings"
	"testing"
)

// TestParseRefusesRefCycles refuses every cycle of references and in-place
// applicators, at its first step and with its chain, in both drafts.
func TestParseRefusesRefCycles(t *testing.T) {
	const msg = ": a reference cycle that never reaches a value"
	tests := []struct {
		name, src, want string
	}{
		{"root to itself", `{"$ref": "#"}`, `s.json:1:2: /$ref: (root) -> (root)` + msg},
		{"root to itself beside other keywords", `{"type": "object", "$ref": "#"}`, `s.json:1:20: /$ref: (root) -> (root)` + msg},
		{"defs x to y to x", `{"$ref": "#/$defs/x", "$defs": {"x": {"$ref": "#/$defs/y"}, "y": {"$ref": "#/$defs/x"}}}`,
			`s.json:1:39: /$defs/x/$ref: /$defs/x -> /$defs/y -> /$defs/x` + msg},
		{"unused defs cycle", `{"$defs": {"x": {"$ref": "#/$defs/y"}, "y": {"$ref": "#/$defs/x"}}}`,
			`/$defs/x/$ref: /$defs/x -> /$defs/y -> /$defs/x` + msg},
		{"allOf to itself", `{"$defs": {"a": {"allOf": [{"$ref": "#/$defs/a"}]}}, "properties": {"p": {"$ref": "#/$defs/a"}}}`,
			`s.json:1:28: /$defs/a/allOf/0: /$defs/a -> /$defs/a/allOf/0 -> /$defs/a` + msg},
		{"anyOf", `{"anyOf": [{"type": "string"}, {"$ref": "#"}]}`, `/anyOf/1: (root) -> /anyOf/1 -> (root)` + msg},
		{"oneOf", `{"oneOf": [{"$ref": "#"}]}`, `/oneOf/0: (root) -> /oneOf/0 -> (root)` + msg},
		{"not", `{"not": {"$ref": "#"}}`, `/not: (root) -> /not -> (root)` + msg},
		{"if", `{"if": {"$ref": "#"}}`, `/if: (root) -> /if -> (root)` + msg},
		{"then", `{"if": true, "then": {"$ref": "#"}}`, `/then: (root) -> /then -> (root)` + msg},
		{"else", `{"if": true, "else": {"$ref": "#"}}`, `/else: (root) -> /else -> (root)` + msg},
		{"dependentSchemas", `{"dependentSchemas": {"a": {"$ref": "#"}}}`, `/dependentSchemas/a: (root) -> /dependentSchemas/a -> (root)` + msg},
		{"anchor", `{"$defs": {"a": {"$anchor": "me", "allOf": [{"$ref": "#me"}]}}}`, `/$defs/a/allOf/0: /$defs/a -> /$defs/a/allOf/0 -> /$defs/a` + msg},
		{"embedded resource", `{"$defs": {"a": {"$id": "a.json", "$ref": "a.json"}}}`, `/$defs/a/$ref: /$defs/a -> /$defs/a` + msg},
		{"draft-07 definitions", `{"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"x": {"$ref": "#/definitions/y"}, "y": {"$ref": "#/definitions/x"}}}`,
			`/definitions/x/$ref: /definitions/x -> /definitions/y -> /definitions/x` + msg},
		{"deep inside a property", `{"properties": {"a": {"properties": {"b": {"allOf": [{"$ref": "#/properties/a/properties/b"}]}}}}}`,
			`/properties/a/properties/b -> /properties/a/properties/b/allOf/0 -> /properties/a/properties/b` + msg},
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

// TestParseReportsEachCycleOnce reports two separate cycles once each.
func TestParseReportsEachCycleOnce(t *testing.T) {
	_, err := Parse("s.json", []byte(`{"$defs": {"a": {"$ref": "#/$defs/a"}, "b": {"allOf": [{"$ref": "#/$defs/b"}]}}}`))
	ds, ok := err.(Diagnostics)
	if !ok || len(ds) != 2 {
		t.Fatalf("got %v, want two diagnostics", err)
	}
}

// TestParseAcceptsCyclesThroughValues keeps the references that move to a
// part of the instance: trees, linked lists, maps of themselves, a
// property name checked by the schema that holds it.
func TestParseAcceptsCyclesThroughValues(t *testing.T) {
	for _, src := range []string{
		`{"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#"}}}}`,
		`{"$defs": {"node": {"properties": {"next": {"$ref": "#/$defs/node"}}}}, "$ref": "#/$defs/node"}`,
		`{"additionalProperties": {"$ref": "#"}}`,
		`{"patternProperties": {"^a": {"$ref": "#"}}}`,
		`{"propertyNames": {"$ref": "#"}}`,
		`{"prefixItems": [{"$ref": "#"}], "contains": {"$ref": "#"}}`,
		`{"allOf": [{"$ref": "#/$defs/a"}, {"$ref": "#/$defs/a"}], "$defs": {"a": {"type": "object"}}}`,
	} {
		if _, err := Parse("s.json", []byte(src)); err != nil {
			t.Errorf("%s: %v", src, err)
		}
	}
}

// TestParseLongReferenceChain resolves a chain of 30,000 references, each
// to the next, and a cycle at its end, without deep recursion.
func TestParseLongReferenceChain(t *testing.T) {
	const n = 30000
	var b strings.Builder
	b.WriteString(`{"$ref": "#/$defs/d0", "$defs": {`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `"d%d": {"$ref": "#/$defs/d%d"}, `, i, i+1)
	}
	fmt.Fprintf(&b, `"d%d": {"type": "string"}}}`, n)
	if _, err := Parse("s.json", []byte(b.String())); err != nil {
		t.Fatalf("chain: %v", err)
	}
	cyclic := strings.Replace(b.String(), fmt.Sprintf(`"d%d": {"type": "string"}`, n), fmt.Sprintf(`"d%d": {"$ref": "#/$defs/d0"}`, n), 1)
	_, err := Parse("s.json", []byte(cyclic))
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("/$defs/d0 -> /$defs/d1 -> /$defs/d2 -> /$defs/d3 -> (%d more) -> /$defs/d%d -> /$defs/d%d -> /$defs/d%d -> /$defs/d0: a reference cycle", n-6, n-2, n-1, n)) {
		t.Fatalf("cycle: got %.300v", err)
	}
}

// TestParseNumberLimits reads a number beyond the float64 range as a number
// (yaml.v3 tags it a string), and refuses a literal whose exact value
// would take seconds to compute, wherever it is.
func TestParseNumberLimits(t *testing.T) {
	doc, err := Parse("s.json", []byte(`{"const": 1e400, "maximum": -2E+300}`))
	if err != nil {
		t.Fatal(err)
	}
	if c := doc.Root.Const; c.Kind != KindNumber || c.Number.Lit != "1e400" || doc.Root.Maximum.Lit != "-2E+300" {
		t.Errorf("const %+v, maximum %+v", c, doc.Root.Maximum)
	}
	for _, tt := range []struct{ src, want string }{
		{`{"multipleOf": 1e9999999}`, `s.json:1:16: /multipleOf: the number 1e9999999 is out of range: write numbers of at most 1000 characters, with an exponent within ±400`},
		{`{"enum": ["a", 1e-99999999]}`, `s.json:1:16: /enum/1: the number 1e-99999999 is out of range`},
		{`{"minimum": 1` + strings.Repeat("0", 1000) + `}`, `s.json:1:13: /minimum: the number 10000000000000000000... is out of range`},
	} {
		if _, err := Parse("s.json", []byte(tt.src)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%.40s: got %v, want containing %s", tt.src, err, tt.want)
		}
	}
}
