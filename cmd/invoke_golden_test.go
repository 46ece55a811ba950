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
	"time"

	"github.com/direktiv-fn/direktiv-fn/cmd/internal/sidecar"
	"github.com/direktiv-fn/direktiv-fn/cmd/internal/workflow"
	"github.com/direktiv-fn/direktiv-fn/generator"
	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/manifest"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// invokeProject is a golden project copied to a temporary folder and built.
type invokeProject struct {
	dir      string
	manifest *manifest.Manifest
	doc      *schema.Document
	binary   string
}

// buildEnv is the environment golden projects are built in: their own
// module, whatever go.work surrounds them.
var buildEnv = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")

// prepareInvoke copies the project at want to a temporary folder, replaces
// its handler.go when handler is not empty, and builds it.
func prepareInvoke(t *testing.T, want, handler string) *invokeProject {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(want)); err != nil {
		t.Fatal(err)
	}
	if handler != "" {
		writeFile(t, filepath.Join(dir, "handler.go"), []byte(handler))
	}
	p, err := loadProject(dir)
	if err != nil {
		t.Fatal(err)
	}
	schemaName := filepath.Join(dir, filepath.FromSlash(p.manifest.Schema))
	data, err := os.ReadFile(schemaName)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := schema.Parse(schemaName, data)
	if err != nil {
		t.Fatal(err)
	}
	bin, err := sidecar.Build(context.Background(), dir, t.TempDir(), buildEnv)
	if err != nil {
		var out string
		if se, ok := err.(*sidecar.StartError); ok {
			out = se.Output
		}
		t.Fatalf("%v\n%s", err, out)
	}
	return &invokeProject{dir: dir, manifest: p.manifest, doc: doc, binary: bin}
}

// noDoneWindow makes an isolated function create done once and exit: the
// tests that are not about the window do not wait 2.5 s for each call's
// exit. isolatedSidecarScenarios leaves it out.
const noDoneWindow = "DIREKTIV_FN_DONE_WINDOW=0"

// options returns the emulator's options for the project, with short
// bounds for tests.
func (p *invokeProject) options(env ...string) sidecar.Options {
	return sidecar.Options{
		Mode:          sidecar.Mode(p.manifest.Mode),
		Command:       []string{p.binary},
		Dir:           p.dir,
		Env:           append(append(append([]string(nil), buildEnv...), noDoneWindow), env...),
		Timeout:       10 * time.Second,
		CancelGrace:   time.Second,
		ReadyTimeout:  10 * time.Second,
		ReadyInterval: 10 * time.Millisecond,
		StopGrace:     time.Second,
		// Only isolatedSidecarScenarios is about the sidecar's timing.
		DrainLog: true,
	}
}

// TestInvokeGolden invokes every golden project through the emulated
// sidecar: its sample input gives the outcome recorded in the project's
// invoke/sample.json (rewritten by -update; a missing one is a failure),
// an invalid input gives the catchable invalid-input code naming every
// violation, and its workflow.yaml passes the workflow checker.
func TestInvokeGolden(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs every golden project")
	}
	for _, c := range goldenProjects(t) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := prepareInvoke(t, c.dir, "")
			m := p.manifest

			wf, err := os.ReadFile(filepath.Join(p.dir, workflowFile))
			if err != nil {
				t.Fatal(err)
			}
			era, err := m.Config().Era()
			if err != nil {
				t.Fatal(err)
			}
			if ds := workflow.Check(workflowFile, wf, workflow.Options{Era: era}); len(ds) > 0 {
				t.Errorf("workflow.yaml:\n%s", ds.Error())
			}

			fn, err := sidecar.Start(context.Background(), p.options())
			if err != nil {
				t.Fatal(err)
			}
			defer fn.Close()

			sample, err := generator.SampleInputJSON(p.doc)
			if err != nil {
				t.Fatal(err)
			}
			res, err := fn.Call(context.Background(), sidecar.Call{Input: sample})
			if err != nil {
				t.Fatal(err)
			}
			if c.testFails == "" && res.Outcome != sidecar.Success {
				t.Errorf("the sample input %s: outcome %s, %+v, notes %q", sample, res.Outcome, res.Error, res.Notes)
			}
			compareTranscript(t, filepath.Join(c.home, "invoke", "sample.json"), sample, res)

			invalid, props := invalidInput(p.doc)
			res, err = fn.Call(context.Background(), sidecar.Call{Input: invalid})
			if err != nil {
				t.Fatal(err)
			}
			wantCode := m.ID + ".invalidInput"
			if res.Outcome != sidecar.Catchable || res.Error.Code != wantCode {
				t.Fatalf("invalid input %s: outcome %s, error %+v, want catchable %s", invalid, res.Outcome, res.Error, wantCode)
			}
			if c.testFails != "" {
				return // the generated code is knowingly older than the schema
			}
			for _, prop := range props {
				if !strings.Contains(res.Error.Message, prop+":") {
					t.Errorf("invalid input %s: the message does not name %s:\n%s", invalid, prop, res.Error.Message)
				}
			}
		})
	}
}

