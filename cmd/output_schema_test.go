package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/cmd/internal/workflow"
	"github.com/direktiv-fn/direktiv-fn/generator"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// badListingHandler is a handler of the output golden projects whose output
// breaks output.schema.json in several places: a count below its minimum,
// a required array left nil (encoded as null), an object's key shorter
// than its minLength and a next-token that does not match its pattern.
const badListingHandler = `package main

import (
	"context"

	"example.com/lister/internal/fn"
)

func Handle(ctx context.Context, in Input) (Output, error) {
	fn.Logf(ctx, "lister: listing %s", in.Bucket)
	token := "not a token!"
	if in.Bucket == "good-bucket" {
		return Output{Status: OutputStatusComplete, Count: 1, Objects: []StoredObject{{Key: "a.txt", Size: 3}}}, nil
	}
	if in.Bucket == "null-objects" {
		return Output{Status: OutputStatusComplete, Count: 1}, nil
	}
	return Output{Status: OutputStatusTruncated, Count: -1, Objects: []StoredObject{{Key: "", Size: 1}}, NextToken: &token}, nil
}
`

// TestInvokeInvalidOutput runs the output golden functions, in both modes,
// with a handler whose output does not match the output schema: the call
// fails with the catchable lister.invalidOutput naming every violation by
// its JSON Pointer, through "direktiv-fn invoke" as Direktiv would see it,
// and a valid output is returned as is.
func TestInvokeInvalidOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the output golden projects")
	}
	for _, name := range []string{"output-knative", "output-isolated"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := prepareInvoke(t, filepath.Join(goldenDir, name, "want"), badListingHandler)
			run := func(input string) (int, string, string) {
				var stdout, stderr bytes.Buffer
				code := Main(context.Background(), []string{"invoke", "--dir", p.dir, "--binary", p.binary, "--input", "-", "--json"}, strings.NewReader(input), &stdout, &stderr)
				return code, stdout.String(), stderr.String()
			}

			code, out, errOut := run(`{"bucket": "bad-bucket"}`)
			var rep invokeReport
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("exit %d, stdout is not a JSON report: %v\n%s\nstderr:\n%s", code, err, out, errOut)
			}
			if code != ExitCatchable || rep.Error == nil || rep.Error.Code != "lister.invalidOutput" {
				t.Fatalf("exit %d, report %+v, want the catchable lister.invalidOutput (exit %d)\nstderr:\n%s", code, rep, ExitCatchable, errOut)
			}
			// The README shows this message.
			if want := `the output does not match output.schema.json: /count: must be >= 0; got -1; /next-token: must match the pattern ^[A-Za-z0-9+/=]+$; got "not a token!"; /objects/0/key: must be at least 1 character long; got 0`; rep.Error.Message != want {
				t.Errorf("message:\n got %s\nwant %s", rep.Error.Message, want)
			}
			if len(rep.Return) != 0 {
				t.Errorf("an invalid output was returned: %s", rep.Return)
			}

			// A required array left nil is null, which the schema refuses.
			code, out, _ = run(`{"bucket": "null-objects"}`)
			if code != ExitCatchable || !strings.Contains(out, `/objects: must be an array; got null`) {
				t.Errorf("nil objects: exit %d, want %d and a type violation at /objects:\n%s", code, ExitCatchable, out)
			}

			code, out, errOut = run(`{"bucket": "good-bucket"}`)
			if err := json.Unmarshal([]byte(out), &rep); err != nil || code != ExitOK {
				t.Fatalf("valid output: exit %d, %v\n%s\nstderr:\n%s", code, err, out, errOut)
			}
			if want := `{"status":"complete","count":1,"objects":[{"key":"a.txt","size":3}]}`; compactJSON(t, rep.Return) != want {
				t.Errorf("valid output: .return = %s, want %s", rep.Return, want)
			}
		})
	}
}

// compactJSON returns the JSON text b compacted.
func compactJSON(t *testing.T, b []byte) string {
	t.Helper()
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		t.Fatalf("not JSON: %v: %s", err, b)
	}
	return out.String()
}

