package generator

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	fnruntime "github.com/direktiv-fn/direktiv-fn/generator/runtime"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// renderInput renders the input files of the schema src as package pkg
// (input.gen.go, input.gen_test.go), with the copy of the runtime they
// reach (internal/...), for a module named pkg.
func renderInput(t *testing.T, src []byte, pkg string) map[string]string {
	t.Helper()
	doc, err := schema.Parse("input.schema.json", src)
	if err != nil {
		t.Fatal(err)
	}
	m, err := newInputModel(doc)
	if err != nil {
		t.Fatal(err)
	}
	d := &Data{Header: Header, Input: m, Runtime: pkg + "/internal/"}
	out := map[string]string{}
	var code [][]byte
	for _, name := range []string{"input/input.gen.go.tmpl", "input/input.gen_test.go.tmpl"} {
		text, err := render(name, d)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		code = append(code, text)
		out[strings.TrimSuffix(filepath.Base(name), ".tmpl")] = strings.Replace(string(text), "package main", "package "+pkg, 1)
	}
	rt, err := fnruntime.Copy(pkg, Header, code)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rt {
		out[f.Path] = string(f.Content)
	}
	return out
}

// TestInputFeatures generates the input code of testdata/features (nullable
// types, patternProperties beside additionalProperties, the property "",
// a name no struct tag can hold, oneOf) and runs its generated tests and
// the hand-written ones of features_test.go.txt: decoding, MarshalJSON and
// its round trip, messages, the cap on recorded violations.
func TestInputFeatures(t *testing.T) {
	runInputCase(t, "features")
}

// TestInputUnions generates the input code of testdata/unions (oneOf and
// anyOf told apart by a discriminator or by JSON type, nested, recursive,
// with defaults) and runs its generated tests and those of
// unions_test.go.txt: the branch picked, Which, the messages, the round
// trip of MarshalJSON.
func TestInputUnions(t *testing.T) {
	runInputCase(t, "unions")
}

