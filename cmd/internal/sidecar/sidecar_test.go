package sidecar

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fake runs the test binary as the function with the behaviour.
func fake(t *testing.T, mode Mode, behaviour string, tweak func(*Options), c Call) (*Result, error) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var live []string
	opts := Options{
		Mode:          mode,
		Command:       []string{exe},
		Env:           append(os.Environ(), "FAKE_FN="+behaviour),
		Timeout:       5 * time.Second,
		CancelGrace:   time.Second,
		ReadyTimeout:  5 * time.Second,
		ReadyInterval: 10 * time.Millisecond,
		Variables:     []Variable{{Scope: "namespace", Name: "seed", Data: []byte("s33d")}},
		OnLog: func(l LogLine) {
			mu.Lock()
			live = append(live, l.Message)
			mu.Unlock()
		},
	}
	if tweak != nil {
		tweak(&opts)
	}
	if c.Input == nil {
		c.Input = []byte(`{"a":1}`)
	}
	res, err := Run(context.Background(), opts, c)
	if res != nil {
		mu.Lock()
		defer mu.Unlock()
		if got, want := strings.Join(live, "|"), strings.Join(messages(res.Logs), "|"); got != want {
			t.Errorf("live logs %q, result logs %q", got, want)
		}
	}
	return res, err
}

func messages(logs []LogLine) []string {
	var out []string
	for _, l := range logs {
		out = append(out, l.Message)
	}
	return out
}

func vars(vs []Variable) string {
	var out []string
	for _, v := range vs {
		d := string(v.Data)
		if v.TarGz {
			d = "tar.gz"
		}
		out = append(out, v.Source+"="+v.Scope+"/"+v.Name+":"+d)
	}
	return strings.Join(out, ", ")
}

// check compares the parts of a result that a case cares about.
func check(t *testing.T, res *Result, outcome Outcome, code, msg, ret string) {
	t.Helper()
	if res.Outcome != outcome {
		t.Errorf("outcome %q, want %q (error %+v, notes %q)", res.Outcome, outcome, res.Error, res.Notes)
	}
	switch {
	case outcome == Success && res.Error != nil:
		t.Errorf("success with an error: %+v", res.Error)
	case outcome != Success && (res.Error == nil || res.Error.Code != code || res.Error.Message != msg || res.Error.Catchable != (outcome == Catchable)):
		t.Errorf("error %+v, want code %q message %q", res.Error, code, msg)
	}
	if ret != "" && string(res.Return) != ret {
		t.Errorf("return %s, want %s", res.Return, ret)
	}
}

func hasNote(t *testing.T, res *Result, part string) {
	t.Helper()
	for _, n := range res.Notes {
		if strings.Contains(n, part) {
			return
		}
	}
	t.Errorf("no note contains %q: %q", part, res.Notes)
}

func TestKnativeSuccess(t *testing.T) {
	t.Parallel()
	res, err := fake(t, Knative, "echo", nil, Call{Input: []byte(`{"a":1}`), Iterator: 3, ActionID: "aid-1", Files: []File{{Name: "given.txt", Data: []byte("given")}}})
	if err != nil {
		t.Fatal(err)
	}
	check(t, res, Success, "", "", "")
	var out map[string]any
	if err := json.Unmarshal(res.Return, &out); err != nil {
		t.Fatalf("return %s: %v", res.Return, err)
	}
	want := map[string]any{
		"input": map[string]any{"a": 1.0}, "contentType": "application/json", "iterator": "3",
		"tempDirBase": "aid-1", "file": "given", "seed": "200 s33d",
		"missing": "404 variable instance/nope not found", "set": "200 ",
		"badScope": `400 bad scope "system" (choose namespace, workflow or instance)`,
		"otherAid": "404 actionId other not found",
	}
	for k, v := range want {
		if !jsonEq(out[k], v) {
			t.Errorf("%s = %#v, want %#v", k, out[k], v)
		}
	}
	if got := strings.Join(messages(res.Logs), "|"); got != "first line|second line" {
		t.Errorf("logs %q", got)
	}
	if got := vars(res.Variables); got != "/var=instance/y:v, out/workflow/folder=workflow/folder:tar.gz, out/instance/x=instance/x:hello" {
		t.Errorf("variables %s", got)
	}
	if res.HTTPStatus != 200 || res.ActionID != "aid-1" || res.TimedOut {
		t.Errorf("result %+v", res)
	}
	if len(res.Output) == 0 || res.Output[0].Text != "listening" {
		t.Errorf("output %+v", res.Output)
	}
}

