package generator

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// buildInput renders the input code of the schema src into a module of
// its own, with the hand-written test file extra, and runs go vet and the
// generated tests and extra's there.
func buildInput(t *testing.T, src, extra string) {
	t.Helper()
	if testing.Short() {
		t.Skip("compiles generated code")
	}
	mod := t.TempDir()
	writeTestFile(t, filepath.Join(mod, "go.mod"), "module hostile\n\ngo 1.22\n")
	for name, text := range renderInput(t, []byte(src), "hostile") {
		writeTestFile(t, filepath.Join(mod, name), text)
	}
	if extra != "" {
		writeTestFile(t, filepath.Join(mod, "extra_test.go"), "package hostile\n\n"+extra)
	}
	for _, args := range [][]string{{"vet", "."}, {"test", "-count=1", "."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// TestRecursiveSchemasBuild generates the types of a tree and of a linked
// list, whose references pass through a property or an item: the code
// builds, its tests pass, and it decodes a deep tree and reports a
// violation deep inside it at its pointer.
func TestRecursiveSchemasBuild(t *testing.T) {
	buildInput(t, `{
  "type": "object",
  "required": ["name"],
  "properties": {
    "name": {"type": "string", "minLength": 1},
    "children": {"type": "array", "items": {"$ref": "#"}},
    "list": {"$ref": "#/$defs/node"}
  },
  "$defs": {
    "node": {"type": "object", "required": ["v"], "properties": {"v": {"type": "integer"}, "next": {"$ref": "#/$defs/node"}}}
  }
}`, `import (
	"errors"
	"testing"

	"hostile/internal/decode"
)

func TestTree(t *testing.T) {
	in, err := DecodeInput([]byte(`+"`"+`{"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}], "list": {"v": 1, "next": {"v": 2, "next": {"v": 3}}}}`+"`"+`))
	if err != nil {
		t.Fatal(err)
	}
	if got := in.Children[0].Children[0].Name; got != "c" {
		t.Errorf("grandchild = %q", got)
	}
	if got := in.List.Next.Next.V; got != 3 {
		t.Errorf("third node = %d", got)
	}
	_, err = DecodeInput([]byte(`+"`"+`{"name": "a", "children": [{"name": "b", "children": [{"name": ""}]}], "list": {"v": 1, "next": {"next": {"v": 3}}}}`+"`"+`))
	var ve *decode.ValidationError
	if !errors.As(err, &ve) || len(ve.Violations) != 2 || ve.Violations[0].Pointer != "/children/0/children/0/name" || ve.Violations[1].Pointer != "/list/next/v" {
		t.Errorf("got %v", err)
	}
}
`)
}

// generatedNames are the names of the methods and the package-level
// declarations of a generated project that a schema could ask for: each
// becomes a property name and a "$defs" title in TestNamesNeverClash.
var generatedNames = []string{
	"MarshalJSON", "UnmarshalJSON", "String", "Error", "Unwrap", "Violations", "Total", "Pointer", "Keyword", "Message",
	"Input", "DecodeInput", "Violation", "ValidationError", "SyntaxError", "Handle", "Output", "Call", "CallFromContext",
	"ErrorCode", "NewError", "Logf", "ErrBadInput", "TestDecodeInputSample", "AdditionalProperties", "PatternProperties", "EmptyKey",
}

// TestNamesNeverClash generates a whole project (both modes) whose
// structs have a property named after each generated method and
// declaration, beside a property "" and additional properties (which give
// the struct a MarshalJSON), and "$defs" titled after each of them too:
// the project builds, vets and passes its tests.
func TestNamesNeverClash(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles generated code")
	}
	props := map[string]any{"": map[string]any{"type": "string"}}
	defs := map[string]any{}
	for i, name := range generatedNames {
		props[name] = map[string]any{"type": "string"}
		props[strings.ToLower(name)] = map[string]any{"$ref": "#/$defs/d" + strconv.Itoa(i)}
		defs["d"+strconv.Itoa(i)] = map[string]any{"title": name, "type": "object", "additionalProperties": map[string]any{"type": "integer"},
			"properties": map[string]any{name: map[string]any{"type": "string"}, "": map[string]any{"type": "boolean"}}}
	}
	src, err := json.Marshal(map[string]any{"type": "object", "properties": props, "additionalProperties": map[string]any{"type": "string"}, "$defs": defs})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := schema.Parse("input.schema.json", src)
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range config.Modes {
		t.Run(string(mode), func(t *testing.T) {
			files, err := Generate(config.Config{ID: "clash", Mode: mode, Image: "localhost:5000/clash:v1", Module: "example.com/clash",
				SchemaFile: "input.schema.json", SchemaData: src, Schema: doc, Version: "test",
				Errors: []config.ErrorCode{{Name: "badInput", Description: "Bad."}}})
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			for _, f := range files {
				if f.Path == "input.gen.go" && !strings.Contains(string(f.Content), "\tMarshalJSON2 *string `json:\"MarshalJSON,omitempty\"`") {
					t.Errorf("input.gen.go has no field MarshalJSON2 for the property MarshalJSON")
				}
				writeTestFile(t, filepath.Join(dir, filepath.FromSlash(f.Path)), string(f.Content))
			}
			for _, args := range [][]string{{"vet", "./..."}, {"test", "-count=1", "./..."}} {
				cmd := exec.Command("go", args...)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
				}
			}
		})
	}
}

// TestGenerateContextStops cancels the generation of a large schema (an
// enum of 200,000 values, 3,000 properties) at several moments: each time
// RenderContext returns the context's error, or its rendering if it
// finished first, well within the bound (a liveness check, not a speed
// test): the model, the sample, the cases and the templates check it.
func TestGenerateContextStops(t *testing.T) {
	props := map[string]any{}
	for i := 0; i < 3000; i++ {
		props["p"+strconv.Itoa(i)] = map[string]any{"type": "string", "minLength": 1}
	}
	values := make([]string, 200000)
	for i := range values {
		values[i] = "v" + strconv.Itoa(i)
	}
	props["e"] = map[string]any{"type": "string", "enum": values}
	src, err := json.Marshal(map[string]any{"type": "object", "properties": props})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := schema.Parse("input.schema.json", src)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Config{ID: "big", Mode: config.ModeKnative, Image: "localhost:5000/big:v1", Module: "example.com/big",
		SchemaFile: "input.schema.json", SchemaData: src, Schema: doc, Version: "test"}
	for _, after := range []time.Duration{0, 50 * time.Millisecond, 300 * time.Millisecond, time.Second} {
		ctx, cancel := context.WithCancel(context.Background())
		cancelled := make(chan time.Time, 1)
		timer := time.AfterFunc(after, func() { cancelled <- time.Now(); cancel() })
		r, err := RenderContext(ctx, cfg, nil)
		timer.Stop()
		cancel()
		switch {
		case err == nil && r != nil && after > 0:
			t.Logf("cancel after %v: finished first", after)
		case errors.Is(err, context.Canceled):
			if d := time.Since(<-cancelled); d > 10*time.Second {
				t.Errorf("cancel after %v: returned %v after the cancel", after, d)
			}
		default:
			t.Errorf("cancel after %v: got %v, error %v", after, r, err)
		}
	}
	_, err = schema.ParseContext(canceledContext(), "input.schema.json", src)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("ParseContext: got %v, want the context's error", err)
	}
}