// runInputCase generates the input code of testdata/<name> as package name
// and runs go vet and its tests, with the hand-written <name>_test.go.txt.
func runInputCase(t *testing.T, name string) {
	if testing.Short() {
		t.Skip("compiles generated code")
	}
	src, err := os.ReadFile("testdata/" + name + "/input.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	tests, err := os.ReadFile("testdata/" + name + "/" + name + "_test.go.txt")
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	writeTestFile(t, filepath.Join(mod, "go.mod"), "module "+name+"\n\ngo 1.22\n")
	for file, text := range renderInput(t, src, name) {
		writeTestFile(t, filepath.Join(mod, file), text)
	}
	writeTestFile(t, filepath.Join(mod, name+"_test.go"), string(tests))
	for _, args := range [][]string{{"vet", "."}, {"test", "-count=1", "."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// TestInputDocComments checks that every doc comment of the generated
// input code, on declarations and struct fields, starts with the name it
// documents, for the golden schemas and the test schemas.
func TestInputDocComments(t *testing.T) {
	paths, _ := filepath.Glob("../golden/*/input.schema.json")
	more, _ := filepath.Glob("testdata/*/*.schema.json")
	paths = append(paths, append(more, "testdata/features/input.schema.json")...)
	checked := 0
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := schema.Parse("input.schema.json", src)
		if err != nil {
			continue
		}
		if _, err := newInputModel(doc); err != nil {
			continue
		}
		for name, text := range renderInput(t, src, "main") {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, name, text, parser.ParseComments)
			if err != nil {
				t.Fatalf("%s: %s: %v", path, name, err)
			}
			check := func(doc *ast.CommentGroup, id *ast.Ident) {
				if doc == nil || id == nil {
					return
				}
				checked++
				if text := doc.Text(); !strings.HasPrefix(text, id.Name+" ") {
					t.Errorf("%s: %s: %s: the doc comment of %s starts %q", path, name, fset.Position(doc.Pos()), id.Name, firstLineOf(text))
				}
			}
			for _, decl := range f.Decls {
				switch decl := decl.(type) {
				case *ast.FuncDecl:
					check(decl.Doc, decl.Name)
				case *ast.GenDecl:
					for _, spec := range decl.Specs {
						switch spec := spec.(type) {
						case *ast.TypeSpec:
							doc := spec.Doc
							if doc == nil && len(decl.Specs) == 1 {
								doc = decl.Doc
							}
							check(doc, spec.Name)
							if st, ok := spec.Type.(*ast.StructType); ok {
								// A field's comment says what it holds, in the
								// schema's words when it has some: it need not
								// start with the field's name, but it must be there.
								for _, field := range st.Fields.List {
									if len(field.Names) == 1 && field.Names[0].IsExported() && (field.Doc == nil || strings.TrimSpace(field.Doc.Text()) == "") {
										t.Errorf("%s: %s: field %s has no doc comment", path, name, field.Names[0].Name)
									}
								}
							}
						case *ast.ValueSpec:
							doc := spec.Doc
							if doc == nil && len(decl.Specs) == 1 {
								doc = decl.Doc
							}
							check(doc, spec.Names[0])
						}
					}
				}
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d doc comments checked", checked)
	}
}

func firstLineOf(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// TestInputRefusesInvalidAnnotations refuses a "default" or an "examples"
// value that its own schema does not accept, at the value, with the
// violation.
func TestInputRefusesInvalidAnnotations(t *testing.T) {
	tests := []struct{ schema, want string }{
		{`{"type": "object", "properties": {"a": {"type": "string", "enum": ["x"], "default": "y"}}}`,
			`input.schema.json:1:85: /properties/a/default: the default "y" does not match its schema: must be "x"`},
		{`{"type": "object", "properties": {"a": {"type": "integer", "minimum": 3, "default": 2}}}`,
			`input.schema.json:1:85: /properties/a/default: the default 2 does not match its schema: must be >= 3`},
		{`{"type": "object", "properties": {"a": {"type": "string", "pattern": "^x", "default": "d"}}, "required": ["a"]}`,
			`input.schema.json:1:87: /properties/a/default: the default "d" does not match its schema: must match the pattern ^x`},
		{`{"type": "integer", "enum": [7, 8], "examples": [8, 9]}`,
			`input.schema.json:1:53: /examples/1: the example 9 does not match its schema: must be one of 7, 8`},
		{`{"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}, "examples": [{"a": "x"}, {"b": 1}]}`,
			`input.schema.json:1:105: /examples/1: the example {"b":1} does not match its schema: at /a: is required but missing`},
		{`{"type": "object", "properties": {"a": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": 5}}}`,
			`input.schema.json:1:101: /properties/a/default: the default 5 does not match its schema: must match at least one of the anyOf schemas; it matches none`},
		{`{"type": "object", "properties": {"a": {"type": ["string", "null"], "maxLength": 1, "examples": [null, "xy"]}}}`,
			`input.schema.json:1:104: /properties/a/examples/1: the example "xy" does not match its schema: must be at most 1 character long`},
	}
	for _, tt := range tests {
		_, err := inputModel(t, tt.schema)
		var diags schema.Diagnostics
		if !errors.As(err, &diags) || err.Error() != tt.want {
			t.Errorf("%s:\ngot  %v\nwant %s", tt.schema, err, tt.want)
		}
	}
}

// TestHandlerTestUsesSample checks that the scaffold-once handler_test.go
// does not depend on the schema: it decodes inputSample, which the
// regenerated input.gen_test.go declares, so that it stays valid when the
// schema changes (a new required property, say).
func TestHandlerTestUsesSample(t *testing.T) {
	var rendered []string
	for _, src := range []string{
		`{"type": "object", "properties": {"a": {"type": "string"}}}`,
		`{"type": "object", "required": ["a", "b"], "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}}`,
	} {
		m, err := inputModel(t, src)
		if err != nil {
			t.Fatal(err)
		}
		d := &Data{Header: Header, SchemaFile: "input.schema.json", Input: m}
		text, err := render("common/handler_test.go.tmpl", d)
		if err != nil {
			t.Fatal(err)
		}
		rendered = append(rendered, string(text))
		tests, err := render("input/input.gen_test.go.tmpl", d)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(tests), "\nconst inputSample = ") {
			t.Errorf("%s: input.gen_test.go declares no inputSample", src)
		}
	}
	if rendered[0] != rendered[1] {
		t.Errorf("handler_test.go depends on the schema:\n%s\n---\n%s", rendered[0], rendered[1])
	}
	if !strings.Contains(rendered[0], "DecodeInput([]byte(inputSample))") {
		t.Errorf("handler_test.go does not decode inputSample:\n%s", rendered[0])
	}
}