// compareTranscript compares the call's outcome with the golden file, or
// writes it with -update.
func compareTranscript(t *testing.T, file string, input []byte, res *sidecar.Result) {
	t.Helper()
	type variable struct{ Scope, Name, Data string }
	tr := struct {
		Input     json.RawMessage    `json:"input"`
		Outcome   sidecar.Outcome    `json:"outcome"`
		Return    json.RawMessage    `json:"return,omitempty"`
		Error     *sidecar.CallError `json:"error,omitempty"`
		Logs      []string           `json:"logs"`
		Variables []variable         `json:"variables"`
	}{Input: input, Outcome: res.Outcome, Return: res.Return, Error: res.Error, Logs: []string{}, Variables: []variable{}}
	for _, l := range res.Logs {
		tr.Logs = append(tr.Logs, l.Message)
	}
	for _, v := range res.Variables {
		tr.Variables = append(tr.Variables, variable{v.Scope, v.Name, string(v.Data)})
	}
	var got bytes.Buffer
	enc := json.NewEncoder(&got)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(tr); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, file, got.Bytes())
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("missing expected invoke transcript (run go test ./cmd -run TestInvokeGolden -update): %v", err)
	}
	if got.String() != string(want) {
		t.Errorf("%s differs (run go test ./cmd -run TestInvokeGolden -update to accept):\n%s", file, lineDiff(string(want), got.String()))
	}
}

// invalidInput returns an input that violates the schema at every top-level
// property it can (a value of the wrong type, or outside the enum), and the
// pointers the invalid-input message must name. A root that is not an
// object gets a value of the wrong type.
func invalidInput(doc *schema.Document) ([]byte, []string) {
	root := resolveRef(doc.Root)
	if root == nil || !hasType(root, schema.TypeObject) || len(root.Properties) == 0 {
		if hasType(root, schema.TypeNumber) || hasType(root, schema.TypeInteger) {
			return []byte(`"not a number"`), nil
		}
		return []byte(`12345`), nil
	}
	var b strings.Builder
	var props []string
	b.WriteByte('{')
	for _, p := range root.Properties {
		s := resolveRef(p.Schema)
		var v string
		switch {
		case s == nil:
			continue
		case hasType(s, schema.TypeString):
			v = `12345`
		case len(s.Types) > 0:
			v = `"wrong type"`
		case len(s.Enum) > 0:
			v = `"not in the enum"`
		default:
			continue
		}
		if len(props) > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(p.Name)
		b.Write(name)
		b.WriteString(":" + v)
		props = append(props, "/"+p.Name)
	}
	b.WriteByte('}')
	return []byte(b.String()), props
}

// resolveRef follows local references.
func resolveRef(s *schema.Schema) *schema.Schema {
	for i := 0; s != nil && s.Ref != nil && s.Ref.Target != nil && i < 32; i++ {
		s = s.Ref.Target
	}
	return s
}

func hasType(s *schema.Schema, t schema.Type) bool {
	if s == nil {
		return false
	}
	for _, x := range s.Types {
		if x == t {
			return true
		}
	}
	return false
}

