package generator

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/direktiv-fn/direktiv-fn/generator/model"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// sampleRefusal is the start of the message of a schema refused for lack
// of a valid sample value.
const sampleRefusal = "cannot build a valid sample value"

// TestSampleCoverage counts the suite's schemas, in the in-scope files of
// TestConformance, that accept a value (the suite has a valid instance of
// them) yet are refused because no valid sample value could be built. The
// target is none: every schema that accepts some value gets a sample.
func TestSampleCoverage(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(suiteDir, "draft*", "*.json"))
	if len(files) == 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("the JSON-Schema-Test-Suite is not at " + suiteDir + ": CI runs with shared/ beside the repository")
		}
		t.Skip("the JSON-Schema-Test-Suite is not beside the repository")
	}
	sort.Strings(files)
	var schemas, refused, checked, invalid int
	for _, f := range files {
		name := filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f)
		if !inScope(name) {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var groups []suiteGroup
		if err := json.Unmarshal(data, &groups); err != nil {
			t.Fatal(err)
		}
		for _, g := range groups {
			valid := false
			for _, in := range g.Tests {
				valid = valid || in.Valid
			}
			if !valid {
				continue
			}
			src := []byte(g.Schema)
			if strings.HasPrefix(name, "draft7/") {
				src = asDraft7(src)
			}
			doc, err := schema.Parse("schema.json", src)
			if err != nil {
				continue // unsupported: not a matter of samples
			}
			schemas++
			m, err := newInputModelWith(doc, inputOptions{sampleOnly: true})
			if err != nil && strings.Contains(err.Error(), sampleRefusal) {
				refused++
				t.Errorf("%s: %s: refused for lack of a sample: %v\nschema: %s", name, g.Description, firstLine(err), g.Schema)
			}
			if err != nil {
				continue
			}
			// The sample is valid for another validator too.
			sample := model.ValueJSONLine(m.Sample)
			if v, ok := santhoshTry(src); ok {
				inst, err := jsonschema.UnmarshalJSON(strings.NewReader(sample))
				if err != nil {
					t.Fatal(err)
				}
				checked++
				if err := v.Validate(inst); err != nil {
					invalid++
					t.Errorf("%s: %s: the sample %s is invalid: %v", name, g.Description, sample, err)
				}
			}
		}
	}
	t.Logf("%d of the %d in-scope suite schemas that accept a value are refused for lack of a sample (the target is 0); %d of the %d samples santhosh-tekuri/jsonschema checked are invalid", refused, schemas, invalid, checked)
}

