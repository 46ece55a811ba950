package cmd

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
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

// breakSchema is the schema of the project the break cases edit: a
// required and optional fields, a default, an enum and a nested object.
const breakSchema = `{
  "type": "object",
  "required": ["name"],
  "properties": {
    "name": {"type": "string"},
    "greeting": {"type": "string", "description": "How to greet."},
    "nick": {"type": "string"},
    "unused": {"type": "string"},
    "times": {"type": "integer", "default": 1},
    "style": {"type": "string", "enum": ["loud", "whisper"]},
    "address": {"type": "object", "properties": {"street": {"type": "string"}}}
  }
}`

// breakUses is a file of the user's that uses the generated names.
const breakUses = `package main

func uses(in Input) {
	var greeting string
	if in.Greeting != nil {
		greeting = *in.Greeting
	}
	var name string = in.Name
	var times int64 = in.Times
	var a InputAddress
	_ = a
	_ = InputStyleWhisper
	_, _, _ = greeting, name, times
}
`

// newBreakProject creates the function "fn" from breakSchema in ./fn of a
// fresh working folder, with breakUses as uses.go and a use of the field
// Nick in handler_test.go, and returns the folder's path.
func newBreakProject(t *testing.T) string {
	t.Helper()
	root := inTempDir(t)
	if err := os.WriteFile("in.json", []byte(breakSchema), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := (run{args: []string{"new", "fn", "--schema", "in.json", "--no-input"}}).exec(t); r.code != 0 {
		t.Fatalf("new: exit %d\n%s", r.code, r.stderr)
	}
	dir := filepath.Join(root, "fn")
	if err := os.WriteFile(filepath.Join(dir, "uses.go"), []byte(breakUses), 0o644); err != nil {
		t.Fatal(err)
	}
	appendFile(t, filepath.Join(dir, "handler_test.go"), "\nfunc nick(in Input) *string { return in.Nick }\n")
	return dir
}

// TestBreakingEditsAreRefused: each schema or manifest edit that would
// leave the user's code not compiling is refused by the command, which
// names every broken place (file:line:col, the type checker's message, and
// what changed), exits 1 and leaves the tree byte-identical.
func TestBreakingEditsAreRefused(t *testing.T) {
	testLine := strings.Count(handlerTestSource(t), "\n") + 2
	for _, tt := range []struct {
		name  string
		files map[string]string // files of the user's added first
		edits [][2]string       // input.schema.json: replace [0] with [1]
		yaml  [][2]string       // direktiv-fn.yaml: replace [0] with [1]
		args  []string
		want  []string
	}{
		{
			name:  "field renamed",
			edits: [][2]string{{`"greeting"`, `"salutation"`}},
			want: []string{
				"fn/uses.go:5:8: in.Greeting undefined (type Input has no field or method Greeting) (input field /greeting removed)",
				"fn/uses.go:6:18: in.Greeting undefined (type Input has no field or method Greeting) (input field /greeting removed)",
			},
		},
		{
			name:  "required field removed",
			edits: [][2]string{{`"required": ["name"],`, ``}, {`"name": {"type": "string"},`, ``}},
			want:  []string{"fn/uses.go:8:23: in.Name undefined (type Input has no field or method Name) (input field /name removed)"},
		},
		{
			name:  "field retyped",
			edits: [][2]string{{`"times": {"type": "integer"`, `"times": {"type": "number"`}},
			want:  []string{"fn/uses.go:9:20: cannot use in.Times (variable of type float64) as int64 value in variable declaration (input field /times changed: Input.Times is now float64, was int64)"},
		},
		{
			name:  "optional made required",
			edits: [][2]string{{`"required": ["name"]`, `"required": ["name", "greeting"]`}},
			want: []string{
				"fn/uses.go:5:20: invalid operation: in.Greeting != nil (mismatched types string and untyped nil) (input field /greeting changed: Input.Greeting is now string, was *string)",
				"fn/uses.go:6:15: invalid operation: cannot indirect in.Greeting (variable of type string) (input field /greeting changed: Input.Greeting is now string, was *string)",
			},
		},
		{
			name:  "required made optional",
			edits: [][2]string{{`"required": ["name"]`, `"required": []`}},
			want:  []string{"fn/uses.go:8:20: cannot use in.Name (variable of type *string) as string value in variable declaration (input field /name changed: Input.Name is now *string, was string)"},
		},
		{
			name:  "enum value removed",
			edits: [][2]string{{`"loud", "whisper"`, `"loud", "murmur"`}},
			want:  []string{`fn/uses.go:12:6: undefined: InputStyleWhisper (enum value "whisper" of /style removed)`},
		},
		{
			name:  "nested type renamed through its title",
			edits: [][2]string{{`"address": {"type": "object"`, `"address": {"title": "Postal address", "type": "object"`}},
			want:  []string{"fn/uses.go:10:8: undefined: InputAddress (type InputAddress renamed to PostalAddress)"},
		},
		{
			name:  "use in a test file",
			edits: [][2]string{{`"nick": {"type": "string"},`, ``}},
			want:  []string{fmt.Sprintf("fn/handler_test.go:%d:41: in.Nick undefined (type Input has no field or method Nick) (input field /nick removed)", testLine)},
		},
		{
			name:  "use in an external test package",
			files: map[string]string{"x_test.go": "package main_test\n\nimport (\n\t\"testing\"\n\n\tfn \"fn\"\n)\n\nfunc TestX(*testing.T) { _ = fn.InputStyleWhisper }\n"},
			edits: [][2]string{{`"loud", "whisper"`, `"loud", "murmur"`}},
			want: []string{
				`fn/uses.go:12:6: undefined: InputStyleWhisper (enum value "whisper" of /style removed)`,
				`fn/x_test.go:9:33: undefined: fn.InputStyleWhisper (enum value "whisper" of /style removed)`,
			},
		},
		{
			name:  "generated type collides with a type of the user's",
			files: map[string]string{"mine.go": "package main\n\ntype Result struct{}\n"},
			edits: [][2]string{{`"unused": {"type": "string"},`, `"unused": {"$ref": "#/$defs/result"},`}, {`"required": ["name"],`, `"$defs": {"result": {"type": "object", "properties": {"n": {"type": "integer"}}}}, "required": ["name"],`}},
			want:  []string{"fn/mine.go:3:6: Result redeclared in this block (other declaration of Result at input.gen.go:"},
		},
		{
			name:  "generated field collides with a method of the user's",
			files: map[string]string{"mine.go": "package main\n\n// Extra is mine.\nfunc (in Input) Extra() string { return \"\" }\n"},
			edits: [][2]string{{`"nick":`, `"extra": {"type": "string"}, "nick":`}},
			want:  []string{"fn/mine.go:4:17: field and method with the same name Extra (other declaration of Extra at input.gen.go:"},
		},
		{
			name:  "error constant collides with a func of the user's",
			files: map[string]string{"mine.go": "package main\n\nfunc ErrQuux() {}\n"},
			args:  []string{"add-error", "quux"},
			want:  []string{"fn/mine.go:3:6: ErrQuux redeclared in this block (other declaration of ErrQuux at errors.gen.go:"},
		},
		{
			name:  "error constant collides with a var of the user's",
			files: map[string]string{"mine.go": "package main\n\nvar ErrQuux = 1\n"},
			args:  []string{"add-error", "quux"},
			want:  []string{"fn/mine.go:3:5: ErrQuux redeclared in this block (other declaration of ErrQuux at errors.gen.go:"},
		},
		{
			name:  "error code in use removed",
			files: map[string]string{"mine.go": "package main\n\nvar code = ErrTooBig\n"},
			yaml:  [][2]string{{"\nerrors: []", "\nerrors:\n  - name: tooBig"}},
			args:  []string{"remove-error", "tooBig"},
			want:  []string{"fn/mine.go:3:12: undefined: ErrTooBig (error code fn.tooBig removed)"},
		},
		{
			name:  "error code in use renamed in the manifest",
			files: map[string]string{"mine.go": "package main\n\nvar code = ErrTooBig\n"},
			yaml:  [][2]string{{"\nerrors: []", "\nerrors:\n  - name: tooBig"}},
			want:  []string{"fn/mine.go:3:12: undefined: ErrTooBig (error code fn.tooBig removed)"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := newBreakProject(t)
			for name, src := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if len(tt.yaml) > 0 {
				// The project is generated with the codes first; the
				// case's edit (below) then takes them away.
				for _, e := range tt.yaml {
					editFile(t, filepath.Join(dir, config.ManifestFile), e[0], e[1])
				}
				if r := (run{args: []string{"generate", "--dir", "fn"}}).exec(t); r.code != 0 {
					t.Fatalf("generate: exit %d\n%s", r.code, r.stderr)
				}
				if tt.args == nil {
					editFile(t, filepath.Join(dir, config.ManifestFile), "name: tooBig", "name: tooLarge")
				}
			}
			for _, e := range tt.edits {
				editFile(t, filepath.Join(dir, "input.schema.json"), e[0], e[1])
			}
			args := tt.args
			if args == nil {
				args = []string{"generate"}
			}
			before := state(t, dir)
			r := run{args: append(args, "--dir", "fn")}.exec(t)
			if r.code != ExitFailure {
				t.Fatalf("exit %d, want %d\n%s%s", r.code, ExitFailure, r.stdout, r.stderr)
			}
			var got []string
			for _, l := range strings.Split(r.stderr, "\n") {
				if strings.HasPrefix(l, "  fn/") {
					got = append(got, strings.TrimPrefix(l, "  "))
				}
			}
			ok := len(got) == len(tt.want)
			for i := 0; ok && i < len(got); i++ {
				ok = strings.HasPrefix(got[i], tt.want[i])
			}
			if !ok {
				t.Errorf("breaks:\n%s\nwant (prefixes):\n%s\nstderr:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"), r.stderr)
			}
			wantContains(t, "stderr", r.stderr, "Error: your Go code would no longer compile with the generated files:\n", "Nothing was written.\n")
			sameState(t, before, state(t, dir))
		})
	}
}