// canceledContext returns a context that is already cancelled.
func canceledContext() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// TestEnumOfCollidingNames builds the model of an enum of 20,000 values
// that all become the same Go name ("a", "a ", "a  "...): each constant
// gets its own number.
func TestEnumOfCollidingNames(t *testing.T) {
	values := make([]string, 20000)
	for i := range values {
		values[i] = "a" + strings.Repeat(" ", i%100) + strings.Repeat("-", i/100)
	}
	src, _ := json.Marshal(map[string]any{"type": "object", "properties": map[string]any{"e": map[string]any{"type": "string", "enum": values}}})
	m, err := inputModel(t, string(src))
	if err != nil {
		t.Fatal(err)
	}
	consts := m.Types[len(m.Types)-1].Consts
	if len(consts) != len(values) || consts[len(consts)-1].Name != "InputEA20000" {
		t.Errorf("got %d constants, the last %q", len(consts), consts[len(consts)-1].Name)
	}
}

// dagSchema is a chain of n "$defs", each using the next twice: through
// two required properties (required), or an "allOf" (not required). Its
// values, or its checks, are exponentially large in n.
func dagSchema(n int, required bool) string {
	defs := map[string]any{}
	for i := 0; i < n; i++ {
		next := map[string]any{"$ref": "#/$defs/a" + strconv.Itoa(i+1)}
		if required {
			defs["a"+strconv.Itoa(i)] = map[string]any{"type": "object", "required": []string{"x", "y"}, "properties": map[string]any{"x": next, "y": next}}
		} else {
			defs["a"+strconv.Itoa(i)] = map[string]any{"allOf": []any{next, next}}
		}
	}
	defs["a"+strconv.Itoa(n)] = map[string]any{"type": "string"}
	root := map[string]any{"type": "object", "properties": map[string]any{"r": map[string]any{"$ref": "#/$defs/a0"}}, "$defs": defs}
	if required {
		root["required"] = []string{"r"}
	}
	src, _ := json.Marshal(root)
	return string(src)
}

// TestExponentialSchemasAreBounded builds the model of schemas whose
// smallest value, or whose check, doubles with each of 40 levels: the
// sampler and the validator give up at their bounds instead of running
// for ages, and a schema with no small valid value is refused.
func TestExponentialSchemasAreBounded(t *testing.T) {
	_, err := inputModel(t, dagSchema(40, true))
	if err == nil || !strings.Contains(err.Error(), "cannot build a valid sample value: it would have more than 262144 values") {
		t.Errorf("required: got %v", err)
	}
	if _, err := inputModel(t, dagSchema(40, false)); err != nil {
		t.Errorf("allOf: %v", err)
	}
}
