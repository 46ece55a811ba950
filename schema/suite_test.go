package schema

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// suiteDir is the official JSON-Schema-Test-Suite, beside the repository.
const suiteDir = "../../shared/json-schema-test-suite/tests"

type suiteCase struct {
	Description string          `json:"description"`
	Schema      json.RawMessage `json:"schema"`
}

// TestSuiteSchemasParse parses every schema of the official test suite's
// draft 2020-12 and draft-07 files. A schema may be refused only for a
// keyword or reference form direktiv-fn does not support, and every "const"
// and "enum" value must read back exactly as encoding/json reads it.
func TestSuiteSchemasParse(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(suiteDir, "draft*", "*.json"))
	if len(files) == 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("the JSON-Schema-Test-Suite is not at " + suiteDir + ": CI runs with shared/ beside the repository")
		}
		t.Skip("the JSON-Schema-Test-Suite is not beside the repository")
	}
	allowed := []string{"is not supported", "points to no schema", "cannot be used", "unsupported $schema"}
	var parsed, refused int
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cases []suiteCase
		if err := json.Unmarshal(data, &cases); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			name := filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f) + ": " + c.Description
			src := []byte(c.Schema)
			if strings.Contains(f, "draft7") && !strings.Contains(string(src), "$schema") {
				src = withDraft7(t, src)
			}
			doc, err := Parse("schema.json", src)
			if err != nil {
				refused++
				ok := false
				for _, a := range allowed {
					ok = ok || strings.Contains(err.Error(), a)
				}
				if !ok {
					t.Errorf("%s: refused for an unexpected reason:\n%v", name, err)
				}
				continue
			}
			parsed++
			var tree any
			dec := json.NewDecoder(strings.NewReader(string(src)))
			dec.UseNumber()
			if err := dec.Decode(&tree); err != nil {
				t.Fatal(err)
			}
			checkValues(t, name, tree, doc.Root, map[*Schema]bool{})
		}
	}
	t.Logf("suite schemas: %d parsed, %d refused", parsed, refused)
}

// withDraft7 adds the draft-07 "$schema" to an object schema, as the suite's
// draft7 folder means its schemas.
func withDraft7(t *testing.T, src []byte) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(src, &m) != nil {
		return src // a boolean schema
	}
	return append([]byte(`{"$schema": "http://json-schema.org/draft-07/schema#",`), src[strings.IndexByte(string(src), '{')+1:]...)
}

// checkValues compares every const and enum value with encoding/json's
// reading of the same document (tree) at the value's JSON Pointer.
func checkValues(t *testing.T, name string, tree any, s *Schema, seen map[*Schema]bool) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	vals := append([]*Value{}, s.Enum...)
	if s.Const != nil {
		vals = append(vals, s.Const)
	}
	for _, v := range vals {
		if want := lookup(tree, v.Pointer); !sameJSON(v, want) {
			t.Errorf("%s: value at %s reads as %+v, encoding/json reads %#v", name, v.Pointer, v, want)
		}
	}
	var subs []*Schema
	for _, p := range s.Properties {
		subs = append(subs, p.Schema)
	}
	for _, d := range s.Defs {
		subs = append(subs, d.Schema)
	}
	subs = append(subs, s.AllOf...)
	subs = append(subs, s.AnyOf...)
	subs = append(subs, s.OneOf...)
	subs = append(subs, s.PrefixItems...)
	subs = append(subs, s.Items, s.Contains, s.Not, s.If, s.Then, s.Else, s.AdditionalProperties, s.PropertyNames)
	for _, sub := range subs {
		checkValues(t, name, tree, sub, seen)
	}
}

// lookup returns the value at a JSON Pointer in a tree decoded by encoding/json.
func lookup(tree any, ptr string) any {
	if ptr == "" {
		return tree
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch x := tree.(type) {
		case map[string]any:
			tree = x[tok]
		case []any:
			i, _ := strconv.Atoi(tok)
			tree = x[i]
		}
	}
	return tree
}

// sameJSON reports whether v is exactly the value encoding/json decoded as x.
func sameJSON(v *Value, x any) bool {
	switch x := x.(type) {
	case nil:
		return v.Kind == KindNull
	case bool:
		return v.Kind == KindBool && v.Bool == x
	case string:
		return v.Kind == KindString && v.String == x
	case json.Number:
		return v.Kind == KindNumber && v.Number.Lit == x.String()
	case []any:
		if v.Kind != KindArray || len(v.Array) != len(x) {
			return false
		}
		for i := range x {
			if !sameJSON(v.Array[i], x[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		if v.Kind != KindObject || len(v.Members) != len(x) {
			return false
		}
		for _, m := range v.Members {
			if !sameJSON(m.Value, x[m.Key]) {
				return false
			}
		}
		return true
	}
	return false
}