func jsonEq(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func TestKnativeRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		behaviour string
		outcome   Outcome
		code, msg string
		ret       string
		note      string
		vars      string
	}{
		{"coded", Catchable, "fn.bad", "bad input", "", "", "out/instance/partial=instance/partial:p"},
		{"msgonly", Crash, "", "oops", "", "the instance crashes", ""},
		{"msgonly500", Catchable, CodeContainerFailed, "", "", "header is dropped", ""},
		{"status", Catchable, CodeContainerFailed, "", "", "status 503 without Direktiv-ErrorCode", ""},
		{"text", Success, "", "", `"aGVsbG8="`, "base64", ""},
		{"empty", Success, "", "", `""`, "", ""},
		{"die-in-call", Crash, "", `Post "http://localhost:8080": EOF`, "", "the process ended during the call", ""},
	}
	for _, tt := range tests {
		t.Run(tt.behaviour, func(t *testing.T) {
			t.Parallel()
			res, err := fake(t, Knative, tt.behaviour, nil, Call{})
			if err != nil {
				t.Fatal(err)
			}
			check(t, res, tt.outcome, tt.code, tt.msg, tt.ret)
			if tt.note != "" {
				hasNote(t, res, tt.note)
			}
			if got := vars(res.Variables); got != tt.vars {
				t.Errorf("variables %q, want %q", got, tt.vars)
			}
		})
	}
}

func TestKnativeTimeout(t *testing.T) {
	t.Parallel()
	short := func(o *Options) { o.Timeout = 200 * time.Millisecond; o.CancelGrace = 300 * time.Millisecond }
	t.Run("honours DELETE", func(t *testing.T) {
		t.Parallel()
		res, err := fake(t, Knative, "slow-honour", short, Call{})
		if err != nil {
			t.Fatal(err)
		}
		check(t, res, Catchable, "fn.cancelled", "cancelled", "")
		if !res.TimedOut || res.Cancel == nil || !res.Cancel.Answered || res.Cancel.Status != 200 {
			t.Errorf("timed out %v, cancel %+v", res.TimedOut, res.Cancel)
		}
		hasNote(t, res, "Direktiv takes that answer")
		if got := strings.Join(messages(res.Logs), "|"); got != "waiting" {
			t.Errorf("logs %q", got)
		}
	})
	t.Run("ignores DELETE", func(t *testing.T) {
		t.Parallel()
		start := time.Now()
		res, err := fake(t, Knative, "slow-ignore", short, Call{})
		if err != nil {
			t.Fatal(err)
		}
		check(t, res, Crash, "", `Post "http://localhost:8080": context canceled`, "")
		if res.Cancel == nil || res.Cancel.Answered || res.Cancel.Status != 200 {
			t.Errorf("cancel %+v", res.Cancel)
		}
		hasNote(t, res, "abandoned the call 300ms later")
		hasNote(t, res, "1 file(s) in out/ are not turned into variables")
		if d := time.Since(start); d > 8*time.Second {
			t.Errorf("took %s: the function was not stopped", d)
		}
	})
}

// TestKnativeNeverListens is not parallel: the port the function is given
// is free when it is picked, and a listener of a test running beside this
// one could take it and answer the readiness dial in the function's place.
func TestKnativeNeverListens(t *testing.T) {
	_, err := fake(t, Knative, "never-listen", func(o *Options) { o.ReadyTimeout = 600 * time.Millisecond }, Call{})
	var se *StartError
	if !errors.As(err, &se) || !errors.Is(err, errNotReady) {
		t.Fatalf("err %v", err)
	}
}

