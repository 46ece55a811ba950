package cmd

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/AlecAivazis/survey/v2/terminal"

	"github.com/direktiv-fn/direktiv-fn/templates"
)

// run describes one run of the CLI in a test.
type run struct {
	args     []string
	env      map[string]string
	terminal bool
	prompter Prompter
	stdin    string
}

// result is what a run printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

// exec runs r in the current folder with nothing from the real environment.
func (r run) exec(t *testing.T) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	a := &app{
		stdin:  strings.NewReader(r.stdin),
		stdout: &stdout,
		stderr: &stderr,
		lookupEnv: func(k string) (string, bool) {
			v, ok := r.env[k]
			return v, ok
		},
		terminal: func() bool { return r.terminal },
		prompter: r.prompter,
		version:  "test",
	}
	code := a.main(context.Background(), r.args)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// inTempDir makes a temporary folder the working folder and returns it.
func inTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	return dir
}

// tree returns every file and folder under root with its content.
func tree(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			out[filepath.ToSlash(rel)+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func wantContains(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s does not contain %q:\n%s", what, w, got)
		}
	}
}

const badSchema = `{
  "type": "object",
  "properties": {
    "a": {"type": "strin"}
  }
}
`

const smallSchema = `{"type": "object", "required": ["n"], "properties": {"n": {"type": "integer", "minimum": 3}}}`