// testHandler replaces handler.go in TestInvokeGoldenScenarios: what it
// does depends on $TEST_BEHAVIOUR. CODE is replaced by an error code
// constant of the project, MODULE by its module path.
const testHandler = `package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"MODULE/internal/fn"
)

// Output echoes the input.
type Output struct {
	Input Input ` + "`json:\"input\"`" + `
}

// Handle behaves as $TEST_BEHAVIOUR says.
func Handle(ctx context.Context, in Input) (Output, error) {
	b := os.Getenv("TEST_BEHAVIOUR")
	fn.Logf(ctx, "behaviour %s", b)
	switch b {
	case "coded":
		return Output{}, fmt.Errorf("while testing: %w", fn.NewError(CODE, "handler refused %d", 42))
	case "plain":
		return Output{}, errors.New("plain failure")
	case "panic":
		panic("boom")
	case "honour":
		select {
		case <-ctx.Done():
			fn.Logf(ctx, "cancelled")
			return Output{}, fmt.Errorf("stopped: %w", context.Cause(ctx))
		case <-time.After(time.Minute):
			return Output{}, nil
		}
	case "ignore":
		time.Sleep(time.Minute)
	case "biglog":
		fn.Logf(ctx, "%s", strings.Repeat("x", 200<<10))
		fn.Logf(ctx, "after the big line")
	case "lines":
		n, _ := strconv.Atoi(os.Getenv("TEST_LINES"))
		for i := 0; i < n; i++ {
			fn.Logf(ctx, "line %d", i)
		}
	case "files":
		call, _ := fn.CallFromContext(ctx)
		out := filepath.Join(call.TempDir, "out")
		if err := os.WriteFile(filepath.Join(out, "instance", "x"), []byte("hello"), 0o644); err != nil {
			return Output{}, err
		}
		if err := os.MkdirAll(filepath.Join(out, "workflow", "folder"), 0o755); err != nil {
			return Output{}, err
		}
		if err := os.WriteFile(filepath.Join(out, "workflow", "folder", "a.txt"), []byte("a"), 0o644); err != nil {
			return Output{}, err
		}
		fn.Logf(ctx, "line one\nline two")
		fn.Logf(ctx, "wrote %d variables", 2)
	}
	return Output{Input: in}, nil
}
`

// testHandlerFor returns testHandler for the project in dir, with the
// error code constant code.
func testHandlerFor(t *testing.T, dir, code string) string {
	t.Helper()
	return strings.NewReplacer("CODE", code, "MODULE", goldenModule(t, dir)).Replace(testHandler)
}

// goldenModule returns the module path of the project in dir.
func goldenModule(t *testing.T, dir string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^module (\S+)$`).FindSubmatch(data)
	if m == nil {
		t.Fatalf("%s/go.mod has no module line", dir)
	}
	return string(m[1])
}

// errorConst matches a code constant of errors.gen.go.
var errorConst = regexp.MustCompile(`(?m)^\s*(Err\w+) ErrorCode = "([^"]+)"$`)