func TestKnativeStartFailures(t *testing.T) {
	t.Parallel()
	t.Run("exits", func(t *testing.T) {
		t.Parallel()
		_, err := fake(t, Knative, "exit-early", nil, Call{})
		var se *StartError
		if !errors.As(err, &se) || !strings.Contains(se.Error(), "exited before accepting connections") || !strings.Contains(se.Output, "missing config") {
			t.Fatalf("err %v (%#v)", err, se)
		}
	})
	t.Run("no binary", func(t *testing.T) {
		t.Parallel()
		_, err := Run(context.Background(), Options{Mode: Knative, Command: []string{"/nonexistent/fn"}}, Call{Input: []byte("{}")})
		var se *StartError
		if !errors.As(err, &se) {
			t.Fatalf("err %v", err)
		}
	})
}

func TestKnativeConcurrentCalls(t *testing.T) {
	t.Parallel()
	exe, _ := os.Executable()
	fn, err := Start(context.Background(), Options{Mode: Knative, Command: []string{exe}, Env: append(os.Environ(), "FAKE_FN=echo"), ReadyTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer fn.Close()
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := fn.Call(context.Background(), Call{Input: []byte(`{"i":1}`)})
			if err != nil {
				t.Error(err)
				return
			}
			if res.Outcome != Success || len(res.Logs) != 2 {
				t.Errorf("outcome %s logs %v", res.Outcome, res.Logs)
			}
		}()
	}
	wg.Wait()
}

func TestIsolated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		behaviour string
		outcome   Outcome
		code, msg string
		ret       string
		logs      string
		vars      string
		notes     []string
		timedOut  bool
	}{
		{behaviour: "iso-ok", outcome: Success, ret: `{"input":{"a":1},"file":"given"}`, logs: "one|two halves", vars: "out/instance/x=instance/x:hello",
			notes: []string{"1 of the 3 line(s) written to out.log did not reach Direktiv"}},
		{behaviour: "iso-error", outcome: Catchable, code: "fn.bad", msg: "bad input"},
		{behaviour: "iso-msg", outcome: Catchable, code: "fn.bad", notes: []string{`the key is "message"`}},
		{behaviour: "iso-crash", outcome: Crash, msg: "no code", notes: []string{"the instance crashes"}},
		{behaviour: "iso-text", outcome: Success, ret: `"cGxhaW4gdGV4dA=="`, notes: []string{"base64"}},
		{behaviour: "iso-nooutput", outcome: Success, ret: `""`, notes: []string{"no output.json"}},
		{behaviour: "iso-nodone", outcome: Catchable, code: CodeSoftTimeout, msg: "operation timed out", logs: "working",
			notes: []string{"without creating done", "1 file(s) in vars/out/"}},
		{behaviour: "iso-hang", outcome: Catchable, code: CodeSoftTimeout, msg: "operation timed out", logs: "hanging", timedOut: true,
			notes: []string{"still running at the timeout"}},
		{behaviour: "iso-sloppy", outcome: Success, ret: "{}", notes: []string{"out.log was never created", "exit with status 0"}},
		{behaviour: "iso-linger", outcome: Success, ret: "1", notes: []string{"still running"}},
	}
	for _, tt := range tests {
		t.Run(tt.behaviour, func(t *testing.T) {
			t.Parallel()
			res, err := fake(t, Isolated, tt.behaviour, func(o *Options) { o.Timeout, o.ExitWait = 700*time.Millisecond, 300*time.Millisecond },
				Call{Input: []byte(`{"a":1}`), Files: []File{{Name: "given.txt", Data: []byte("given")}}})
			if err != nil {
				t.Fatal(err)
			}
			check(t, res, tt.outcome, tt.code, tt.msg, tt.ret)
			if got := strings.Join(messages(res.Logs), "|"); got != tt.logs {
				t.Errorf("logs %q, want %q", got, tt.logs)
			}
			if got := vars(res.Variables); got != tt.vars {
				t.Errorf("variables %q, want %q", got, tt.vars)
			}
			for _, n := range tt.notes {
				hasNote(t, res, n)
			}
			if res.TimedOut != tt.timedOut {
				t.Errorf("timed out %v", res.TimedOut)
			}
			if res.ExitStatus == "" {
				t.Error("no exit status")
			}
		})
	}
}