func TestNewNoInputDefaults(t *testing.T) {
	inTempDir(t)
	res := run{args: []string{"new", "hello", "--no-input"}, terminal: true}.exec(t)
	if res.code != ExitOK {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	if res.stderr != "" {
		t.Errorf("stderr = %q, want nothing", res.stderr)
	}
	wantContains(t, "stdout", res.stdout,
		`Created ./hello: function "hello" (knative-workflow), `,
		"\n  handler.go\n", "\n  input.schema.json\n", "\n  direktiv-fn.yaml\n",
		"Next steps:\n  cd ./hello\n  go test ./...\n  direktiv-fn invoke    # one call with a sample input, the way Direktiv makes it\n  docker build -t localhost:5000/hello:v1 .\n",
		`-d '{"name":"World"}'`,
	)
	if strings.Contains(res.stdout, "without questions") {
		t.Error("a non-interactive run printed the equivalent command")
	}
	if got := read(t, "hello/input.schema.json"); got != string(templates.StarterSchema) {
		t.Errorf("input.schema.json is not the starter schema:\n%s", got)
	}
	wantContains(t, "manifest", read(t, "hello/direktiv-fn.yaml"),
		"id: hello\n", "mode: knative-workflow\n", "image: localhost:5000/hello:v1\n", "module: hello\n", "generator: direktiv-fn test\n")
}

func TestNewAllFlags(t *testing.T) {
	dir := inTempDir(t)
	if err := os.WriteFile("my.schema.json", []byte(smallSchema), 0o644); err != nil {
		t.Fatal(err)
	}
	res := run{args: []string{"new", "myfunc", "--mode", "isolated", "--schema", "my.schema.json",
		"--image", "registry.example.com/myfunc", "--module", "example.com/myfunc", "--dir", "out/fn", "--no-input"}}.exec(t)
	if res.code != ExitOK {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	wantContains(t, "stdout", res.stdout, `Created out/fn: function "myfunc" (isolated)`, "cd out/fn\n", "docker push registry.example.com/myfunc\n")
	wantContains(t, "stdout", res.stdout, "  echo '{\"n\":3}' > data/input.json\n  docker run --rm --user \"$(id -u):$(id -g)\" -v \"$PWD/data:/direktiv-data\" registry.example.com/myfunc\n")
	// The next steps' data/ is kept out of git and of the image, as is
	// the binary "go build" leaves.
	wantContains(t, ".gitignore", read(t, "out/fn/.gitignore"), "\n/data/\n", "\n/myfunc\n")
	wantContains(t, ".dockerignore", read(t, "out/fn/.dockerignore"), "\n/data/\n", "\n/myfunc\n")
	if strings.Contains(res.stdout, "curl") {
		t.Error("isolated mode printed a curl line")
	}
	if got := read(t, filepath.Join(dir, "out/fn/input.schema.json")); got != smallSchema {
		t.Errorf("input.schema.json = %q, want the given schema verbatim", got)
	}
	wantContains(t, "manifest", read(t, "out/fn/direktiv-fn.yaml"),
		"id: myfunc\n", "mode: isolated\n", "image: registry.example.com/myfunc\n", "module: example.com/myfunc\n")
}

func TestNewSchemaFromStdin(t *testing.T) {
	inTempDir(t)
	res := run{args: []string{"new", "fn", "--schema", "-", "--no-input"}, stdin: smallSchema}.exec(t)
	if res.code != ExitOK {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	if got := read(t, "fn/input.schema.json"); got != smallSchema {
		t.Errorf("input.schema.json = %q", got)
	}
	wantContains(t, "stdout", res.stdout, `-d '{"n":3}'`)

	res = run{args: []string{"new", "fn2", "--schema", "-"}, stdin: badSchema}.exec(t)
	if res.code != ExitFailure {
		t.Fatalf("exit %d, want %d", res.code, ExitFailure)
	}
	wantContains(t, "stderr", res.stderr, "Error: the schema <stdin> cannot be used (1 problem):\n<stdin>:4:19: /properties/a/type: ")
}

func TestEnvironment(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		manifest []string
		dir      string
	}{
		{
			name:     "env gives every value",
			args:     []string{"new", "fn"},
			env:      map[string]string{envMode: "isolated", envImage: "env/img:1", envModule: "env.example/fn", envDir: "envdir", envNoInput: "true"},
			manifest: []string{"mode: isolated\n", "image: env/img:1\n", "module: env.example/fn\n"},
			dir:      "envdir",
		},
		{
			name:     "flags beat env",
			args:     []string{"new", "fn", "--mode", "knative-workflow", "--image", "flag/img:2", "--module", "flag.example/fn", "--dir", "flagdir"},
			env:      map[string]string{envMode: "isolated", envImage: "env/img:1", envModule: "env.example/fn", envDir: "envdir", envNoInput: "1"},
			manifest: []string{"mode: knative-workflow\n", "image: flag/img:2\n", "module: flag.example/fn\n"},
			dir:      "flagdir",
		},
		{
			name:     "empty env values are unset",
			args:     []string{"new", "fn", "--no-input"},
			env:      map[string]string{envMode: "", envImage: "", envDir: "", envSchema: ""},
			manifest: []string{"mode: knative-workflow\n", "image: localhost:5000/fn:v1\n", "module: fn\n"},
			dir:      "fn",
		},
		{
			name:     "schema from env",
			args:     []string{"new", "fn", "--no-input"},
			env:      map[string]string{envSchema: "s.json"},
			manifest: []string{"module: fn\n"},
			dir:      "fn",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inTempDir(t)
			if err := os.WriteFile("s.json", []byte(smallSchema), 0o644); err != nil {
				t.Fatal(err)
			}
			// A terminal, but DIREKTIV_FN_NO_INPUT or --no-input: never ask.
			res := run{args: tt.args, env: tt.env, terminal: true, prompter: &fakePrompter{t: t, failOnAsk: true}}.exec(t)
			if res.code != ExitOK {
				t.Fatalf("exit %d\n%s", res.code, res.stderr)
			}
			wantContains(t, "manifest", read(t, filepath.Join(tt.dir, "direktiv-fn.yaml")), tt.manifest...)
			if tt.env[envSchema] != "" {
				if got := read(t, filepath.Join(tt.dir, "input.schema.json")); got != smallSchema {
					t.Errorf("input.schema.json = %q", got)
				}
			}
		})
	}
}

func TestForceFromEnv(t *testing.T) {
	inTempDir(t)
	if err := os.MkdirAll("fn", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("fn/notes.txt", []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := run{args: []string{"new", "fn", "--no-input"}, env: map[string]string{envForce: "true"}}.exec(t)
	if res.code != ExitOK {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	wantContains(t, "stdout", res.stdout, `Wrote ./fn: function "fn" (knative-workflow), `, "  created  handler.go\n")
	if read(t, "fn/notes.txt") != "mine" {
		t.Error("notes.txt changed")
	}
	// Again, after editing the handler: --force=false from the flag beats the
	// environment, so the handler is kept and the rest is unchanged.
	if err := os.WriteFile("fn/handler.go", []byte("package main // mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res = run{args: []string{"new", "fn", "--no-input", "--force=false"}, env: map[string]string{envForce: "true"}}.exec(t)
	if res.code != ExitFailure {
		t.Fatalf("exit %d, want %d\n%s", res.code, ExitFailure, res.stdout)
	}
	wantContains(t, "stderr", res.stderr, "folder ./fn exists and is not empty (it already holds ", "handler.go", "): use --force")
	res = run{args: []string{"new", "fn", "--no-input", "--force"}}.exec(t)
	if res.code != ExitOK {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	// --force never replaces a file of the user's: the edited handler stays.
	wantContains(t, "stdout", res.stdout, "  kept     handler.go")
	if got := read(t, "fn/handler.go"); got != "package main // mine\n" {
		t.Errorf("handler.go = %q, want the user's edit kept", got)
	}
	if strings.Contains(res.stdout, "unchanged  ") {
		t.Errorf("unchanged files are listed:\n%s", res.stdout)
	}
}

func TestRefusalsWriteNothing(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		term   bool
		code   int
		stderr []string
	}{
		{name: "bad id", args: []string{"new", "My_Func"}, code: ExitUsage,
			stderr: []string{`Error: invalid function id "My_Func": use lower-case letters, digits, '-' and '_', starting with a letter`, "Run 'direktiv-fn new --help' for usage."}},
		{name: "unknown mode flag", args: []string{"new", "fn", "--mode", "lambda"}, code: ExitUsage,
			stderr: []string{`Error: --mode: invalid mode "lambda": use "knative-workflow" or "isolated"`}},
		{name: "unknown mode env", args: []string{"new", "fn"}, env: map[string]string{envMode: "lambda"}, code: ExitUsage,
			stderr: []string{`Error: DIREKTIV_FN_MODE: invalid mode "lambda": use "knative-workflow" or "isolated"`}},
		{name: "bad bool env", args: []string{"new", "fn"}, env: map[string]string{envNoInput: "sure"}, code: ExitUsage,
			stderr: []string{`Error: invalid DIREKTIV_FN_NO_INPUT="sure": use true or false`}},
		{name: "missing id, --no-input", args: []string{"new", "--no-input"}, term: true, code: ExitUsage,
			stderr: []string{`Error: missing the function id: give it as the argument, e.g. "direktiv-fn new myfunc" (no prompts: --no-input or DIREKTIV_FN_NO_INPUT is set)`}},
		{name: "bad schema given, on a terminal: fail before asking", args: []string{"new", "--schema", "bad.json"}, term: true, code: ExitFailure,
			stderr: []string{"Error: the schema bad.json cannot be used (1 problem):\nbad.json:4:19: /properties/a/type: "}},
		{name: "dir is a file, on a terminal: fail before asking", args: []string{"new", "--dir", "bad.json"}, term: true, code: ExitFailure,
			stderr: []string{"Error: bad.json exists and is not a folder"}},
		{name: "missing id, no terminal", args: []string{"new"}, code: ExitUsage,
			stderr: []string{`(no prompts: stdin or stdout is not a terminal)`}},
		{name: "bad schema", args: []string{"new", "fn", "--schema", "bad.json"}, code: ExitFailure,
			stderr: []string{"Error: the schema bad.json cannot be used (1 problem):\nbad.json:4:19: /properties/a/type: "}},
		{name: "missing schema", args: []string{"new", "fn", "--schema", "nope.json"}, code: ExitFailure,
			stderr: []string{"Error: cannot read the schema: open nope.json: no such file or directory"}},
		{name: "not empty", args: []string{"new", "fn", "--dir", "full"}, code: ExitFailure,
			stderr: []string{"Error: folder full exists and is not empty (no file of the new project is there yet): use --force to write into it"}},
		{name: "dir is a file", args: []string{"new", "fn", "--dir", "bad.json"}, code: ExitFailure,
			stderr: []string{"Error: bad.json exists and is not a folder"}},
		{name: "dir under a file", args: []string{"new", "fn", "--dir", "bad.json/fn", "--force"}, code: ExitFailure,
			stderr: []string{"Error: cannot use bad.json/fn: bad.json is a file, not a folder"}},
		{name: "empty image", args: []string{"new", "fn", "--image", ""}, code: ExitUsage,
			stderr: []string{"Error: --image is empty"}},
		{name: "too many args", args: []string{"new", "a", "b"}, code: ExitUsage,
			stderr: []string{`Error: too many arguments ["a" "b"]: new takes one function id`}},
		{name: "unknown flag", args: []string{"new", "fn", "--colour"}, code: ExitUsage,
			stderr: []string{"Error: unknown flag: --colour\nRun 'direktiv-fn new --help' for usage.\n"}},
		{name: "unknown command", args: []string{"old"}, code: ExitUsage,
			stderr: []string{`Error: unknown command "old" for "direktiv-fn"`, "Run 'direktiv-fn --help' for usage."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := inTempDir(t)
			if err := os.WriteFile("bad.json", []byte(badSchema), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll("full", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile("full/x", []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
			before := tree(t, dir)
			res := run{args: tt.args, env: tt.env, terminal: tt.term, prompter: &fakePrompter{t: t, failOnAsk: true}}.exec(t)
			if res.code != tt.code {
				t.Errorf("exit %d, want %d\nstderr:\n%s", res.code, tt.code, res.stderr)
			}
			wantContains(t, "stderr", res.stderr, tt.stderr...)
			if res.stdout != "" {
				t.Errorf("stdout = %q, want nothing", res.stdout)
			}
			if after := tree(t, dir); !reflect.DeepEqual(before, after) {
				t.Errorf("the folder changed:\nbefore %v\nafter  %v", keys(before), keys(after))
			}
		})
	}
}

// oneLine joins backslash-continued lines.
func oneLine(s string) string {
	return strings.ReplaceAll(s, " \\\n    ", " ")
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestInteractive(t *testing.T) {
	inTempDir(t)
	if err := os.WriteFile("bad.json", []byte(badSchema), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("my schema.json", []byte(smallSchema), 0o644); err != nil {
		t.Fatal(err)
	}
	p := &fakePrompter{t: t, answers: map[string][]string{
		"Function id:": {"My-Func", "myfunc"},
		"Mode:":        {"isolated"},
		"Input schema file (empty for the built-in starter schema):": {"nope.json", "bad.json", "my schema.json"},
		"Go module path:": {"example.com/myfunc"},
		// Container image and target folder: Enter, the defaults.
	}}
	res := run{args: []string{"new"}, terminal: true, prompter: p}.exec(t)
	if res.code != ExitOK {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	wantAsked := []string{"Function id:", "Mode:", "Input schema file (empty for the built-in starter schema):", "Container image:", "Go module path:", "Target folder:"}
	if !reflect.DeepEqual(p.asked, wantAsked) {
		t.Errorf("asked:\n%q\nwant\n%q", p.asked, wantAsked)
	}
	if got := p.defaults["Container image:"]; got != "localhost:5000/myfunc:v1" {
		t.Errorf("image default = %q", got)
	}
	if got := p.defaults["Target folder:"]; got != "./myfunc" {
		t.Errorf("folder default = %q", got)
	}
	if got := p.defaults["Mode:"]; got != "knative-workflow" {
		t.Errorf("mode default = %q", got)
	}
	wantRejected := []string{
		`Function id: "My-Func": "My-Func": use a-z 0-9 - _, start with a letter, end with a letter or digit`,
		`Input schema file (empty for the built-in starter schema): "nope.json": cannot read nope.json: no such file or directory`,
		`Input schema file (empty for the built-in starter schema): "bad.json": bad.json:4:19: /properties/a/type: unknown type "strin"`,
	}
	if len(p.rejected) != len(wantRejected) {
		t.Errorf("rejected %q, want %q", p.rejected, wantRejected)
	}
	for i := range min(len(p.rejected), len(wantRejected)) {
		if !strings.HasPrefix(p.rejected[i], wantRejected[i]) {
			t.Errorf("rejection %d = %q, want prefix %q", i, p.rejected[i], wantRejected[i])
		}
	}
	wantContains(t, "stdout", res.stdout,
		"\nCreated ./myfunc: function \"myfunc\" (isolated)",
		"\nThe same without questions:\n"+
			"  direktiv-fn new myfunc --mode isolated --schema 'my schema.json' \\\n"+
			"    --image localhost:5000/myfunc:v1 --module example.com/myfunc \\\n"+
			"    --dir ./myfunc --no-input\n"+
			"\nNext steps:\n  cd ./myfunc\n",
	)
	wantContains(t, "manifest", read(t, "myfunc/direktiv-fn.yaml"), "mode: isolated\n", "module: example.com/myfunc\n")
}

func TestInteractiveAsksOnlyWhatIsMissing(t *testing.T) {
	inTempDir(t)
	p := &fakePrompter{t: t}
	res := run{
		args:     []string{"new", "fn", "--image", "r.example/fn:1", "--dir", "there"},
		env:      map[string]string{envMode: "isolated"},
		terminal: true,
		prompter: p,
	}.exec(t)
	if res.code != ExitOK {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	want := []string{"Input schema file (empty for the built-in starter schema):", "Go module path:"}
	if !reflect.DeepEqual(p.asked, want) {
		t.Errorf("asked %q, want %q", p.asked, want)
	}
	wantContains(t, "stdout", oneLine(res.stdout), "  direktiv-fn new fn --mode isolated --image r.example/fn:1 --module r.example/fn --dir there --no-input\n")
}

func TestInteractiveNotEmptyFolder(t *testing.T) {
	for _, yes := range []bool{false, true} {
		t.Run(map[bool]string{false: "no", true: "yes"}[yes], func(t *testing.T) {
			dir := inTempDir(t)
			if err := os.MkdirAll("fn", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile("fn/notes.txt", []byte("mine"), 0o644); err != nil {
				t.Fatal(err)
			}
			before := tree(t, filepath.Join(dir, "fn"))
			const again = "Target folder (a new or empty one):"
			p := &fakePrompter{t: t, confirm: yes, answers: map[string][]string{again: {"fn2"}}}
			res := run{args: []string{"new", "fn", "--mode", "isolated", "--schema", ""}, terminal: true, prompter: p}.exec(t)
			wantConfirm := "./fn is not empty. Write into it (generated files are written over, files of yours kept)?"
			if res.code != ExitOK {
				t.Fatalf("exit %d\n%s", res.code, res.stderr)
			}
			if !yes {
				// "No" asks for another folder and keeps every other answer.
				if n := len(p.asked); n < 2 || p.asked[n-2] != wantConfirm || p.asked[n-1] != again {
					t.Errorf("asked %q, want the confirmation, then the folder again", p.asked)
				}
				if after := tree(t, filepath.Join(dir, "fn")); !reflect.DeepEqual(before, after) {
					t.Error("the folder the user said no to changed")
				}
				if m := read(t, "fn2/direktiv-fn.yaml"); !strings.Contains(m, "mode: isolated") {
					t.Errorf("fn2's manifest lost the mode answered before:\n%s", m)
				}
				wantContains(t, "stdout", oneLine(res.stdout), "--dir fn2 --no-input\n")
				return
			}
			if len(p.asked) == 0 || p.asked[len(p.asked)-1] != wantConfirm {
				t.Errorf("asked %q, want the confirmation last", p.asked)
			}
			wantContains(t, "stdout", oneLine(res.stdout), "--dir ./fn --force --no-input\n")
			if read(t, "fn/notes.txt") != "mine" {
				t.Error("notes.txt changed")
			}
		})
	}
}

// TestInteractiveNotEmptyGivenFolder: with the folder given by --dir, "No"
// ends the command and writes nothing: the folder was not asked.
func TestInteractiveNotEmptyGivenFolder(t *testing.T) {
	dir := inTempDir(t)
	if err := os.MkdirAll("fn", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("fn/notes.txt", []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := tree(t, dir)
	p := &fakePrompter{t: t}
	res := run{args: []string{"new", "fn", "--dir", "fn", "--mode", "isolated", "--schema", ""}, terminal: true, prompter: p}.exec(t)
	if res.code != ExitFailure {
		t.Errorf("exit %d, want %d", res.code, ExitFailure)
	}
	wantContains(t, "stderr", res.stderr, "folder fn exists and is not empty", ": use --force")
	if after := tree(t, dir); !reflect.DeepEqual(before, after) {
		t.Error("the folder changed")
	}
}

func TestInterruptedWritesNothing(t *testing.T) {
	dir := inTempDir(t)
	p := &fakePrompter{t: t, interruptAt: "Go module path:"}
	res := run{args: []string{"new", "fn"}, terminal: true, prompter: p}.exec(t)
	if res.code != ExitInterrupted {
		t.Errorf("exit %d, want %d", res.code, ExitInterrupted)
	}
	wantContains(t, "stderr", res.stderr, "Interrupted: nothing was written.")
	if got := tree(t, dir); len(got) != 1 {
		t.Errorf("files written: %v", keys(got))
	}
}

func TestMainHelpVersionCompletion(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want []string
	}{
		{args: []string{"--help"}, want: []string{"Exit codes:\n  0    success\n  1    failure", "  2    usage error", "direktiv-fn new hello --no-input", "version ", "completion "}},
		{args: []string{"new", "--help"}, want: []string{"  --mode       DIREKTIV_FN_MODE       knative-workflow", "localhost:5000/<id>:v1", "--no-input", "Exit codes:", "Examples:"}},
		{args: []string{"version"}, want: []string{"direktiv-fn dev (built from source, not a release)\n", "go: go"}},
		{args: []string{"--version"}, want: []string{"direktiv-fn dev\n"}},
		{args: []string{"__complete", "new", "--mode", ""}, want: []string{"knative-workflow\tHTTP server", "isolated\tone process per call", ":4\n"}},
		{args: []string{"__complete", "new", "--direktiv", ""}, want: []string{"v0.6\tisolated, Direktiv v0.4.0–v0.6.0; knative-workflow, Direktiv v0.6.1–v0.7.2\n", "v0.10\tknative-workflow, Direktiv v0.8.0–v0.10.0\n", ":4\n"}},
		{args: []string{"__complete", "new", "--scope", ""}, want: []string{"workflow\t", "namespace\ta namespace service (service.yaml), Direktiv v0.8.1 and later", ":4\n"}},
		{args: []string{"__complete", "lint", "--direktiv", ""}, want: []string{"v0.7\tknative-workflow, Direktiv v0.6.1–v0.7.2\n"}},
		{args: []string{"new", "--help"}, want: []string{"  --direktiv   DIREKTIV_FN_DIREKTIV   the latest release of the mode", "  --scope      DIREKTIV_FN_SCOPE      workflow"}},
		{args: []string{"completion", "bash"}, want: []string{"bash completion V2 for direktiv-fn"}},
		{args: []string{"version", "extra"}, code: ExitUsage},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(context.Background(), tt.args, strings.NewReader(""), &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", code, tt.code, stderr.String())
			}
			wantContains(t, "stdout", stdout.String(), tt.want...)
		})
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"":                        "''",
		"./myfunc":                "./myfunc",
		"localhost:5000/fn:v1":    "localhost:5000/fn:v1",
		"my schema.json":          "'my schema.json'",
		"it's":                    `'it'\''s'`,
		`{"name":"World"}`:        `'{"name":"World"}'`,
		"$HOME":                   "'$HOME'",
		"example.com/a_b-c@v1+x=": "example.com/a_b-c@v1+x=",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// fakePrompter answers questions from a script, checking each answer with
// the question's validation as survey would.
type fakePrompter struct {
	t *testing.T
	// answers are tried in order until one passes validation; a question
	// without answers gets its default.
	answers map[string][]string
	// confirm is the answer to every confirmation.
	confirm bool
	// failOnAsk makes any question a test failure.
	failOnAsk bool
	// interruptAt is a question answered with Ctrl-C.
	interruptAt string

	asked    []string
	defaults map[string]string
	rejected []string
}

func (f *fakePrompter) ask(msg, def string) error {
	if f.failOnAsk {
		f.t.Errorf("asked %q although it must not ask", msg)
	}
	f.asked = append(f.asked, msg)
	if f.defaults == nil {
		f.defaults = map[string]string{}
	}
	f.defaults[msg] = def
	if msg == f.interruptAt {
		return terminal.InterruptErr
	}
	return nil
}

func (f *fakePrompter) Input(q InputQuestion) (string, error) {
	if err := f.ask(q.Message, q.Default); err != nil {
		return "", err
	}
	answers := f.answers[q.Message]
	if len(answers) == 0 {
		answers = []string{q.Default}
	}
	for _, a := range answers {
		if q.Validate != nil {
			if err := q.Validate(a); err != nil {
				f.rejected = append(f.rejected, q.Message+" "+`"`+a+`": `+err.Error())
				continue
			}
		}
		return a, nil
	}
	f.t.Fatalf("no valid answer to %q", q.Message)
	return "", nil
}

func (f *fakePrompter) Select(q SelectQuestion) (string, error) {
	if err := f.ask(q.Message, q.Default); err != nil {
		return "", err
	}
	if a := f.answers[q.Message]; len(a) > 0 {
		if !strings.Contains(strings.Join(q.Options, "\n")+"\n", a[0]+"\n") {
			f.t.Fatalf("%q is not an option of %q", a[0], q.Message)
		}
		return a[0], nil
	}
	return q.Default, nil
}

func (f *fakePrompter) Confirm(q ConfirmQuestion) (bool, error) {
	if err := f.ask(q.Message, ""); err != nil {
		return false, err
	}
	return f.confirm, nil
}

// TestNewYAMLSchema keeps a YAML schema as input.schema.yaml, so that the
// copy's extension says how to read it, and the manifest names it.
func TestNewYAMLSchema(t *testing.T) {
	dir := inTempDir(t)
	yamlSchema := "type: object\nrequired: [name]\nproperties:\n  name:\n    type: string\n    minLength: 1\n"
	if err := os.WriteFile("in.yaml", []byte(yamlSchema), 0o644); err != nil {
		t.Fatal(err)
	}
	res := run{args: []string{"new", "yfunc", "--schema", "in.yaml", "--no-input"}}.exec(t)
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	if got := read(t, filepath.Join(dir, "yfunc", "input.schema.yaml")); got != yamlSchema {
		t.Errorf("input.schema.yaml = %q, want the schema as given", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "yfunc", "input.schema.json")); err == nil {
		t.Error("input.schema.json written for a YAML schema")
	}
	wantContains(t, "manifest", read(t, filepath.Join(dir, "yfunc", "direktiv-fn.yaml")), "schema: input.schema.yaml\n")
	res = run{args: []string{"generate", "--check", "--dir", "yfunc"}}.exec(t)
	if res.code != 0 {
		t.Errorf("generate --check after new: exit %d: %s", res.code, res.stderr)
	}
}

// TestNewForceKeepsErrorCodes scaffolds over an existing function with
// --force: its error codes survive, and a manifest from a newer direktiv-fn
// stops the command before anything is written.
func TestNewForceKeepsErrorCodes(t *testing.T) {
	dir := inTempDir(t)
	if res := (run{args: []string{"new", "hello", "--no-input"}}).exec(t); res.code != 0 {
		t.Fatalf("new: exit %d: %s", res.code, res.stderr)
	}
	if res := (run{args: []string{"add-error", "badName", "--dir", "hello"}}).exec(t); res.code != 0 {
		t.Fatalf("add-error: exit %d: %s", res.code, res.stderr)
	}
	res := run{args: []string{"new", "hello", "--force", "--mode", "isolated", "--no-input"}}.exec(t)
	if res.code != 0 {
		t.Fatalf("new --force: exit %d: %s", res.code, res.stderr)
	}
	wantContains(t, "errors.gen.go", read(t, filepath.Join(dir, "hello", "errors.gen.go")), `ErrBadName ErrorCode = "hello.badName"`)
	wantContains(t, "manifest", read(t, filepath.Join(dir, "hello", "direktiv-fn.yaml")), "name: badName")

	manifest := filepath.Join(dir, "hello", "direktiv-fn.yaml")
	newer := strings.Replace(read(t, manifest), "version: 2", "version: 99", 1)
	if err := os.WriteFile(manifest, []byte(newer), 0o644); err != nil {
		t.Fatal(err)
	}
	before := tree(t, dir)
	res = run{args: []string{"new", "hello", "--force", "--no-input"}}.exec(t)
	if res.code != 1 {
		t.Fatalf("exit %d, want 1: %s", res.code, res.stderr)
	}
	wantContains(t, "stderr", res.stderr, "hello already holds a function whose manifest cannot be read, so it is left alone")
	if after := tree(t, dir); !reflect.DeepEqual(before, after) {
		t.Error("the refused new changed files")
	}
}

// TestNewRefusesBadModuleAndImage names the flag and the rule, writes
// nothing, and picks a module path that cannot collide for a standard
// library name.
func TestNewRefusesBadModuleAndImage(t *testing.T) {
	dir := inTempDir(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"new", "mt", "--module", "Foo Bar", "--no-input"}, `--module: invalid module path "Foo Bar"`},
		{[]string{"new", "mt", "--module", "time", "--no-input"}, `--module: module path "time" collides with the standard library's "time"`},
		{[]string{"new", "it", "--image", "has space", "--no-input"}, `--image: invalid image "has space"`},
	} {
		res := run{args: tt.args}.exec(t)
		if res.code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", tt.args, res.code, ExitUsage)
		}
		wantContains(t, "stderr", res.stderr, tt.want)
	}
	if got := tree(t, dir); len(got) != 1 {
		t.Errorf("refused runs wrote %v", keys(got))
	}
	res := run{args: []string{"new", "time", "--no-input"}}.exec(t)
	if res.code != 0 {
		t.Fatalf("new time: exit %d: %s", res.code, res.stderr)
	}
	wantContains(t, "go.mod", read(t, filepath.Join(dir, "time", "go.mod")), "module example.com/time\n")
}

// TestExpandHome turns a prompt answer's leading ~ into the home folder.
func TestExpandHome(t *testing.T) {
	t.Setenv("HOME", "/home/u")
	for in, want := range map[string]string{"~/fn": "/home/u/fn", "~": "/home/u", "./~/x": "./~/x", "a~/b": "a~/b", "": ""} {
		if got := expandHome(in); got != want {
			t.Errorf("expandHome(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNewForceOverFunctionKeepsItsSettings scaffolds over a function with
// --force: the schema, image and module its manifest records stay in use
// unless a flag changes them, so the kept schema and the code agree.
func TestNewForceOverFunctionKeepsItsSettings(t *testing.T) {
	dir := inTempDir(t)
	if res := (run{args: []string{"new", "r1", "--image", "reg.example.com/r1:v7", "--module", "example.com/r1", "--no-input"}}).exec(t); res.code != 0 {
		t.Fatalf("new: %s", res.stderr)
	}
	schemaPath := filepath.Join(dir, "r1", "input.schema.json")
	edited := strings.Replace(read(t, schemaPath), `"properties": {`, `"properties": {
    "color": {"type": "string", "enum": ["red", "blue"]},`, 1)
	if err := os.WriteFile(schemaPath, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	manifestPath := filepath.Join(dir, "r1", "direktiv-fn.yaml")
	if err := os.WriteFile(manifestPath, []byte(read(t, manifestPath)+"input:\n  maxDepth: 64\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if res := (run{args: []string{"generate", "--dir", "r1"}}).exec(t); res.code != 0 {
		t.Fatalf("generate: %s", res.stderr)
	}
	res := run{args: []string{"new", "r1", "--force", "--mode", "isolated", "--no-input"}}.exec(t)
	if res.code != 0 {
		t.Fatalf("new --force: exit %d: %s", res.code, res.stderr)
	}
	if got := read(t, schemaPath); got != edited {
		t.Error("the schema was changed")
	}
	wantContains(t, "input.gen.go", read(t, filepath.Join(dir, "r1", "input.gen.go")), "InputColorRed")
	manifest := read(t, filepath.Join(dir, "r1", "direktiv-fn.yaml"))
	wantContains(t, "manifest", manifest, "mode: isolated\n", "image: reg.example.com/r1:v7\n", "module: example.com/r1\n", "input:\n  maxDepth: 64\n")
	wantContains(t, "input.gen.go", read(t, filepath.Join(dir, "r1", "input.gen.go")), "decode.New(data, 64)\n")
	if res := (run{args: []string{"generate", "--check", "--dir", "r1"}}).exec(t); res.code != 0 {
		t.Errorf("generate --check after new --force: exit %d: %s%s", res.code, res.stdout, res.stderr)
	}
}
