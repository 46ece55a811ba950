package cmd

import (
	"context"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// newProject creates the function "fn" from smallSchema in ./fn of a fresh
// working folder and returns the folder's path.
func newProject(t *testing.T) string {
	t.Helper()
	root := inTempDir(t)
	if err := os.WriteFile("in.json", []byte(smallSchema), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run{args: []string{"new", "fn", "--schema", "in.json", "--no-input"}}.exec(t)
	if r.code != 0 {
		t.Fatalf("new: exit %d\n%s", r.code, r.stderr)
	}
	return filepath.Join(root, "fn")
}

// fileState is a file's content, permissions and modification time.
type fileState struct {
	content string
	mode    fs.FileMode
	mtime   time.Time
}

// state returns the state of every file and folder under root.
func state(t *testing.T, root string) map[string]fileState {
	t.Helper()
	out := map[string]fileState{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		s := fileState{mode: info.Mode(), mtime: info.ModTime()}
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			s.content = string(b)
		}
		out[filepath.ToSlash(rel)] = s
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameState reports every difference between two states.
func sameState(t *testing.T, before, after map[string]fileState) {
	t.Helper()
	for p, b := range before {
		a, ok := after[p]
		switch {
		case !ok:
			t.Errorf("%s was removed", p)
		case a.content != b.content:
			t.Errorf("%s changed:\n%s", p, oneLine(a.content))
		case a.mode != b.mode:
			t.Errorf("%s: mode %v, was %v", p, a.mode, b.mode)
		case !a.mtime.Equal(b.mtime) && !b.mode.IsDir():
			t.Errorf("%s was rewritten (modification time changed)", p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s was created", p)
		}
	}
}

// TestGenerateTwiceWritesNothing: right after "new", and after a
// generation, "generate" writes nothing, not even modification times.
func TestGenerateTwiceWritesNothing(t *testing.T) {
	dir := newProject(t)
	before := state(t, dir)
	time.Sleep(10 * time.Millisecond)
	r := run{args: []string{"generate", "--dir", "fn"}}.exec(t)
	if r.code != 0 || r.stdout != "fn is up to date (function \"fn\", knative-workflow): nothing was written.\n" {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	sameState(t, before, state(t, dir))

	r = run{args: []string{"generate", "--check", "--dir", "fn"}}.exec(t)
	if r.code != 0 || r.stdout != "fn is up to date.\n" {
		t.Errorf("--check: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run{args: []string{"generate", "--dry-run", "--dir", "fn"}}.exec(t)
	if r.code != 0 || strings.Contains(r.stdout, "update") || !strings.Contains(r.stdout, "unchanged  errors.gen.go\n") {
		t.Errorf("--dry-run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run{args: []string{"generate", "--diff", "--dir", "fn"}}.exec(t)
	if r.code != 0 || r.stdout != "" {
		t.Errorf("--diff: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	sameState(t, before, state(t, dir))
}

// TestGenerateFindsTheProject: without --dir, generate looks in the current
// folder and its parents; elsewhere it says what to do.
func TestGenerateFindsTheProject(t *testing.T) {
	dir := newProject(t)
	sub := filepath.Join(dir, "docs", "deep")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(sub)
	r := run{args: []string{"errors"}}.exec(t)
	if r.code != 0 || !strings.Contains(r.stdout, "fn.invalidInput") {
		t.Errorf("errors from a subfolder: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run{args: []string{"generate"}}.exec(t)
	if r.code != 0 || !strings.HasPrefix(r.stdout, filepath.Join("..", "..")+" is up to date") {
		t.Errorf("generate from a subfolder: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	t.Chdir(t.TempDir())
	r = run{args: []string{"generate"}}.exec(t)
	wantContains(t, "stderr", r.stderr, "no direktiv-fn.yaml in the current folder or its parents")
	if r.code != ExitFailure {
		t.Errorf("exit %d, want %d", r.code, ExitFailure)
	}
}

// TestRegenerateRefusalsChangeNothing: every refusal names the problem and
// leaves the project exactly as it was (content, mode and modification
// time of every file).
func TestRegenerateRefusalsChangeNothing(t *testing.T) {
	edit := func(name, from, to string) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			p := filepath.Join(dir, name)
			b := read(t, p)
			if !strings.Contains(b, from) {
				t.Fatalf("%s lacks %q", name, from)
			}
			if err := os.WriteFile(p, []byte(strings.Replace(b, from, to, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	schemaEdit := edit("input.schema.json", `"minimum": 3`, `"minimum": 4`)
	for _, tt := range []struct {
		name  string
		setup []func(t *testing.T, dir string)
		args  []string
		code  int
		want  []string
	}{
		{
			name:  "hand-edited generated file",
			setup: []func(*testing.T, string){edit("errors.gen.go", "type ErrorCode = fn.ErrorCode", "type ErrorCode = fn.ErrorCode // mine"), schemaEdit},
			args:  []string{"generate"},
			code:  ExitFailure,
			want: []string{
				"Error: generated file errors.gen.go was edited by hand since the last generation: refusing to overwrite.\n",
				"--- errors.gen.go (on disk)\n+++ errors.gen.go (generated)\n",
				"-type ErrorCode = fn.ErrorCode // mine\n+type ErrorCode = fn.ErrorCode\n",
				"run the command again with --force. Nothing was written.\n",
			},
		},
		{
			name:  "hand-edited generated file, add-error",
			setup: []func(*testing.T, string){edit("workflow.yaml", "states:", "# mine\nstates:")},
			args:  []string{"add-error", "tooBig"},
			code:  ExitFailure,
			want:  []string{"generated file workflow.yaml was edited by hand", "-# mine\n"},
		},
		{
			name:  "read-only generated file",
			setup: []func(*testing.T, string){schemaEdit, func(t *testing.T, dir string) { os.Chmod(filepath.Join(dir, "workflow.yaml"), 0o444) }},
			args:  []string{"generate"},
			code:  ExitFailure,
			want:  []string{"Error: cannot write fn/workflow.yaml: it is read-only (chmod u+w fn/workflow.yaml to let direktiv-fn rewrite it)\n"},
		},
		{
			name:  "bad schema",
			setup: []func(*testing.T, string){edit("input.schema.json", `"integer"`, `"integr"`)},
			args:  []string{"generate"},
			code:  ExitFailure,
			want:  []string{"Error: the schema fn/input.schema.json cannot be used (1 problem):\nfn/input.schema.json:1:"},
		},
		{
			name:  "duplicate code",
			setup: []func(*testing.T, string){edit("direktiv-fn.yaml", "errors: []", "errors:\n  - name: tooBig")},
			args:  []string{"add-error", "tooBig"},
			code:  ExitFailure,
			want:  []string{`Error: error code "tooBig" already exists (fn/direktiv-fn.yaml:`},
		},
		{
			name: "built-in code",
			args: []string{"add-error", "panic"},
			code: ExitFailure,
			want: []string{`Error: error code "panic" is built in: choose another name; nothing was written`},
		},
		{
			name: "bad code",
			args: []string{"add-error", "2fa"},
			code: ExitUsage,
			want: []string{`Error: invalid error code "2fa"`},
		},
		{
			name: "unknown code",
			args: []string{"remove-error", "nope"},
			code: ExitFailure,
			want: []string{`Error: no error code "nope" in fn/direktiv-fn.yaml (it has none); nothing was written`},
		},
		{
			name:  "newer manifest",
			setup: []func(*testing.T, string){edit("direktiv-fn.yaml", "version: 2", "version: 7")},
			args:  []string{"generate"},
			code:  ExitFailure,
			want:  []string{"fn/direktiv-fn.yaml:4:10: the manifest is version 7, written by a newer direktiv-fn (direktiv-fn test); this one reads versions 1 to 2"},
		},
		{
			name:  "broken manifest",
			setup: []func(*testing.T, string){edit("direktiv-fn.yaml", "mode: knative-workflow", "mode: lambda\ncolour: blue")},
			args:  []string{"generate"},
			code:  ExitFailure,
			want:  []string{"Error: the manifest cannot be used:\nfn/direktiv-fn.yaml:7:7: invalid mode \"lambda\"", "fn/direktiv-fn.yaml:8:1: unknown key \"colour\""},
		},
		{
			name:  "stale, --check",
			setup: []func(*testing.T, string){schemaEdit},
			args:  []string{"generate", "--check"},
			code:  ExitFailure,
			want:  []string{"Error: fn is out of date: 6 files would change (README.md, direktiv-fn.yaml, generate.gen_test.go, input.gen.go, input.gen_test.go, workflow.yaml): run \"direktiv-fn generate\"\n"},
		},
		{
			name:  "hand-edited generated file, --check",
			setup: []func(*testing.T, string){edit("errors.gen.go", "type ErrorCode = fn.ErrorCode", "type ErrorCode = fn.ErrorCode // mine"), schemaEdit},
			args:  []string{"generate", "--check"},
			code:  ExitFailure,
			want: []string{"Error: fn is out of date: 6 files would change (README.md, direktiv-fn.yaml, generate.gen_test.go, input.gen.go, input.gen_test.go, workflow.yaml); " +
				"1 generated file (errors.gen.go) was edited by hand since the last generation: generate would refuse to overwrite the hand edits: " +
				"move them into a file of yours (or into the schema or direktiv-fn.yaml), or drop them with \"direktiv-fn generate --force\"\n"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := newProject(t)
			for _, s := range tt.setup {
				s(t, dir)
			}
			before := state(t, dir)
			r := run{args: append(tt.args, "--dir", "fn")}.exec(t)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d\n%s", r.code, tt.code, r.stderr)
			}
			wantContains(t, "stderr", r.stderr, tt.want...)
			sameState(t, before, state(t, dir))
		})
	}
}

// TestGenerateMigratesVersion1 turns a project's manifest back into version
// 1 (and removes the files version 1 did not generate): generate migrates
// it, keeping the user's comment, and a second run writes nothing.
func TestGenerateMigratesVersion1(t *testing.T) {
	dir := newProject(t)
	if r := (run{args: []string{"add-error", "tooBig", "--dir", "fn"}}).exec(t); r.code != 0 {
		t.Fatal(r.stderr)
	}
	manifest := filepath.Join(dir, "direktiv-fn.yaml")
	v2 := read(t, manifest)
	v1 := v2
	v1 = regexp.MustCompile(`(?m)^# yaml-language-server.*\n`).ReplaceAllString(v1, "")
	v1 = strings.Replace(v1, "version: 2", "version: 1 # keep me", 1)
	v1 = strings.Replace(v1, "  - name: tooBig", "  - code: tooBig", 1)
	v1 = v1[:strings.Index(v1, "  input:\n")]
	v1 = regexp.MustCompile(`(?m)^# What the last generation.*\n`).ReplaceAllString(v1, "")
	v1 = strings.Replace(v1, "generated:\n  files:\n", "generated:\n", 1)
	v1 = regexp.MustCompile(`(?m)^    `).ReplaceAllString(v1, "  ")
	v1 = regexp.MustCompile(`(?m)^  generate\.gen.*\n`).ReplaceAllString(v1, "")
	for _, f := range []string{"generate.gen.go", "generate.gen_test.go"} {
		if err := os.Remove(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(manifest, []byte(v1), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run{args: []string{"generate", "--dir", "fn"}}.exec(t)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	wantContains(t, "stdout", r.stdout,
		"direktiv-fn.yaml: migrated from version 1 to 2.\n",
		"The manifest has no record of the last generation's input",
		"  created  generate.gen.go\n", "  updated  direktiv-fn.yaml\n")
	got := read(t, manifest)
	wantContains(t, "the migrated manifest", got, "version: 2 # keep me\n", "  - name: tooBig\n", "# yaml-language-server: $schema=")
	before := state(t, dir)
	r = run{args: []string{"generate", "--dir", "fn"}}.exec(t)
	if r.code != 0 || !strings.Contains(r.stdout, "nothing was written") {
		t.Errorf("second run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	sameState(t, before, state(t, dir))
}

// TestGoGenerate: the generated repository regenerates with "go generate"
// and its own tests catch a schema edit that was not regenerated.
func TestGoGenerate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds direktiv-fn and runs go test in a generated project")
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "direktiv-fn"), "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := newProject(t)
	goCmd := func(args ...string) (string, error) {
		c := exec.Command("go", args...)
		c.Dir = dir
		c.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "GOFLAGS=-mod=mod", "GOWORK=off")
		out, err := c.CombinedOutput()
		return string(out), err
	}
	p := filepath.Join(dir, "input.schema.json")
	if err := os.WriteFile(p, []byte(strings.Replace(smallSchema, `"minimum": 3`, `"minimum": 2`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := goCmd("test", "-count=1", "-run", "TestGeneratedUpToDate", ".")
	if err == nil || !strings.Contains(out, `input.schema.json changed since the last generation: run "direktiv-fn generate"`) {
		t.Errorf("go test after a schema edit: %v\n%s", err, out)
	}
	if out, err := goCmd("generate", "./..."); err != nil {
		t.Fatalf("go generate: %v\n%s", err, out)
	}
	if !strings.Contains(read(t, filepath.Join(dir, "input.gen.go")), ">= 2") {
		t.Error("go generate did not regenerate input.gen.go")
	}
	if out, err := goCmd("test", "-count=1", "./..."); err != nil {
		t.Errorf("go test after go generate: %v\n%s", err, out)
	}
}

// BenchmarkGenerateUnchanged times "direktiv-fn generate" on an up-to-date
// project of the rich golden schema, in-process: read, parse, render,
// compare, write nothing.
func BenchmarkGenerateUnchanged(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "p")
	if code := Main(context.Background(), richArgs(b, dir), strings.NewReader(""), io.Discard, io.Discard); code != 0 {
		b.Fatalf("new: exit %d", code)
	}
	for b.Loop() {
		if code := Main(context.Background(), []string{"generate", "--dir", dir}, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}

// TestRemoveErrorStillUsed refuses to remove a code the handler uses, names
// each use, writes nothing, and removes it with --force.
func TestRemoveErrorStillUsed(t *testing.T) {
	dir := inTempDir(t)
	if res := (run{args: []string{"new", "fn", "--no-input"}}).exec(t); res.code != 0 {
		t.Fatalf("new: %s", res.stderr)
	}
	if res := (run{args: []string{"add-error", "tooBig", "--dir", "fn"}}).exec(t); res.code != 0 {
		t.Fatalf("add-error: %s", res.stderr)
	}
	handler := filepath.Join(dir, "fn", "handler.go")
	src := strings.Replace(read(t, handler), "\n\treturn Output{", "\n\t_ = ErrTooBig\n\treturn Output{", 1)
	if err := os.WriteFile(handler, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	before := tree(t, dir)
	res := run{args: []string{"remove-error", "tooBig", "--dir", "fn"}}.exec(t)
	if res.code != ExitFailure {
		t.Fatalf("exit %d, want %d: %s", res.code, ExitFailure, res.stderr)
	}
	wantContains(t, "stderr", res.stderr, "Error: your Go code would no longer compile with the generated files:\n  fn/handler.go:",
		": undefined: ErrTooBig (error code fn.tooBig removed)\n", "or run it with --force to write anyway, and fix your code afterwards. Nothing was written.")
	if after := tree(t, dir); !reflect.DeepEqual(before, after) {
		t.Error("the refused remove-error changed files")
	}
	res = run{args: []string{"remove-error", "tooBig", "--dir", "fn", "--force"}}.exec(t)
	if res.code != 0 {
		t.Fatalf("remove-error --force: exit %d: %s", res.code, res.stderr)
	}
	wantContains(t, "stdout", res.stdout, "Go constant ErrTooBig removed (errors.gen.go)\n", "Warning: fn/handler.go:", ": undefined: ErrTooBig (error code fn.tooBig removed) (written anyway: --force)\n")
	if strings.Contains(read(t, filepath.Join(dir, "fn", "errors.gen.go")), "ErrTooBig") {
		t.Error("ErrTooBig is still generated")
	}
}

// TestErrorCodesWithTheIDPrefix: add-error refuses a name that repeats the
// function id (the code would read fn.fn.x), remove-error takes the full code.
func TestErrorCodesWithTheIDPrefix(t *testing.T) {
	dir := inTempDir(t)
	if res := (run{args: []string{"new", "fn", "--no-input"}}).exec(t); res.code != 0 {
		t.Fatalf("new: %s", res.stderr)
	}
	before := tree(t, dir)
	res := run{args: []string{"add-error", "fn.tooBig", "--dir", "fn"}}.exec(t)
	if res.code != ExitUsage {
		t.Fatalf("exit %d, want %d: %s", res.code, ExitUsage, res.stderr)
	}
	wantContains(t, "stderr", res.stderr, `error code "fn.tooBig" starts with the function id`, "direktiv-fn add-error tooBig")
	if after := tree(t, dir); !reflect.DeepEqual(before, after) {
		t.Error("the refused add-error changed files")
	}
	if res := (run{args: []string{"add-error", "tooBig", "--dir", "fn"}}).exec(t); res.code != 0 {
		t.Fatalf("add-error: %s", res.stderr)
	}
	if res := (run{args: []string{"remove-error", "fn.tooBig", "--dir", "fn"}}).exec(t); res.code != 0 {
		t.Fatalf("remove-error fn.tooBig: exit %d: %s", res.code, res.stderr)
	}
	if strings.Contains(read(t, filepath.Join(dir, "fn", "errors.gen.go")), "ErrTooBig") {
		t.Error("ErrTooBig is still generated")
	}
}

// TestInvokeFileNames refuses an action file name that would leave the
// call's temp dir.
func TestInvokeFileNames(t *testing.T) {
	for _, spec := range []string{"../x=a", "a/b=a", `a\b=a`, "..=a", "=a", "x="} {
		if _, err := readFileFlags([]string{spec}); err == nil {
			t.Errorf("readFileFlags(%q) accepted it", spec)
		}
	}
}

// TestGenerateSchemaSymlink reads a schema that is a symbolic link (shared
// with another repository) through the link, and never replaces the link.
func TestGenerateSchemaSymlink(t *testing.T) {
	dir := inTempDir(t)
	if res := (run{args: []string{"new", "fn", "--no-input"}}).exec(t); res.code != 0 {
		t.Fatalf("new: %s", res.stderr)
	}
	schemaPath := filepath.Join(dir, "fn", "input.schema.json")
	shared := filepath.Join(dir, "shared.schema.json")
	edited := strings.Replace(read(t, schemaPath), `"required": ["name"]`, `"required": ["name", "times"]`, 1)
	if err := os.WriteFile(shared, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(schemaPath); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(shared, schemaPath); err != nil {
		t.Fatal(err)
	}
	res := run{args: []string{"generate", "--dir", "fn"}}.exec(t)
	if res.code != 0 {
		t.Fatalf("generate: exit %d: %s", res.code, res.stderr)
	}
	if strings.Contains(res.stdout, "skipped") {
		t.Errorf("the linked schema is reported as missing:\n%s", res.stdout)
	}
	if info, err := os.Lstat(schemaPath); err != nil || info.Mode().Type() != fs.ModeSymlink {
		t.Errorf("the link was replaced: %v", err)
	}
	wantContains(t, "manifest", read(t, filepath.Join(dir, "fn", "direktiv-fn.yaml")), "/times: integer, required")
	if res := (run{args: []string{"generate", "--check", "--dir", "fn"}}).exec(t); res.code != 0 {
		t.Errorf("generate --check after generate: exit %d: %s%s", res.code, res.stdout, res.stderr)
	}
}

// TestErrorDryRunIsConditional: add-error --dry-run and remove-error
// --dry-run say what they would do, end with "Nothing was written." and
// write nothing.
func TestErrorDryRunIsConditional(t *testing.T) {
	dir := newProject(t)
	before := state(t, dir)
	r := run{args: []string{"add-error", "tooBig", "--dry-run", "--dir", "fn"}}.exec(t)
	if r.code != 0 {
		t.Fatalf("add-error --dry-run: exit %d\n%s", r.code, r.stderr)
	}
	wantContains(t, "add-error --dry-run", r.stdout, "error code fn.tooBig would be added\nGo constant ErrTooBig would be added (errors.gen.go)\n", "update     errors.gen.go\n")
	if !strings.HasSuffix(r.stdout, "\nNothing was written.\n") || strings.Contains(r.stdout, "tooBig added") {
		t.Errorf("add-error --dry-run:\n%s", r.stdout)
	}
	sameState(t, before, state(t, dir))

	if r := (run{args: []string{"add-error", "tooBig", "--dir", "fn"}}).exec(t); r.code != 0 {
		t.Fatal(r.stderr)
	}
	before = state(t, dir)
	r = run{args: []string{"remove-error", "tooBig", "--dry-run", "--dir", "fn"}}.exec(t)
	if r.code != 0 {
		t.Fatalf("remove-error --dry-run: exit %d\n%s", r.code, r.stderr)
	}
	wantContains(t, "remove-error --dry-run", r.stdout, "error code fn.tooBig would be removed\nGo constant ErrTooBig would be removed (errors.gen.go)\n")
	if !strings.HasSuffix(r.stdout, "\nNothing was written.\n") || strings.Contains(r.stdout, "tooBig removed") {
		t.Errorf("remove-error --dry-run:\n%s", r.stdout)
	}
	sameState(t, before, state(t, dir))
}