// TestIsolatedSidecarModel checks the model of Direktiv v0.6.0's sidecar:
// it sees done only when created while it watches (a rename onto it
// counts, as fsnotify reports it as a creation), and it stops sending the
// log when it reports.
func TestIsolatedSidecarModel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		behaviour string
		delay     time.Duration
		outcome   Outcome
		notes     []string
	}{
		{"iso-once", 0, Success, nil},
		{"iso-rename", 0, Success, nil},
		{"iso-once", 100 * time.Millisecond, Catchable, []string{"done was created (1 time(s), the last at", "but never while the sidecar was watching (from 100ms on)"}},
		{"iso-again", 100 * time.Millisecond, Success, []string{"the sidecar started watching 100ms after the process: it missed the first creation of done"}},
		{"iso-burst", 0, Success, []string{"of the 200 line(s) written to out.log did not reach Direktiv"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s after %s", tt.behaviour, tt.delay), func(t *testing.T) {
			t.Parallel()
			res, err := fake(t, Isolated, tt.behaviour, func(o *Options) {
				o.Timeout, o.WatchDelay = 5*time.Second, tt.delay
			}, Call{Input: []byte(`{}`)})
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != tt.outcome {
				t.Errorf("outcome %s %+v, want %s; notes %q", res.Outcome, res.Error, tt.outcome, res.Notes)
			}
			for _, n := range tt.notes {
				hasNote(t, res, n)
			}
			if len(tt.notes) == 0 && len(res.Notes) > 0 {
				t.Errorf("notes %q, want none", res.Notes)
			}
			if tt.behaviour == "iso-burst" && len(res.Logs) >= 200 {
				t.Errorf("%d lines reached Direktiv, want fewer than the 200 written", len(res.Logs))
			}
		})
	}
}

func TestEmptyInput(t *testing.T) {
	t.Parallel()
	for _, mode := range []Mode{Knative, Isolated} {
		_, err := fake(t, mode, "echo", nil, Call{Input: []byte{}})
		if err == nil || !strings.Contains(err.Error(), "empty input") {
			t.Errorf("%s: err %v", mode, err)
		}
	}
}

