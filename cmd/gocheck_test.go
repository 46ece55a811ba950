package cmd

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// richerSchema has a nested object, an enum and a $defs, whose Go names a
// schema edit can change.
const richerSchema = `{
  "type": "object",
  "properties": {
    "address": {"type": "object", "properties": {"street": {"type": "string"}}},
    "style": {"type": "string", "enum": ["loud", "whisper"]},
    "other": {"$ref": "#/$defs/other"}
  },
  "$defs": {"other": {"type": "object", "properties": {"n": {"type": "integer"}}}}
}`

// newRicherProject creates the function "fn" from richerSchema in ./fn of a
// fresh working folder, and returns the folder's path.
func newRicherProject(t *testing.T) string {
	t.Helper()
	root := inTempDir(t)
	if err := os.WriteFile("in.json", []byte(richerSchema), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := (run{args: []string{"new", "fn", "--schema", "in.json", "--no-input"}}).exec(t); r.code != 0 {
		t.Fatalf("new: exit %d\n%s", r.code, r.stderr)
	}
	return filepath.Join(root, "fn")
}

// appendFile appends text to the file p.
func appendFile(t *testing.T, p, text string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(read(t, p)+text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// editFile replaces from with to in the file p, which must hold it.
func editFile(t *testing.T, p, from, to string) {
	t.Helper()
	b := read(t, p)
	if !strings.Contains(b, from) {
		t.Fatalf("%s lacks %q", p, from)
	}
	if err := os.WriteFile(p, []byte(strings.ReplaceAll(b, from, to)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestGenerateRefusesRemovedNamesInUse: a schema edit that renames a type
// (a title) and drops an enum constant the handler uses is refused, each
// use named, nothing written; --dry-run says so; --force writes, warns, and
// the summary says in Go words what changed.
func TestGenerateRefusesRemovedNamesInUse(t *testing.T) {
	dir := newRicherProject(t)
	handler := filepath.Join(dir, "handler.go")
	n := strings.Count(read(t, handler), "\n")
	appendFile(t, handler, "\nfunc use() {\n\tvar a InputAddress\n\t_ = a\n\t_ = InputStyleWhisper\n\t_ = in.InputStyleWhisper\n}\n")
	addressAt, whisperAt := fmt.Sprintf("fn/handler.go:%d:8", n+3), fmt.Sprintf("fn/handler.go:%d:6", n+5)
	schemaFile := filepath.Join(dir, "input.schema.json")
	editFile(t, schemaFile, `"properties": {"street"`, `"title": "Postal address", "properties": {"street"`)
	editFile(t, schemaFile, `"loud", "whisper"`, `"loud", "murmur"`)

	before := state(t, dir)
	r := run{args: []string{"generate", "--dir", "fn"}}.exec(t)
	if r.code != ExitFailure {
		t.Fatalf("exit %d, want %d\n%s", r.code, ExitFailure, r.stderr)
	}
	wantContains(t, "stderr", r.stderr,
		"Error: your Go code would no longer compile with the generated files:\n",
		"  "+addressAt+": InputAddress is no longer generated: it is now PostalAddress\n",
		"  "+whisperAt+": InputStyleWhisper is no longer generated\n",
		"or run it with --force to write anyway, and fix your code afterwards. Nothing was written.\n")
	if strings.Contains(r.stderr, fmt.Sprintf("fn/handler.go:%d:", n+6)) {
		t.Errorf("a selector counted as a use:\n%s", r.stderr)
	}
	sameState(t, before, state(t, dir))

	r = run{args: []string{"generate", "--dry-run", "--dir", "fn"}}.exec(t)
	if r.code != 0 {
		t.Fatalf("--dry-run: exit %d\n%s", r.code, r.stderr)
	}
	wantContains(t, "--dry-run", r.stdout,
		"Go type InputAddress is now PostalAddress\nGo constant InputStyleWhisper removed (input.gen.go)\nGo constant InputStyleMurmur added (input.gen.go)\n",
		"Note: "+whisperAt+": InputStyleWhisper is no longer generated (the command refuses to write this without --force)\n")
	sameState(t, before, state(t, dir))

	r = run{args: []string{"generate", "--force", "--dir", "fn"}}.exec(t)
	if r.code != 0 {
		t.Fatalf("--force: exit %d\n%s", r.code, r.stderr)
	}
	wantContains(t, "--force", r.stdout,
		"Go type InputAddress is now PostalAddress\n",
		"Warning: "+addressAt+": InputAddress is no longer generated: it is now PostalAddress (written anyway: --force)\n",
		"Warning: "+whisperAt+": InputStyleWhisper is no longer generated (written anyway: --force)\n")
	if !strings.Contains(read(t, filepath.Join(dir, "input.gen.go")), "type PostalAddress struct") {
		t.Error("input.gen.go was not regenerated")
	}
}

// TestGeneratedNamesCollide: a generated name that a file of the user's
// declares too is refused, with both places, by generate, add-error and
// new --force.
func TestGeneratedNamesCollide(t *testing.T) {
	dir := newRicherProject(t)
	handler := filepath.Join(dir, "handler.go")
	n := strings.Count(read(t, handler), "\n")
	appendFile(t, handler, "\ntype Result struct{}\n")
	if err := os.WriteFile(filepath.Join(dir, "mine.go"), []byte("package main\n\nvar ErrQuux = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A file kept out of the build declares nothing that collides.
	if err := os.WriteFile(filepath.Join(dir, "tool.go"), []byte("//go:build ignore\n\npackage main\n\ntype Other int\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	editFile(t, filepath.Join(dir, "input.schema.json"), "other", "result")
	before := state(t, dir)
	r := run{args: []string{"generate", "--dir", "fn"}}.exec(t)
	if r.code != ExitFailure {
		t.Fatalf("generate: exit %d, want %d\n%s", r.code, ExitFailure, r.stderr)
	}
	wantContains(t, "generate", r.stderr,
		fmt.Sprintf("  fn/handler.go:%d:6: type Result is declared", n+2)+" here and by the regenerated input.gen.go\n",
		"To proceed, rename your declarations")
	sameState(t, before, state(t, dir))

	r = run{args: []string{"add-error", "quux", "--dir", "fn"}}.exec(t)
	if r.code != ExitFailure {
		t.Fatalf("add-error: exit %d, want %d\n%s", r.code, ExitFailure, r.stderr)
	}
	wantContains(t, "add-error", r.stderr, "  fn/mine.go:3:5: var ErrQuux is declared here and by the regenerated errors.gen.go\n")
	sameState(t, before, state(t, dir))

	// new --force over the folder: handler.go is overwritten, mine.go stays.
	if err := os.WriteFile("in.json", []byte(strings.ReplaceAll(richerSchema, "other", "quux")), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "mine.go"), []byte("package main\n\ntype Quux int\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before = state(t, dir)
	r = run{args: []string{"new", "fn", "--schema", "in.json", "--no-input", "--force"}}.exec(t)
	if r.code != ExitFailure {
		t.Fatalf("new --force: exit %d, want %d\n%s", r.code, ExitFailure, r.stderr)
	}
	wantContains(t, "new --force", r.stderr, "  fn/mine.go:3:6: type Quux is declared here and by the generated input.gen.go\n", "Nothing was written.")
	if strings.Contains(r.stderr, "--force") || strings.Contains(r.stderr, "handler.go") {
		t.Errorf("new --force:\n%s", r.stderr)
	}
	sameState(t, before, state(t, dir))
}

// TestIDChangeRenamesCodes: a new id in the manifest renames every error
// code, which the summary says.
func TestIDChangeRenamesCodes(t *testing.T) {
	dir := newProject(t)
	editFile(t, filepath.Join(dir, "direktiv-fn.yaml"), "id: fn", "id: greeter")
	r := run{args: []string{"generate", "--dir", "fn"}}.exec(t)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	wantContains(t, "stdout", r.stdout,
		"error code fn.failed is now greeter.failed: update the workflows that catch it\n"+
			"error code fn.invalidInput is now greeter.invalidInput: update the workflows that catch it\n"+
			"error code fn.panic is now greeter.panic: update the workflows that catch it\n")
}

// TestManifestValueErrorsArePositioned: a bad value in the manifest, a
// missing schema and a YAML syntax error are reported at their place.
func TestManifestValueErrorsArePositioned(t *testing.T) {
	for _, tt := range []struct{ from, to, want string }{
		{"image: localhost:5000/fn:v1", `image: "UPPER/x::v1"`, `fn/direktiv-fn.yaml:8:8: invalid image "UPPER/x::v1"`},
		{"module: fn", `module: ""`, "fn/direktiv-fn.yaml:9:9: module is empty"},
		{"module: fn", "module: fmt", `fn/direktiv-fn.yaml:9:9: module path "fmt" collides with the standard library's "fmt"`},
		{"schema: input.schema.json", "schema: nope.json", "Error: fn/direktiv-fn.yaml:10:9: the input schema fn/nope.json does not exist: restore it, or name the function's input schema file under \"schema:\"\n"},
		{"id: fn", "id: [fn", "fn/direktiv-fn.yaml:6:1: did not find expected ',' or ']': the manifest is not valid YAML"},
		{"  errors: []", "  errors: [{name: boom}, 7]", "fn/direktiv-fn.yaml:%d:12: generated.errors: want an error code name, like badInput;"},
	} {
		t.Run(tt.to, func(t *testing.T) {
			dir := newProject(t)
			manifest := filepath.Join(dir, "direktiv-fn.yaml")
			want := tt.want
			if strings.Contains(want, "%d") {
				b := read(t, manifest)
				want = fmt.Sprintf(want, strings.Count(b[:strings.LastIndex(b, tt.from)], "\n")+1)
			}
			editFile(t, manifest, tt.from, tt.to)
			r := run{args: []string{"generate", "--dir", "fn"}}.exec(t)
			if r.code != ExitFailure {
				t.Fatalf("exit %d, want %d\n%s", r.code, ExitFailure, r.stderr)
			}
			wantContains(t, "stderr", r.stderr, want)
		})
	}
}

// TestManifestCommentEditKeepsStamp: a comment-only edit of the manifest
// leaves the project's own up-to-date test passing.
func TestManifestCommentEditKeepsStamp(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test in a generated project")
	}
	dir := newProject(t)
	editFile(t, filepath.Join(dir, "direktiv-fn.yaml"), "\nerrors:", "\n# Codes are listed here.\n  \nerrors:")
	c := exec.Command("go", "test", "-count=1", "-run", "TestGeneratedUpToDate", ".")
	c.Dir = dir
	c.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("go test after a comment edit: %v\n%s", err, out)
	}
	editFile(t, filepath.Join(dir, "direktiv-fn.yaml"), "errors: []", "errors: [{name: x}]")
	c = exec.Command("go", "test", "-count=1", "-run", "TestGeneratedUpToDate", ".")
	c.Dir = dir
	c.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := c.CombinedOutput(); err == nil || !strings.Contains(string(out), "direktiv-fn.yaml changed since the last generation") {
		t.Errorf("go test after an edit: %v\n%s", err, out)
	}
}