// handlerTestSource returns the handler_test.go that new writes.
func handlerTestSource(t *testing.T) string {
	t.Helper()
	dir := newBreakProject(t)
	b := read(t, filepath.Join(dir, "handler_test.go"))
	return b[:strings.LastIndex(b, "\nfunc nick")]
}

// TestRefusedBreakDryRunAndForce: --dry-run lists the breaks as notes and
// writes nothing; --force writes and prints them as warnings, and says in
// Go words what changed.
func TestRefusedBreakDryRunAndForce(t *testing.T) {
	dir := newBreakProject(t)
	editFile(t, filepath.Join(dir, "input.schema.json"), `"greeting"`, `"salutation"`)
	before := state(t, dir)
	r := run{args: []string{"generate", "--dry-run", "--dir", "fn"}}.exec(t)
	if r.code != 0 {
		t.Fatalf("--dry-run: exit %d\n%s", r.code, r.stderr)
	}
	wantContains(t, "--dry-run", r.stdout,
		"input field /salutation added (string)\ninput field /greeting removed (was string)\n",
		"Note: fn/uses.go:5:8: in.Greeting undefined (type Input has no field or method Greeting) (input field /greeting removed) (the command refuses to write this without --force)\n")
	sameState(t, before, state(t, dir))

	r = run{args: []string{"generate", "--force", "--dir", "fn"}}.exec(t)
	if r.code != 0 {
		t.Fatalf("--force: exit %d\n%s", r.code, r.stderr)
	}
	wantContains(t, "--force", r.stdout,
		"Warning: fn/uses.go:5:8: in.Greeting undefined (type Input has no field or method Greeting) (input field /greeting removed) (written anyway: --force)\n",
		"Warning: fn/uses.go:6:18: in.Greeting undefined")
	if !strings.Contains(read(t, filepath.Join(dir, "input.gen.go")), "Salutation *string") {
		t.Error("input.gen.go was not regenerated")
	}
}