// TestInvokeGoldenScenarios runs the golden cases' projects with a test
// handler through every path of the contract: a coded error keeps its code
// through wrapping, a plain error and a panic become catchable errors
// (and the knative server survives the panic), a call that overruns its
// timeout gets DELETE / (knative) or is reported as Direktiv's soft timeout
// (isolated), a call that ignores DELETE / crashes the instance, and log
// lines and out/ variables arrive.
func TestInvokeGoldenScenarios(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the golden projects")
	}
	userCode := false
	for _, c := range goldenProjects(t) {
		want := c.dir
		errorsGen, err := os.ReadFile(filepath.Join(want, "errors.gen.go"))
		if err != nil {
			t.Fatal(err)
		}
		// The code of the "coded" case: the user's last one, else the
		// built-in invalid-input code.
		code := []string{"", "ErrInvalidInput", ""}
		for _, m := range errorConst.FindAllStringSubmatch(string(errorsGen), -1) {
			switch m[1] {
			case "ErrInvalidInput":
				code[2] = m[2]
			case "ErrFailed", "ErrPanic":
			default:
				code = m
			}
		}
		// Every golden case, and the first sequence step with a code of
		// the user's.
		if strings.Contains(c.name, "/") && (userCode || code[1] == "ErrInvalidInput" || c.testFails != "") {
			continue
		}
		if code[1] != "ErrInvalidInput" {
			userCode = true
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := prepareInvoke(t, want, outputHandler(t, want, testHandlerFor(t, want, code[1])))
			id := p.manifest.ID
			knative := p.manifest.Mode == config.ModeKnative
			sample, err := generator.SampleInputJSON(p.doc)
			if err != nil {
				t.Fatal(err)
			}
			run := func(t *testing.T, behaviour string, tweak func(*sidecar.Options)) *sidecar.Result {
				t.Helper()
				opts := p.options("TEST_BEHAVIOUR=" + behaviour)
				if tweak != nil {
					tweak(&opts)
				}
				res, err := sidecar.Run(context.Background(), opts, sidecar.Call{Input: sample})
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Logs) == 0 || res.Logs[0].Message != "behaviour "+behaviour {
					t.Errorf("logs %+v, want the handler's first line", res.Logs)
				}
				return res
			}
			wantError := func(t *testing.T, res *sidecar.Result, outcome sidecar.Outcome, code, msg string) {
				t.Helper()
				if res.Outcome != outcome || res.Error == nil || res.Error.Code != code || res.Error.Message != msg {
					t.Errorf("outcome %s, error %+v; want %s with code %q, message %q (notes %q)", res.Outcome, res.Error, outcome, code, msg, res.Notes)
				}
			}
			short := func(o *sidecar.Options) {
				o.Timeout = 300 * time.Millisecond
				o.CancelGrace = 500 * time.Millisecond
				o.StopGrace = 200 * time.Millisecond
			}

			t.Run("coded", func(t *testing.T) {
				res := run(t, "coded", nil)
				wantError(t, res, sidecar.Catchable, code[2], "while testing: handler refused 42")
			})
			t.Run("plain", func(t *testing.T) {
				res := run(t, "plain", nil)
				wantError(t, res, sidecar.Catchable, id+".failed", "plain failure")
			})
			t.Run("panic", func(t *testing.T) {
				opts := p.options("TEST_BEHAVIOUR=panic")
				fn, err := sidecar.Start(context.Background(), opts)
				if err != nil {
					t.Fatal(err)
				}
				defer fn.Close()
				// Two calls: a knative server survives the panic.
				for i := 0; i < 2; i++ {
					res, err := fn.Call(context.Background(), sidecar.Call{Input: sample})
					if err != nil {
						t.Fatal(err)
					}
					wantError(t, res, sidecar.Catchable, id+".panic", "panic: boom")
					if logs := fmt.Sprint(res.Logs); !strings.Contains(logs, "panic: boom") || !strings.Contains(logs, "goroutine") {
						t.Errorf("the log has no panic stack: %s", logs)
					}
				}
			})
			t.Run("timeout honoured", func(t *testing.T) {
				res := run(t, "honour", short)
				if !res.TimedOut {
					t.Error("not timed out")
				}
				if knative {
					if res.Cancel == nil || !res.Cancel.Answered || res.Cancel.Status != 200 {
						t.Errorf("cancel %+v: want DELETE / answered 200 and the call answered within the grace", res.Cancel)
					}
					wantError(t, res, sidecar.Catchable, id+".failed", "stopped: cancelled by Direktiv (action timeout or instance cancelled)")
					if got := res.Logs[len(res.Logs)-1].Message; got != "cancelled" {
						t.Errorf("last log %q, want cancelled", got)
					}
				} else {
					wantError(t, res, sidecar.Catchable, sidecar.CodeSoftTimeout, "operation timed out")
				}
			})
			t.Run("timeout ignored", func(t *testing.T) {
				res := run(t, "ignore", short)
				if knative {
					if res.Cancel == nil || res.Cancel.Answered {
						t.Errorf("cancel %+v: want DELETE / and no answer", res.Cancel)
					}
					wantError(t, res, sidecar.Crash, "", `Post "http://localhost:8080": context canceled`)
				} else {
					wantError(t, res, sidecar.Catchable, sidecar.CodeSoftTimeout, "operation timed out")
				}
			})
			if !knative {
				isolatedSidecarScenarios(t, p, run)
			}
			t.Run("files and logs", func(t *testing.T) {
				res := run(t, "files", nil)
				if res.Outcome != sidecar.Success {
					t.Fatalf("outcome %s %+v", res.Outcome, res.Error)
				}
				var logs []string
				for _, l := range res.Logs {
					logs = append(logs, l.Message)
				}
				wantLogs := []string{"behaviour files", "line one\nline two", "wrote 2 variables"}
				if !knative {
					// out.log: one instance log line per line.
					wantLogs = []string{"behaviour files", "line one", "line two", "wrote 2 variables"}
				}
				if strings.Join(logs, "|") != strings.Join(wantLogs, "|") {
					t.Errorf("logs %q, want %q", logs, wantLogs)
				}
				var vars []string
				for _, v := range res.Variables {
					vars = append(vars, fmt.Sprintf("%s/%s tar=%v", v.Scope, v.Name, v.TarGz))
				}
				if got := strings.Join(vars, ", "); got != "workflow/folder tar=true, instance/x tar=false" {
					t.Errorf("variables %s", got)
				}
			})
		})
	}
}

