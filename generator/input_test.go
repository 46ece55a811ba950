package generator

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator/model"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// inputModel parses a schema and builds its input model.
func inputModel(t *testing.T, src string) (*InputModel, error) {
	t.Helper()
	doc, err := schema.Parse("input.schema.json", []byte(src))
	if err != nil {
		t.Fatalf("schema.Parse: %v", err)
	}
	return newInputModel(doc)
}

func TestInputModelRich(t *testing.T) {
	data, err := os.ReadFile("../golden/knative-rich/input.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := inputModel(t, string(data))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, typ := range m.Types {
		names = append(names, typ.Name)
	}
	if got, want := strings.Join(names, " "), "Input InputFormat File FileMode InputTarget"; got != want {
		t.Errorf("types = %q, want %q", got, want)
	}
	if got, want := model.ValueJSONLine(m.Sample), `{"name":"nightly-backup","files":[{"path":"path"}]}`; got != want {
		t.Errorf("sample = %s, want %s", got, want)
	}
	if got, want := len(m.Fields), 18; got != want {
		t.Errorf("len(Fields) = %d, want %d", got, want)
	}
	wantDoc := model.FieldDoc{Pointer: "/files/*/mode", Type: "string (enum)", Default: `"r"`, Description: "Open mode.", Constraints: `one of "r", "w"`}
	if got := m.Fields[5]; got != wantDoc {
		t.Errorf("Fields[5] = %+v, want %+v", got, wantDoc)
	}
	if got, want := strings.Join(m.Imports, " "), "regexp sync time unicode/utf8"; got != want {
		t.Errorf("imports = %q, want %q", got, want)
	}
	if !m.Formats {
		t.Error("the model asserts no format; the schema has date-time, uuid, email and uri")
	}
	wantNotify := model.FieldDoc{Pointer: "/notify", Type: "string", Description: "Who is told when the archive is stored.", Constraints: "format email"}
	for _, f := range m.Fields {
		if f.Pointer == "/notify" && f != wantNotify {
			t.Errorf("the row of a $ref with a description beside it: %+v, want %+v", f, wantNotify)
		}
	}
	if len(m.Tests.Cases) < 40 {
		t.Errorf("only %d test cases", len(m.Tests.Cases))
	}
}

func TestInputModelNames(t *testing.T) {
	m, err := inputModel(t, `{"type": "object", "properties": {
		"a": {"type": "object", "title": "Thing", "properties": {"x": {"type": "string"}}},
		"b": {"type": "object", "title": "Thing", "properties": {"x": {"type": "string"}}},
		"c": {"type": "object", "title": "DecodeInput", "properties": {"x": {"type": "string"}}},
		"e": {"type": "object", "title": "Err Bad", "properties": {"x": {"type": "string"}}},
		"d-e": {"type": "string", "enum": ["a-b", "a_b", "x"]},
		"d_e": {"type": "string"}
	}}`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, typ := range m.Types {
		names = append(names, typ.Name)
		for _, c := range typ.Consts {
			names = append(names, c.Name)
		}
	}
	if got, want := strings.Join(names, " "), "Input Thing Thing2 DecodeInput2 InputErrBad InputDE InputDEAB InputDEAB2 InputDEX"; got != want {
		t.Errorf("names = %q, want %q", got, want)
	}
	var fields []string
	for _, f := range m.Types[0].Fields {
		fields = append(fields, f.Name+" "+f.Type)
	}
	if got, want := strings.Join(fields, ", "), "A *Thing, B *Thing2, C *DecodeInput2, E *InputErrBad, DE *InputDE, DE2 *string"; got != want {
		t.Errorf("fields = %q, want %q", got, want)
	}
}

func TestInputModelRefuses(t *testing.T) {
	_, err := inputModel(t, `{"type": "object", "properties": {
  "a": {"type": "integer", "default": "x"},
  "b": {"type": "number"},
  "c": {"type": "array", "items": {"type": "string"}, "default": [1]}
}}`)
	var diags schema.Diagnostics
	if !errors.As(err, &diags) {
		t.Fatalf("got error %v, want schema.Diagnostics", err)
	}
	want := []string{
		`input.schema.json:2:28: /properties/a/default: the default "x" is not of type integer`,
		`input.schema.json:4:55: /properties/c/default: the default 1 is not of type string`,
	}
	if got := err.Error(); got != strings.Join(want, "\n") {
		t.Errorf("error =\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
}

func TestSampleIsValid(t *testing.T) {
	tests := []struct{ schema, want string }{
		{`{"type": "string", "pattern": "^[A-Z]{2}-\\d+$", "minLength": 6}`, `"AA-000"`},
		{`{"type": "string", "minLength": 3, "maxLength": 4}`, `"exam"`},
		{`{"type": "integer", "minimum": 2.5, "maximum": 9}`, `3`},
		{`{"type": "number", "maximum": -1.5}`, `-1.5`},
		{`{"type": "integer", "enum": [7, 8], "examples": [8, 7]}`, `8`},
		{`{"type": ["integer", "null"], "minimum": 4}`, `4`},
		{`{"type": "object", "required": ["a"], "properties": {"a": {"type": ["string", "null"], "enum": [null]}}}`, `{"a":null}`},
		{`{"type": "array", "items": {"type": "boolean"}, "minItems": 2}`, `[false,false]`},
		{`{"type": "object", "properties": {"a": {"type": "string", "default": "xd", "pattern": "^x"}}, "required": ["a"]}`, `{"a":"xd"}`},
	}
	for _, tt := range tests {
		m, err := inputModel(t, tt.schema)
		if err != nil {
			t.Errorf("%s: %v", tt.schema, err)
			continue
		}
		if got := model.ValueJSONLine(m.Sample); got != tt.want {
			t.Errorf("%s: sample = %s, want %s", tt.schema, got, tt.want)
		}
	}
}

func TestInputModelUnsatisfiable(t *testing.T) {
	_, err := inputModel(t, `{"type": "string", "minLength": 5, "maxLength": 2}`)
	if err == nil || !strings.Contains(err.Error(), "cannot build a valid sample") {
		t.Errorf("got error %v, want a sample diagnostic", err)
	}
}

// TestInputRendersSuite renders the input templates for every schema of
// the JSON-Schema-Test-Suite that the generator supports, twice, and
// checks that the output is valid, formatted and deterministic. Compiling
// and running it is TestConformance's job.
func TestInputRendersSuite(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(suiteDir, "draft2020-12", "*.json"))
	if len(files) == 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("the JSON-Schema-Test-Suite is not at " + suiteDir + ": CI runs with shared/ beside the repository")
		}
		t.Skip("the JSON-Schema-Test-Suite is not beside the repository")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var groups []suiteGroup
		if err := json.Unmarshal(data, &groups); err != nil {
			t.Fatal(err)
		}
		for _, g := range groups {
			doc, err := schema.Parse("schema.json", g.Schema)
			if err != nil {
				continue
			}
			var first []string
			for run := 0; run < 2; run++ {
				m, err := newInputModel(doc)
				if err != nil {
					break
				}
				d := &Data{Header: Header, Input: m}
				for i, name := range []string{"input/input.gen.go.tmpl", "input/input.gen_test.go.tmpl"} {
					src, err := render(name, d)
					if err != nil {
						t.Errorf("%s: %s: %v", filepath.Base(f), g.Description, firstLine(err))
						continue
					}
					if run == 0 {
						first = append(first, string(src))
					} else if i < len(first) && first[i] != string(src) {
						t.Errorf("%s: %s: %s differs between two renderings", filepath.Base(f), g.Description, name)
					}
				}
			}
		}
	}
}