// TestOutputGoldenWorkflow checks what the user reads of an output schema in
// the output golden projects: the workflow reads every top-level output
// field from .return, catches invalidOutput and passes the checker of its
// era; the README documents the output's fields; the handler declares no
// Output of its own.
func TestOutputGoldenWorkflow(t *testing.T) {
	for _, name := range []string{"output-knative", "output-isolated"} {
		want := filepath.Join(goldenDir, name, "want")
		read := func(f string) string {
			b, err := os.ReadFile(filepath.Join(want, f))
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		wf := read(workflowFile)
		for _, s := range []string{
			"  transform:\n    status: jq(.return.status)\n    count: jq(.return.count)\n    objects: jq(.return.objects)\n    next-token: jq(.return[\"next-token\"])\n",
			`- error: '^lister\.invalidOutput$'`,
		} {
			if !strings.Contains(wf, s) {
				t.Errorf("%s/workflow.yaml lacks %q:\n%s", name, s, wf)
			}
		}
		p, err := loadProject(want)
		if err != nil {
			t.Fatal(err)
		}
		era, err := p.manifest.Config().Era()
		if err != nil {
			t.Fatal(err)
		}
		if ds := workflow.Check(workflowFile, []byte(wf), workflow.Options{Era: era}); len(ds) > 0 {
			t.Errorf("%s/workflow.yaml:\n%s", name, ds.Error())
		}
		readme := read("README.md")
		for _, s := range []string{
			"## Output\n",
			"| `/objects/*/size` | integer | yes |  | ≥ 0 | The size in bytes. |",
			"| `/next-token` | string or null | no |",
			"`lister.invalidOutput`",
		} {
			if !strings.Contains(readme, s) {
				t.Errorf("%s/README.md lacks %q", name, s)
			}
		}
		if h := read("handler.go"); strings.Contains(h, "type Output") {
			t.Errorf("%s/handler.go declares Output, which output.gen.go declares", name)
		}
	}
}

// smallOutputSchema is an output schema with a required integer and an enum.
const smallOutputSchema = `{"type": "object", "required": ["total", "state"], "properties": {
  "total": {"type": "integer", "minimum": 0},
  "state": {"enum": ["ok", "partial"]}}}`

// TestOutputSchemaLifecycle adds an output schema to an existing function
// (the type check refuses while the user's own Output exists, and says to
// delete it), then edits it (the type check protects the handler), then
// removes it from the manifest (output.gen.go is deleted).
func TestOutputSchemaLifecycle(t *testing.T) {
	dir := newProject(t)
	writeFile(t, filepath.Join(dir, "output.schema.json"), []byte(smallOutputSchema))
	manifest := filepath.Join(dir, "direktiv-fn.yaml")
	m := string(readFile(t, manifest))
	withOutput := strings.Replace(m, "\nerrors: []\n", "\noutput:\n  schema: output.schema.json\nerrors: []\n", 1)
	if withOutput == m {
		t.Fatalf("the manifest has no \"errors: []\" line:\n%s", m)
	}
	writeFile(t, manifest, []byte(withOutput))
	before := state(t, dir)

	code, _, stderr := runMain(t, "generate", "--dir", dir)
	if code != ExitFailure {
		t.Fatalf("generate with the handler's own Output: exit %d, want %d\n%s", code, ExitFailure, stderr)
	}
	wantContains(t, "stderr", stderr,
		"handler.go:13:6: Output redeclared in this block (other declaration of Output at output.gen.go:",
		"(type Output is now generated too, in output.gen.go)",
		"Output is now generated from the output schema, in output.gen.go: delete your own Output type (in handler.go)",
		"Nothing was written.")
	sameState(t, before, state(t, dir))

	// The user deletes the Output type and builds the generated one.
	writeFile(t, filepath.Join(dir, "handler.go"), []byte(`package main

import "context"

// Handle counts.
func Handle(ctx context.Context, in Input) (Output, error) {
	return Output{Total: in.N, State: OutputStateOk}, nil
}
`))
	writeFile(t, filepath.Join(dir, "handler_test.go"), []byte("package main\n"))
	code, stdout, stderr := runMain(t, "generate", "--dir", dir)
	if code != ExitOK {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	wantContains(t, "stdout", stdout, "created  output.gen.go", "created  output.gen_test.go", "Go type Output added (output.gen.go)",
		`Note: README.md has no "output" section`)
	wantContains(t, "errors.gen.go", string(readFile(t, filepath.Join(dir, "errors.gen.go"))), `ErrInvalidOutput ErrorCode = "fn.invalidOutput"`)

	// A property renamed: the handler's use of the old field is a break.
	writeFile(t, filepath.Join(dir, "output.schema.json"), []byte(strings.ReplaceAll(smallOutputSchema, "total", "count")))
	code, _, stderr = runMain(t, "generate", "--dir", dir)
	if code != ExitFailure {
		t.Fatalf("generate after renaming total: exit %d\n%s", code, stderr)
	}
	wantContains(t, "stderr", stderr, "handler.go:7:16: unknown field Total in struct literal of type Output (type Output fields added: Count; fields removed: Total)")

	// Without an output schema, output.gen.go goes and Output is the
	// user's again.
	writeFile(t, manifest, []byte(strings.Replace(string(readFile(t, manifest)), "output:\n  schema: output.schema.json\n", "", 1)))
	writeFile(t, filepath.Join(dir, "handler.go"), []byte(`package main

import "context"

// Output is mine.
type Output struct{ Total int64 }

// Handle counts.
func Handle(ctx context.Context, in Input) (Output, error) {
	return Output{Total: in.N}, nil
}
`))
	code, stdout, stderr = runMain(t, "generate", "--dir", dir)
	if code != ExitOK {
		t.Fatalf("generate without output: exit %d\n%s", code, stderr)
	}
	wantContains(t, "stdout", stdout, "deleted  output.gen.go", "deleted  output.gen_test.go")
	if strings.Contains(string(readFile(t, filepath.Join(dir, "errors.gen.go"))), "invalidOutput") {
		t.Error("errors.gen.go still has invalidOutput without an output schema")
	}
}

// TestNewOutputSchemaFlags checks the refusals of --output-schema and its
// variable, each before anything is written.
func TestNewOutputSchemaFlags(t *testing.T) {
	root := inTempDir(t)
	writeFile(t, filepath.Join(root, "in.json"), []byte(smallSchema))
	writeFile(t, filepath.Join(root, "bad.json"), []byte(`{"type": "object", "properties": {"n": {"type": "integr"}}}`))
	for _, tt := range []struct {
		args []string
		env  string
		code int
		want string
	}{
		{[]string{"--output-schema", ""}, "", ExitUsage, "--output-schema is empty"},
		{[]string{"--output-schema", "-"}, "", ExitUsage, "--output-schema: the output schema is read from a file, not stdin"},
		{nil, "missing.json", ExitFailure, "cannot read the output schema: open missing.json: no such file or directory (--output-schema or DIREKTIV_FN_OUTPUT_SCHEMA names its JSON Schema file)"},
		{[]string{"--output-schema", "bad.json"}, "", ExitFailure, "the output schema bad.json cannot be used (1 problem):\nbad.json:1:49: /properties/n/type: unknown type \"integr\""},
		{[]string{"--output-schema", "in.json", "--schema", "in.json"}, "", ExitOK, ""},
	} {
		t.Setenv(envOutputSchema, tt.env)
		args := append([]string{"new", "fn", "--schema", "in.json", "--dir", "out", "--no-input"}, tt.args...)
		code, _, stderr := runMain(t, args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%q (%s=%q): exit %d, want %d and %q in:\n%s", tt.args, envOutputSchema, tt.env, code, tt.code, tt.want, stderr)
		}
		if _, err := os.Stat(filepath.Join(root, "out")); (err == nil) != (tt.code == ExitOK) {
			t.Errorf("%q: out exists: %v", tt.args, err == nil)
		}
		os.RemoveAll(filepath.Join(root, "out"))
	}
}

// outputHandler adapts a test handler that declares its own Output (and
// returns Output{Input: in}) to a project whose Output is generated from
// its output schema: the declaration goes, and the handler returns the
// output schema's sample instead.
func outputHandler(t *testing.T, want, handler string) string {
	t.Helper()
	p, err := loadProject(want)
	if err != nil {
		t.Fatal(err)
	}
	if p.manifest.OutputSchema == "" {
		return handler
	}
	data := readFile(t, filepath.Join(want, filepath.FromSlash(p.manifest.OutputSchema)))
	doc, err := schema.Parse(p.manifest.OutputSchema, data)
	if err != nil {
		t.Fatal(err)
	}
	sample, err := generator.SampleInputJSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	decl := regexp.MustCompile("(?s)\n// Output echoes the input.\ntype Output struct {.*?\n}\n")
	if !decl.MatchString(handler) || !strings.Contains(handler, "Output{Input: in}") {
		t.Fatalf("the test handler has no Output declaration or Output{Input: in} to replace:\n%s", handler)
	}
	handler = decl.ReplaceAllString(handler, fmt.Sprintf("\n// testOutput is a valid output.\nfunc testOutput() Output {\n\tout, err := DecodeOutput([]byte(%q))\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\treturn out\n}\n", sample))
	return strings.ReplaceAll(handler, "Output{Input: in}", "testOutput()")
}