// TestInvokeCommand runs the invoke and lint commands on a golden project:
// flags, exit codes, the text and the JSON output.
func TestInvokeCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a golden project")
	}
	p := prepareInvoke(t, filepath.Join(goldenDir, "knative-rich", "want"), "")
	run := func(stdin string, args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := Main(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}

	code, out, errOut := run("", "invoke", "--dir", p.dir, "--binary", p.binary)
	if code != ExitOK || !strings.Contains(out, "Success") || !strings.Contains(errOut, "log    | archive: handling a call") {
		t.Errorf("sample: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}

	code, out, errOut = run(`{"name":"Bad Name","files":[]}`, "invoke", "--dir", p.dir, "--binary", p.binary, "--input", "-", "--json")
	var rep invokeReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output is not one JSON object: %v\n%s", err, out)
	}
	if code != ExitCatchable || rep.ExitCode != ExitCatchable || rep.Error == nil || rep.Error.Code != "archive.invalidInput" || !rep.Error.Catchable || errOut != "" {
		t.Errorf("invalid: exit %d, report %+v, stderr %q", code, rep, errOut)
	}

	code, _, errOut = run("", "invoke", "--dir", p.dir, "--binary", filepath.Join(p.dir, "missing"))
	if code != ExitStartFailed || !strings.Contains(errOut, "Error: starting") {
		t.Errorf("missing binary: exit %d, stderr %q", code, errOut)
	}

	code, _, errOut = run("{", "invoke", "--dir", p.dir, "--binary", p.binary, "--input", "-")
	if code != ExitUsage || !strings.Contains(errOut, "not valid JSON") {
		t.Errorf("bad JSON: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = run("", "invoke", "--dir", p.dir, "--timeout", "soon")
	if code != ExitUsage {
		t.Errorf("bad timeout: exit %d, stderr %q", code, errOut)
	}

	// The build path, and a handler that panics: catchable, exit 3.
	writeFile(t, filepath.Join(p.dir, "handler.go"), []byte(testHandlerFor(t, p.dir, "ErrFailed")))
	t.Setenv("TEST_BEHAVIOUR", "panic")
	code, out, _ = run("", "invoke", "--dir", p.dir, "--timeout", "PT30S")
	if code != ExitCatchable || !strings.Contains(out, "archive.panic") {
		t.Errorf("panic: exit %d\n%s", code, out)
	}
	t.Setenv("TEST_BEHAVIOUR", "ignore")
	code, out, _ = run("", "invoke", "--dir", p.dir, "--timeout", "200ms", "--cancel-grace", "200ms")
	if code != ExitCrash || !strings.Contains(out, "Uncatchable") {
		t.Errorf("ignored timeout: exit %d\n%s", code, out)
	}
	writeFile(t, filepath.Join(p.dir, "handler.go"), []byte("package main\n\nfunc Handle() {}\n"))
	code, _, errOut = run("", "invoke", "--dir", p.dir)
	if code != ExitStartFailed || !strings.Contains(errOut, "go build failed") {
		t.Errorf("build failure: exit %d, stderr %q", code, errOut)
	}

	code, out, _ = run("", "lint", "--dir", p.dir)
	if code != ExitOK || !strings.Contains(out, "ok for Direktiv v0.8.0") {
		t.Errorf("lint: exit %d\n%s", code, out)
	}
	code, out, _ = run("", "lint", "--mode", "isolated", filepath.Join(p.dir, workflowFile))
	if code != ExitFailure || !strings.Contains(out, `needs "id"`) {
		t.Errorf("lint isolated: exit %d\n%s", code, out)
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"30s": 30 * time.Second, "1m30s": 90 * time.Second, "PT30S": 30 * time.Second,
		"PT1H2M3S": time.Hour + 2*time.Minute + 3*time.Second, "P1DT1H": 25 * time.Hour, "pt15m": 15 * time.Minute,
	} {
		got, err := parseDuration(in)
		if err != nil || got != want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "soon", "PT", "P1.5D"} {
		if _, err := parseDuration(in); err == nil {
			t.Errorf("parseDuration(%q) accepted", in)
		}
	}
}

// isolatedSidecarScenarios runs an isolated golden project under the model
// of Direktiv v0.6.0's sidecar at its least forgiving: a sidecar that
// starts watching late still gets the result, and the log lines written
// just before the handler returns all reach Direktiv. Without the runtime's
// waits ($DIREKTIV_FN_DONE_WINDOW=0, $DIREKTIV_FN_LOG_LINE_TIME=0) the
// same calls fail as they do under Direktiv.
func isolatedSidecarScenarios(t *testing.T, p *invokeProject, run func(*testing.T, string, func(*sidecar.Options)) *sidecar.Result) {
	for _, c := range []struct {
		name  string
		delay time.Duration
		lines int
		cost  time.Duration
		env   string
		lost  bool // the result, or lines, are lost
	}{
		{name: "late watcher 0.5s", delay: 500 * time.Millisecond},
		{name: "late watcher 2s", delay: 2 * time.Second},
		{name: "200 lines", lines: 200},
		{name: "1000 lines", lines: 1000},
		// Nearly as slow as the runtime's 2ms a line allows.
		{name: "1000 lines near the allowed pace", lines: 1000, cost: 1800 * time.Microsecond},
		{name: "late watcher 0.5s without the window", delay: 500 * time.Millisecond, env: "DIREKTIV_FN_DONE_WINDOW=0", lost: true},
		{name: "200 lines without the wait", lines: 200, env: "DIREKTIV_FN_LOG_LINE_TIME=0", lost: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			res := run(t, "lines", func(o *sidecar.Options) {
				o.WatchDelay, o.LineCost, o.DrainLog = c.delay, c.cost, false
				// The runtime's defaults, but for c.env.
				env := []string{fmt.Sprintf("TEST_LINES=%d", c.lines), c.env}
				for _, kv := range o.Env {
					if kv != noDoneWindow {
						env = append(env, kv)
					}
				}
				o.Env = env
			})
			switch {
			case c.lost && c.delay > 0:
				if res.Outcome != sidecar.Catchable || res.Error.Code != sidecar.CodeSoftTimeout {
					t.Errorf("outcome %s %+v, want the soft timeout; notes %q", res.Outcome, res.Error, res.Notes)
				}
				return
			case res.Outcome != sidecar.Success:
				t.Fatalf("outcome %s %+v, want success; notes %q", res.Outcome, res.Error, res.Notes)
			case c.lost:
				if len(res.Logs) >= c.lines+1 {
					t.Errorf("all %d log lines reached Direktiv, want some lost", len(res.Logs))
				}
				return
			}
			if len(res.Logs) != c.lines+1 {
				t.Errorf("%d log lines reached Direktiv, want %d; notes %q", len(res.Logs), c.lines+1, res.Notes)
			}
			for i, l := range res.Logs[1:] {
				if want := fmt.Sprintf("line %d", i); l.Message != want {
					t.Fatalf("log line %d is %q, want %q", i+1, l.Message, want)
				}
			}
			if res.ExitStatus != "exit status 0" {
				t.Errorf("exit status %q, want 0; notes %q", res.ExitStatus, res.Notes)
			}
			if c.delay > 0 && !strings.Contains(strings.Join(res.Notes, "\n"), "it missed the first creation of done") {
				t.Errorf("notes %q: want the first creation missed", res.Notes)
			}
		})
	}
}
