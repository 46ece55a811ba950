package schema

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzParse feeds arbitrary documents to the parser: it never panics, and
// a parse that is cancelled after a second stops and says so (a document
// that kept it longer would be caught by the fuzzer's hang detection, not
// by a timing assertion). A document it accepts has its root, and every
// "$ref" resolved. The seeds (testdata/fuzz/FuzzParse, and the golden and
// test schemas) run in "go test ./...". A longer run:
//
//	go test ./schema -run '^$' -fuzz FuzzParse -fuzztime 1000000x
func FuzzParse(f *testing.F) {
	for _, pattern := range []string{"../golden/*/input.schema.json", "../generator/testdata/*/*.json", "testdata/*.json"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	for _, s := range []string{
		`{"$ref": "#"}`, `{"type": "object", "$ref": "#"}`, `{"allOf": [{"$ref": "#"}]}`,
		`{"$defs": {"x": {"$ref": "#/$defs/y"}, "y": {"$ref": "#/$defs/x"}}}`,
		`{"properties": {"next": {"$ref": "#"}}}`, `{"multipleOf": 1e9999999}`, `{"enum": [1, 1.0, "1", [1], {"a": 1}]}`,
		`{"pattern": "^(a|b)*$", "minLength": 2}`, "type: object\nproperties:\n  a: {type: string}\n", `true`, `[`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		doc, err := ParseContext(ctx, "input.schema.json", data)
		if err != nil {
			return
		}
		if doc.Root == nil {
			t.Fatal("accepted without a root")
		}
		for _, s := range allSchemas(doc.Root) {
			if s.Ref != nil && s.Ref.Target == nil {
				t.Fatalf("%s: unresolved $ref %q", s.Pointer, s.Ref.Raw)
			}
		}
	})
}

// allSchemas returns the schemas of the tree at root, each once.
func allSchemas(root *Schema) []*Schema {
	seen := map[*Schema]bool{}
	var out []*Schema
	stack := []*Schema{root}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s == nil || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
		for _, e := range inPlace(s) {
			stack = append(stack, e.to)
		}
		for _, p := range s.Properties {
			stack = append(stack, p.Schema)
		}
		for _, d := range s.Defs {
			stack = append(stack, d.Schema)
		}
		stack = append(stack, s.Items, s.AdditionalProperties, s.PropertyNames, s.Contains)
		stack = append(stack, s.PrefixItems...)
		for _, p := range s.PatternProperties {
			stack = append(stack, p.Schema)
		}
	}
	return out
}