// TestSampleConstructs: schemas that combine constraints across $ref,
// allOf, if/then/else, not, dependentSchemas and a pattern with length
// bounds get a sample that santhosh-tekuri/jsonschema accepts too, both
// as the input's root and as a property.
func TestSampleConstructs(t *testing.T) {
	for _, src := range []string{
		// The schema: a $ref plus further constraints.
		`{"allOf": [{"$ref": "#/definitions/recipients"}, {"minItems": 1}], "definitions": {"recipients": {"type": "array", "items": {"type": "string", "format": "email"}}}}`,
		`{"$defs": {"id": {"type": "string", "pattern": "^[a-z]+$"}}, "allOf": [{"$ref": "#/$defs/id"}, {"minLength": 5}]}`,
		`{"allOf": [{"$ref": "#/$defs/a"}, {"$ref": "#/$defs/b"}], "$defs": {"a": {"type": "object", "required": ["x"], "properties": {"x": {"type": "integer", "minimum": 3}}}, "b": {"required": ["y"], "properties": {"x": {"maximum": 4}, "y": {"type": "string", "minLength": 2}}}}}`,
		`{"type": "array", "minItems": 2, "uniqueItems": true, "items": {"allOf": [{"$ref": "#/$defs/s"}, {"maxLength": 3}]}, "$defs": {"s": {"type": "string", "minLength": 2}}}`,
		`{"type": "array", "items": {"type": "integer"}, "contains": {"minimum": 5}}`,
		// if/then/else.
		`{"type": "object", "required": ["kind"], "properties": {"kind": {"enum": ["a", "b"]}}, "if": {"properties": {"kind": {"const": "a"}}}, "then": {"required": ["x"], "properties": {"x": {"type": "integer", "minimum": 5}}}, "else": {"required": ["y"], "properties": {"y": {"type": "string", "minLength": 2}}}}`,
		`{"if": {"type": "string"}, "then": {"minLength": 3, "pattern": "^[0-9]+$"}, "else": {"type": "integer", "minimum": 10}}`,
		`{"type": "integer", "if": {"minimum": 0}, "then": {"multipleOf": 7, "minimum": 1}}`,
		// not.
		`{"type": "string", "not": {"enum": ["", "example", "a", "aaa"]}}`,
		`{"not": {"type": ["string", "integer", "number", "boolean", "null", "object"]}}`,
		`{"type": "integer", "minimum": 0, "not": {"multipleOf": 2}}`,
		`{"type": "object", "required": ["a"], "properties": {"a": {"type": "string", "not": {"const": "a"}}}}`,
		// dependentSchemas and dependentRequired.
		`{"type": "object", "required": ["card"], "properties": {"card": {"type": "string"}}, "dependentSchemas": {"card": {"required": ["billing"], "properties": {"billing": {"type": "string", "minLength": 3}}}}}`,
		`{"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}, "b": {"type": "boolean"}}, "dependentRequired": {"a": ["b"]}}`,
		`{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "required": ["a"], "dependencies": {"a": {"required": ["b"], "properties": {"b": {"enum": [1, 2]}}}}}`,
		// A pattern with length bounds.
		`{"type": "string", "pattern": "^[a-z]+-[0-9]+$", "minLength": 10, "maxLength": 11}`,
		`{"type": "string", "pattern": "^[A-Z]{2}[0-9]{4,}$", "minLength": 9}`,
		`{"type": "string", "pattern": "^(ab)+$", "minLength": 5, "maxLength": 6}`,
		`{"type": "string", "pattern": "[0-9]{3}", "minLength": 8, "maxLength": 8}`,
	} {
		for _, wrapped := range []string{src, `{"type": "object", "required": ["p"], "properties": {"p": ` + src + `}}`} {
			if strings.Contains(src, "$schema") && wrapped != src {
				continue // a $schema below the root
			}
			if strings.Contains(src, "#/") && wrapped != src {
				wrapped = strings.ReplaceAll(wrapped, `"#/`, `"#/properties/p/`)
			}
			doc, err := schema.Parse("schema.json", []byte(wrapped))
			if err != nil {
				t.Errorf("%s: %v", wrapped, err)
				continue
			}
			m, err := newInputModelWith(doc, inputOptions{})
			if err != nil {
				t.Errorf("%s: %v", wrapped, err)
				continue
			}
			sample := model.ValueJSONLine(m.Sample)
			if santhoshPointers(t, santhoshCompile(t, []byte(wrapped)), []byte(sample)) != nil {
				t.Errorf("%s: the sample %s is invalid", wrapped, sample)
			}
		}
	}
}

// santhoshTry compiles src with santhosh-tekuri/jsonschema; false when it
// cannot (a schema of the suite that only the generator reads).
func santhoshTry(src []byte) (*jsonschema.Schema, bool) {
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(src)))
	if err != nil {
		return nil, false
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("input.schema.json", doc); err != nil {
		return nil, false
	}
	sch, err := c.Compile("input.schema.json")
	return sch, err == nil
}

// TestSampleReadmeExample is the README's example of samples that combine
// constraints.
func TestSampleReadmeExample(t *testing.T) {
	doc, err := schema.Parse("input.schema.json", []byte(`{"type": "object", "required": ["id", "to"], "properties": {
		"id": {"type": "string", "pattern": "^[a-z]+-[0-9]+$", "minLength": 10, "maxLength": 11},
		"to": {"allOf": [{"$ref": "#/definitions/recipients"}, {"minItems": 1}]}},
		"definitions": {"recipients": {"type": "array", "items": {"type": "string", "format": "email"}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	got, err := SampleInputJSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"id":"a-00000000","to":["user@example.com"]}`; string(got) != want {
		t.Errorf("sample %s, want %s", got, want)
	}
}