func TestStoredReturn(t *testing.T) {
	for in, want := range map[string]string{"": `""`, `{"a":1}`: `{"a":1}`, "hi": `"aGk="`, "1": "1"} {
		got, _ := storedReturn([]byte(in))
		if string(got) != want {
			t.Errorf("storedReturn(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestKnativeBadVariableNames(t *testing.T) {
	t.Parallel()
	res, err := fake(t, Knative, "bad-names", nil, Call{})
	if err != nil {
		t.Fatal(err)
	}
	// Setting out/instance/bad name.txt fails: the instance crashes, over
	// the error code; the variables before it were set.
	check(t, res, Crash, "", errBadVarName, "")
	if got := vars(res.Variables); got != "out/namespace/ok=namespace/ok:1" {
		t.Errorf("variables %q", got)
	}
	hasNote(t, res, `out/instance/bad name.txt: "bad name.txt" is not a Direktiv variable name`)
	hasNote(t, res, `POST /var with the key "9lives"`)
	if got := strings.Join(messages(res.Logs), "|"); got != "400 "+errBadVarName {
		t.Errorf("logs %q, want the answer to POST /var", got)
	}
}

func TestIsolatedBadVariableNames(t *testing.T) {
	t.Parallel()
	res, err := fake(t, Isolated, "iso-bad-names", nil, Call{})
	if err != nil {
		t.Fatal(err)
	}
	// The isolated era's sidecar logs the failure and goes on: the outcome
	// stands, without the variable and those after it.
	check(t, res, Success, "", "", "{}")
	if got := vars(res.Variables); got != "out/namespace/ok=namespace/ok:1" {
		t.Errorf("variables %q", got)
	}
	hasNote(t, res, `vars/out/instance/my-var: "my-var" is not a variable name for Direktiv v0.5.0–v0.6.0`)
}

func TestValidVarName(t *testing.T) {
	for _, tt := range []struct {
		name              string
		knative, isolated bool
	}{
		{"a", true, true}, {"my_var2", true, true}, {"my-var", true, false}, {"my.var", true, false},
		{"9lives", false, false}, {"a-", false, false}, {"_a", false, false}, {"bad name", false, false}, {"", false, false},
	} {
		if got := ValidVarName(Knative, tt.name); got != tt.knative {
			t.Errorf("ValidVarName(knative, %q) = %v", tt.name, got)
		}
		if got := ValidVarName(Isolated, tt.name); got != tt.isolated {
			t.Errorf("ValidVarName(isolated, %q) = %v", tt.name, got)
		}
	}
}

func TestKnativeBigLogs(t *testing.T) {
	t.Parallel()
	res, err := fake(t, Knative, "big-logs", nil, Call{})
	if err != nil {
		t.Fatal(err)
	}
	check(t, res, Success, "", "", "{}")
	hasNote(t, res, "a log message of 4194305 bytes was refused (413 Request Entity Too Large)")
	hasNote(t, res, "logs its first 4 MiB only")
	if len(res.Logs) != 2 || len(res.Logs[0].Message) != MaxLog || res.Logs[1].Message != "after" {
		t.Errorf("%d logs, want the cut message and after", len(res.Logs))
	}
}

func TestIsolatedLongOutputLine(t *testing.T) {
	t.Parallel()
	res, err := fake(t, Isolated, "iso-long-line", nil, Call{})
	if err != nil {
		t.Fatal(err)
	}
	check(t, res, Success, "", "", "{}")
	hasNote(t, res, "1 line(s) of the process's stdout or stderr were longer than 4 MiB")
	// The streams are read apart: only the order within one is known.
	var stdout, stderr []string
	for _, l := range res.Output {
		if l.Stream == "stdout" {
			stdout = append(stdout, l.Text)
		} else {
			stderr = append(stderr, l.Text)
		}
	}
	if len(stdout) != 2 || stdout[1] != "after" || strings.Join(stderr, "|") != "stderr line" {
		t.Fatalf("stdout %.100q, stderr %q: want the cut line then after, and the stderr line", stdout, stderr)
	}
	long := stdout[0]
	want := "a" + strings.Repeat("é", maxLineBytes/2-1) + " ... [line cut: 4194309 bytes, over the 4 MiB kept per line]"
	if long != want {
		t.Errorf("the long line ends %q, want %q", long[len(long)-80:], want[len(want)-80:])
	}
}

func TestReadLine(t *testing.T) {
	// The \r of a line 21 bytes long with it is not part of the line.
	in := "one\r\ntwo\n" + strings.Repeat("x", 40) + "\n\n" + strings.Repeat("y", 20) + "\r\nlast"
	r := bufio.NewReaderSize(strings.NewReader(in), 16)
	var got []string
	for {
		text, size, err := readLine(r, 20)
		if size == 0 && err != nil {
			break
		}
		got = append(got, fmt.Sprintf("%s/%d", text, size))
		if err != nil {
			break
		}
	}
	want := "one/3|two/3|" + strings.Repeat("x", 20) + "/40|/0|" + strings.Repeat("y", 20) + "/20|last/4"
	if strings.Join(got, "|") != want {
		t.Errorf("lines %q, want %q", strings.Join(got, "|"), want)
	}
}

func TestBuildFailureLines(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, content := range map[string]string{"go.mod": "module broken\n\ngo 1.21\n", "main.go": "package main\n\nfunc main() { undefined() }\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Build(context.Background(), dir, t.TempDir(), append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod"))
	var se *StartError
	if !errors.As(err, &se) || len(se.Lines) == 0 {
		t.Fatalf("err %v, want a *StartError with lines", err)
	}
	for _, l := range se.Lines {
		if l.Stream != "build" {
			t.Errorf("line %+v: want the stream build", l)
		}
	}
	if !strings.Contains(se.Output, "undefined") || !strings.Contains(fmt.Sprint(se.Lines), "undefined") {
		t.Errorf("output %q, lines %+v", se.Output, se.Lines)
	}
}