// TestHarmlessEditsWriteAndBuild: an optional property added, a
// description changed and an unused property removed are written, and the
// project then builds and vets (its tests included).
func TestHarmlessEditsWriteAndBuild(t *testing.T) {
	for _, tt := range []struct {
		name  string
		edits [][2]string
	}{
		{"optional property added", [][2]string{{`"nick":`, `"mood": {"type": "string"}, "nick":`}}},
		{"description changed", [][2]string{{"How to greet.", "The word to greet with."}}},
		{"unused property removed", [][2]string{{`"unused": {"type": "string"},`, ``}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := newBreakProject(t)
			for _, e := range tt.edits {
				editFile(t, filepath.Join(dir, "input.schema.json"), e[0], e[1])
			}
			r := run{args: []string{"generate", "--dir", "fn"}}.exec(t)
			if r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stdout, "Regenerated fn") || strings.Contains(r.stdout, "Warning") {
				t.Errorf("stdout:\n%s", r.stdout)
			}
			c := exec.Command("go", "vet", ".")
			c.Dir = dir
			c.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
			if out, err := c.CombinedOutput(); err != nil {
				t.Errorf("go vet: %v\n%s", err, out)
			}
		})
	}
}

// TestBrokenAlreadyIsNoBreak: an error the user's code has before the
// generation is not the generation's doing: a breaking edit names only its
// own break, and an edit that breaks nothing writes.
func TestBrokenAlreadyIsNoBreak(t *testing.T) {
	dir := newBreakProject(t)
	if err := os.WriteFile(filepath.Join(dir, "wip.go"), []byte("package main\n\nvar wip = notYetWritten\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	editFile(t, filepath.Join(dir, "input.schema.json"), `"loud", "whisper"`, `"loud", "murmur"`)
	r := run{args: []string{"generate", "--dir", "fn"}}.exec(t)
	if r.code != ExitFailure || strings.Contains(r.stderr, "wip.go") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	wantContains(t, "stderr", r.stderr, "  fn/uses.go:12:6: undefined: InputStyleWhisper (enum value \"whisper\" of /style removed)\n")
	editFile(t, filepath.Join(dir, "input.schema.json"), `"loud", "murmur"`, `"loud", "whisper"`)
	editFile(t, filepath.Join(dir, "input.schema.json"), `"unused": {"type": "string"},`, ``)
	if r := (run{args: []string{"generate", "--dir", "fn"}}).exec(t); r.code != 0 {
		t.Fatalf("an edit that breaks nothing: exit %d\n%s", r.code, r.stderr)
	}
}

// TestBreaksWithoutTheGoCommand: without the go command the imports
// cannot be loaded; a note says so, and the generated names are checked
// all the same.
func TestBreaksWithoutTheGoCommand(t *testing.T) {
	dir := newBreakProject(t)
	t.Setenv("PATH", t.TempDir())
	editFile(t, filepath.Join(dir, "input.schema.json"), `"loud", "whisper"`, `"loud", "murmur"`)
	r := run{args: []string{"generate", "--dir", "fn"}}.exec(t)
	if r.code != ExitFailure {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	wantContains(t, "stderr", r.stderr,
		"  fn/uses.go:12:6: undefined: InputStyleWhisper (enum value \"whisper\" of /style removed)\n",
		"(some imports could not be loaded, so code that uses them was not checked: go list: exec: \"go\": executable file not found in $PATH)\n")
}

// TestGeneratedNamesCollideNewForce: new --force over a function refuses a
// generated name that a file of the user's it keeps declares too.
func TestGeneratedNamesCollideNewForce(t *testing.T) {
	dir := newRicherProject(t)
	if err := os.WriteFile("in.json", []byte(strings.ReplaceAll(richerSchema, "other", "quux")), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "mine.go"), []byte("package main\n\ntype Quux int\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A file kept out of the build declares nothing that collides.
	if err := os.WriteFile(filepath.Join(dir, "tool.go"), []byte("//go:build ignore\n\npackage main\n\ntype Quux string\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := state(t, dir)
	r := run{args: []string{"new", "fn", "--schema", "in.json", "--no-input", "--force"}}.exec(t)
	if r.code != ExitFailure {
		t.Fatalf("new --force: exit %d, want %d\n%s", r.code, ExitFailure, r.stderr)
	}
	wantContains(t, "new --force", r.stderr, "  fn/mine.go:3:6: Quux redeclared in this block (other declaration of Quux at input.gen.go:", "Nothing was written.")
	if strings.Contains(r.stderr, "--force") || strings.Contains(r.stderr, "tool.go") {
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
