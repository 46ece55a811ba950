package fn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These tests check the runtime code as Direktiv sees it, through the data
// folder. They run their own handlers: Handle is tested in handler_test.go.

// isolatedTestInput is a valid input.
const isolatedTestInput = `{"name": "x"}`

// isolatedTestCodes are the function's error codes.
var isolatedTestCodes = []ErrorCode{
	ErrInvalidInput, ErrFailed, ErrPanic, ErrTooBig,
}

// isolatedTestRun runs handle in a new data folder holding input (no
// input.json when input is empty), creating done once, and returns the
// folder.
func isolatedTestRun(t *testing.T, input string, handle handlerFunc) string {
	t.Helper()
	return isolatedTestRunWith(t, input, dataSettings{}, handle)
}

// isolatedTestRunWith is isolatedTestRun with settings s.
func isolatedTestRunWith(t *testing.T, input string, s dataSettings, handle handlerFunc) string {
	t.Helper()
	dir := t.TempDir()
	if input != "" {
		if err := os.WriteFile(filepath.Join(dir, inputFile), []byte(input), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := runTest(dir, s, handle); err != nil {
		t.Fatalf("run: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, doneFile)); err != nil {
		t.Errorf("no done file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, logFile)); err != nil {
		t.Errorf("no out.log: %v", err)
	}
	return dir
}

// isolatedTestFiles returns the names in dir other than input.json, out.log
// and done: the results.
func isolatedTestFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); n != logFile && n != doneFile && n != inputFile {
			names = append(names, n)
		}
	}
	return names
}

// isolatedTestError checks that dir holds error.json with code, and nothing
// but it, and returns the message.
func isolatedTestError(t *testing.T, dir string, code ErrorCode) string {
	t.Helper()
	if got := isolatedTestFiles(t, dir); !reflect.DeepEqual(got, []string{errorFile}) {
		t.Errorf("results = %q, want only %s", got, errorFile)
	}
	data, err := os.ReadFile(filepath.Join(dir, errorFile))
	if err != nil {
		t.Fatal(err)
	}
	var e map[string]string
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatalf("error.json: %v: %s", err, data)
	}
	if len(e) != 2 || e["code"] == "" || e["message"] == "" {
		t.Errorf("error.json = %s, want exactly the keys code and message", data)
	}
	if e["code"] != string(code) {
		t.Errorf("code = %q, want %q", e["code"], code)
	}
	return e["message"]
}

func TestIsolatedOutput(t *testing.T) {
	var got Call
	dir := isolatedTestRun(t, isolatedTestInput, func(ctx context.Context, in Input) (Output, error) {
		got, _ = CallFromContext(ctx)
		Logf(ctx, "hello %d", 42)
		Logf(ctx, "two\nlines\n")
		var out Output
		return out, nil
	})
	if names := isolatedTestFiles(t, dir); !reflect.DeepEqual(names, []string{outputFile}) {
		t.Errorf("results = %q, want only %s", names, outputFile)
	}
	data, err := os.ReadFile(filepath.Join(dir, outputFile))
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(data) {
		t.Errorf("output.json is not JSON: %s", data)
	}
	log, err := os.ReadFile(filepath.Join(dir, logFile))
	if err != nil {
		t.Fatal(err)
	}
	if want := "hello 42\ntwo\nlines\n"; string(log) != want {
		t.Errorf("out.log = %q, want %q", log, want)
	}
	if want := filepath.Join(dir, varsDir); got.TempDir != want {
		t.Errorf("TempDir = %q, want %q", got.TempDir, want)
	}
}

func TestIsolatedInvalidInput(t *testing.T) {
	for _, input := range []string{"", "{", "[1, 2", "not json"} {
		called := false
		dir := isolatedTestRun(t, input, func(ctx context.Context, in Input) (Output, error) {
			called = true
			var out Output
			return out, nil
		})
		isolatedTestError(t, dir, ErrInvalidInput)
		if called {
			t.Errorf("input %q: the handler ran", input)
		}
	}
}

func TestIsolatedErrorCodes(t *testing.T) {
	for _, code := range isolatedTestCodes {
		t.Run(string(code), func(t *testing.T) {
			dir := isolatedTestRun(t, isolatedTestInput, func(ctx context.Context, in Input) (Output, error) {
				var out Output
				return out, fmt.Errorf("while testing: %w", NewError(code, "boom %d", 42))
			})
			if msg, want := isolatedTestError(t, dir, code), "while testing: boom 42"; msg != want {
				t.Errorf("message = %q, want %q", msg, want)
			}
		})
	}
}

func TestIsolatedUncodedError(t *testing.T) {
	dir := isolatedTestRun(t, isolatedTestInput, func(ctx context.Context, in Input) (Output, error) {
		var out Output
		return out, errors.New("no code")
	})
	if msg := isolatedTestError(t, dir, ErrFailed); msg != "no code" {
		t.Errorf("message = %q, want %q", msg, "no code")
	}
}

func TestIsolatedPanic(t *testing.T) {
	dir := isolatedTestRun(t, isolatedTestInput, func(ctx context.Context, in Input) (Output, error) {
		panic("kaboom")
	})
	if msg := isolatedTestError(t, dir, ErrPanic); !strings.Contains(msg, "kaboom") {
		t.Errorf("message = %q, want the panic value", msg)
	}
	log, err := os.ReadFile(filepath.Join(dir, logFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(log), "panic: kaboom\n") {
		t.Errorf("out.log = %q, want the panic and its stack", log)
	}
}

func TestIsolatedNoDataDir(t *testing.T) {
	var out Output
	err := runTest(filepath.Join(t.TempDir(), "missing"), dataSettings{}, func(context.Context, Input) (Output, error) { return out, nil })
	if err == nil {
		t.Error("run in a missing folder succeeded")
	}
}

// TestIsolatedNoLog checks that a call whose out.log cannot be created
// still ends with error.json and done: Direktiv would otherwise wait for the
// action's timeout.
func TestIsolatedNoLog(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, inputFile), []byte(isolatedTestInput), 0o644); err != nil {
		t.Fatal(err)
	}
	// A folder where out.log should be.
	if err := os.Mkdir(filepath.Join(dir, logFile), 0o755); err != nil {
		t.Fatal(err)
	}
	called := false
	err := runTest(dir, dataSettings{}, func(context.Context, Input) (Output, error) {
		called = true
		var out Output
		return out, nil
	})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if called {
		t.Error("the handler ran without a log")
	}
	if _, err := os.Stat(filepath.Join(dir, doneFile)); err != nil {
		t.Errorf("no done file: %v", err)
	}
	if msg := isolatedTestError(t, dir, ErrFailed); !strings.Contains(msg, "cannot create "+logFile) {
		t.Errorf("message = %q, want why", msg)
	}
}

// isolatedTestFailWrites makes the writes of the data folder's files whose
// name fail reports fail as on a full disk: they leave an empty file.
func isolatedTestFailWrites(t *testing.T, fail func(name string) bool) {
	t.Helper()
	t.Cleanup(func() { writeFile = os.WriteFile })
	writeFile = func(name string, data []byte, perm os.FileMode) error {
		if !fail(filepath.Base(name)) {
			return os.WriteFile(name, data, perm)
		}
		if err := os.WriteFile(name, nil, perm); err != nil {
			return err
		}
		return &os.PathError{Op: "write", Path: name, Err: errors.New("no space left on device")}
	}
}

// TestIsolatedOutputNotWritten checks that a call whose output.json cannot
// be written ends with a short error.json and done, and leaves no temporary
// file.
func TestIsolatedOutputNotWritten(t *testing.T) {
	isolatedTestFailWrites(t, func(name string) bool { return name == "."+outputFile+".tmp" })
	dir := isolatedTestRun(t, isolatedTestInput, func(context.Context, Input) (Output, error) {
		var out Output
		return out, nil
	})
	msg := isolatedTestError(t, dir, ErrFailed)
	if want := "cannot write " + outputFile + ": "; !strings.HasPrefix(msg, want) || !strings.Contains(msg, "no space left on device") {
		t.Errorf("message = %q, want %q and the cause", msg, want)
	}
}

// TestIsolatedErrorNotWritten checks that a call whose error.json cannot be
// written, even short, fails without creating done (Direktiv would store a
// false success) and leaves no temporary file.
func TestIsolatedErrorNotWritten(t *testing.T) {
	isolatedTestFailWrites(t, func(name string) bool { return name != doneFile })
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, inputFile), []byte(isolatedTestInput), 0o644); err != nil {
		t.Fatal(err)
	}
	err := runTest(dir, dataSettings{}, func(context.Context, Input) (Output, error) {
		var out Output
		return out, NewError(ErrFailed, "boom")
	})
	if err == nil || !strings.Contains(err.Error(), "no result could be written, so done is not created") {
		t.Errorf("run: %v, want the reason done is missing", err)
	}
	if _, err := os.Stat(filepath.Join(dir, doneFile)); err == nil {
		t.Error("done was created without a result file")
	}
	if got := isolatedTestFiles(t, dir); len(got) != 0 {
		t.Errorf("results = %q, want none", got)
	}
}

// TestIsolatedLongErrorNotWritten checks that when a long error.json does
// not fit, the short one replaces it.
func TestIsolatedLongErrorNotWritten(t *testing.T) {
	first := true
	isolatedTestFailWrites(t, func(name string) bool {
		fail := first && name == "."+errorFile+".tmp"
		first = first && !fail
		return fail
	})
	dir := isolatedTestRun(t, isolatedTestInput, func(context.Context, Input) (Output, error) {
		var out Output
		return out, NewError(ErrInvalidInput, "%s", strings.Repeat("long ", 1000))
	})
	if msg := isolatedTestError(t, dir, ErrFailed); !strings.HasPrefix(msg, "cannot write "+errorFile+": ") {
		t.Errorf("message = %q, want why", msg)
	}
}

// TestIsolatedWrappedError checks that NewError formats as fmt.Errorf does:
// the message is sent, and errors.Is sees the cause.
func TestIsolatedWrappedError(t *testing.T) {
	cause := errors.New("the cause")
	var got error
	dir := isolatedTestRun(t, isolatedTestInput, func(context.Context, Input) (Output, error) {
		var out Output
		got = fmt.Errorf("outer: %w", NewError(ErrInvalidInput, "reading %s: %w", "x", cause))
		return out, got
	})
	if !errors.Is(got, cause) {
		t.Error("errors.Is does not find the cause through NewError")
	}
	var e *Error
	if !errors.As(got, &e) || e.Code != ErrInvalidInput || e.Message != "reading x: the cause" {
		t.Errorf("errors.As = %+v, want the *Error", e)
	}
	if msg, want := isolatedTestError(t, dir, ErrInvalidInput), "outer: reading x: the cause"; msg != want {
		t.Errorf("message = %q, want %q", msg, want)
	}
	if err := NewError(ErrFailed, "no cause"); errors.Unwrap(err) != nil {
		t.Errorf("NewError without %%w has the cause %v", errors.Unwrap(err))
	}
}

// TestIsolatedEmptyLog checks that empty messages are dropped, as Direktiv
// drops them.
func TestIsolatedEmptyLog(t *testing.T) {
	dir := isolatedTestRun(t, isolatedTestInput, func(ctx context.Context, in Input) (Output, error) {
		Logf(ctx, "")
		Logf(ctx, "\n")
		Logf(ctx, "kept")
		var out Output
		return out, nil
	})
	log, err := os.ReadFile(filepath.Join(dir, logFile))
	if err != nil {
		t.Fatal(err)
	}
	if string(log) != "kept\n" {
		t.Errorf("out.log = %q, want only %q", log, "kept\n")
	}
}

func TestIsolatedDataDir(t *testing.T) {
	t.Setenv("DIREKTIV_DATA_DIR", "")
	if got := dataDir(); got != "/direktiv-data" {
		t.Errorf("default data folder = %q, want /direktiv-data", got)
	}
	t.Setenv("DIREKTIV_DATA_DIR", "/tmp/data")
	if got := dataDir(); got != "/tmp/data" {
		t.Errorf("data folder = %q, want $DIREKTIV_DATA_DIR", got)
	}
}

// isolatedTestClock runs the runtime's waits on a clock that moves only
// when the runtime sleeps, and records when each write of the data folder
// happened (its name, and the time since the clock started).
type isolatedTestClock struct {
	start, at time.Time
	writes    []string
}

// isolatedTestTime installs a test clock until the test ends.
func isolatedTestTime(t *testing.T) *isolatedTestClock {
	t.Helper()
	c := &isolatedTestClock{start: time.Unix(1e9, 0)}
	c.at = c.start
	t.Cleanup(func() { now, sleep, writeFile = time.Now, time.Sleep, os.WriteFile })
	now = func() time.Time { return c.at }
	sleep = func(d time.Duration) {
		if d > 0 {
			c.at = c.at.Add(d)
		}
	}
	writeFile = func(name string, data []byte, perm os.FileMode) error {
		c.writes = append(c.writes, fmt.Sprintf("%s@%s", filepath.Base(name), c.at.Sub(c.start)))
		return os.WriteFile(name, data, perm)
	}
	return c
}

// TestIsolatedDoneAgain checks that done is created again after the first
// time, 10ms after it, then at doubling times until the window ends, so that a sidecar
// that starts watching late still sees it created.
func TestIsolatedDoneAgain(t *testing.T) {
	clock := isolatedTestTime(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, inputFile), []byte(isolatedTestInput), 0o644); err != nil {
		t.Fatal(err)
	}
	err := runTest(dir, dataSettings{doneWindow: 2500 * time.Millisecond}, func(context.Context, Input) (Output, error) {
		var out Output
		return out, nil
	})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	want := []string{reserveFile + "@0s", "." + outputFile + ".tmp@0s"}
	for _, at := range []string{"0s", "10ms", "20ms", "40ms", "80ms", "160ms", "320ms", "640ms", "1.28s", "2.5s"} {
		want = append(want, doneFile+"@"+at)
	}
	if !reflect.DeepEqual(clock.writes, want) {
		t.Errorf("writes:\n got %q\nwant %q", clock.writes, want)
	}
	if _, err := os.Stat(filepath.Join(dir, doneFile)); err != nil {
		t.Errorf("no done file at the end: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, reserveFile)); err == nil {
		t.Errorf("%s is left behind", reserveFile)
	}
}

// TestIsolatedDoneOnce checks that a window of 0 creates done once.
func TestIsolatedDoneOnce(t *testing.T) {
	clock := isolatedTestTime(t)
	isolatedTestRun(t, isolatedTestInput, func(context.Context, Input) (Output, error) {
		var out Output
		return out, nil
	})
	if got := clock.writes[len(clock.writes)-1]; got != doneFile+"@0s" || strings.Count(strings.Join(clock.writes, " "), doneFile) != 1 {
		t.Errorf("writes %q, want done once, at once", clock.writes)
	}
}

// TestIsolatedLogDrain checks that done is created only once the sidecar,
// given tailDelay to notice a line and lineTime per line, has had the time
// to send every line: the lines still waiting when the handler returns,
// not those it had time for.
func TestIsolatedLogDrain(t *testing.T) {
	for _, c := range []struct {
		name        string
		early, late int // lines logged before and after 1s of work
		wantDone    string
	}{
		{"200 lines at the end", 0, 200, "1.42s"},
		{"1000 lines at the end", 0, 1000, "3.02s"},
		{"lines sent while working", 300, 0, "1s"},
		{"a backlog left from work", 600, 100, "1.42s"},
		{"multi-line messages", 0, 100, "1.42s"}, // 2 lines each
		{"nothing logged", 0, 0, "1s"},
	} {
		t.Run(c.name, func(t *testing.T) {
			clock := isolatedTestTime(t)
			dir := isolatedTestRunWith(t, isolatedTestInput, dataSettings{lineTime: 2 * time.Millisecond}, func(ctx context.Context, in Input) (Output, error) {
				for i := 0; i < c.early; i++ {
					Logf(ctx, "early %d", i)
				}
				sleep(time.Second)
				for i := 0; i < c.late; i++ {
					if strings.HasPrefix(c.name, "multi") {
						Logf(ctx, "late %d\nsecond line", i)
					} else {
						Logf(ctx, "late %d", i)
					}
				}
				var out Output
				return out, nil
			})
			if got := clock.writes[len(clock.writes)-1]; got != doneFile+"@"+c.wantDone {
				t.Errorf("done created at %s, want %s", got, c.wantDone)
			}
			log, err := os.ReadFile(filepath.Join(dir, logFile))
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(string(log), "\n"); n != c.early+c.late*(1+strings.Count(c.name, "multi")) {
				t.Errorf("out.log has %d lines", n)
			}
		})
	}
}

// TestIsolatedLogCap checks that out.log stops at maxLogLines lines and
// maxOutLogBytes bytes, with whole messages only, and a last line that says
// so; and that the result is written as usual.
func TestIsolatedLogCap(t *testing.T) {
	big := strings.Repeat("x", 1<<20)
	logCut := newFileLog("test", nil, 0).cut
	for _, c := range []struct {
		name string
		log  func(ctx context.Context)
		want int // lines before the cut
	}{
		{"lines", func(ctx context.Context) {
			for i := 0; i < 3*maxLogLines; i++ {
				Logf(ctx, "line %d", i)
			}
		}, maxLogLines - 1},
		{"multi-line message at the bound", func(ctx context.Context) {
			for i := 0; i < maxLogLines-3; i++ {
				Logf(ctx, "line %d", i)
			}
			Logf(ctx, "a\nb\nc")
			Logf(ctx, "d")
		}, maxLogLines - 3},
		{"bytes", func(ctx context.Context) {
			for i := 0; i < 10; i++ {
				Logf(ctx, "%s", big)
			}
		}, (maxOutLogBytes - len(logCut)) / (len(big) + 1)},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := isolatedTestRun(t, isolatedTestInput, func(ctx context.Context, in Input) (Output, error) {
				c.log(ctx)
				var out Output
				return out, nil
			})
			log, err := os.ReadFile(filepath.Join(dir, logFile))
			if err != nil {
				t.Fatal(err)
			}
			if len(log) > maxOutLogBytes {
				t.Errorf("out.log has %d bytes, over %d", len(log), maxOutLogBytes)
			}
			lines := strings.SplitAfter(string(log), "\n")
			lines = lines[:len(lines)-1]
			if len(lines) != c.want+1 || lines[len(lines)-1] != logCut {
				t.Fatalf("out.log has %d lines ending with %q, want %d and %q", len(lines), lines[len(lines)-1], c.want+1, logCut)
			}
			for _, l := range lines[:c.want] {
				if l != big+"\n" && !strings.HasPrefix(l, "line ") {
					t.Fatalf("line %q is not a whole message", l)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, outputFile)); err != nil {
				t.Error(err)
			}
		})
	}
}

// isolatedTestFull is a writer on a disk that fills after room bytes.
type isolatedTestFull struct {
	room int
	b    strings.Builder
}

func (w *isolatedTestFull) Write(p []byte) (int, error) {
	n := min(len(p), w.room)
	w.room -= n
	w.b.Write(p[:n])
	if n < len(p) {
		return n, &os.PathError{Op: "write", Path: logFile, Err: syscall.ENOSPC}
	}
	return n, nil
}

// TestIsolatedLogDiskFull checks that a log line that does not fit on the
// disk leaves part of itself, that nothing is written after it, and that
// once the reserved room is free the log ends with a line saying why.
func TestIsolatedLogDiskFull(t *testing.T) {
	w := &isolatedTestFull{room: 1000}
	log := newFileLog("test", w, 0)
	log.write("first")
	log.write(strings.Repeat("y", 200<<10))
	log.write("after")
	w.room = 1000
	log.end()
	log.write("after the end")
	want := "first\n" + strings.Repeat("y", 1000-len("first\n")) + "\n[test: the log is cut here: no space left on device]\n"
	if got := w.b.String(); got != want {
		t.Errorf("the log is %q, want %q", got, want)
	}
}

// TestIsolatedReserve checks that the room for the result is reserved
// while the handler runs, and freed before the result is written.
func TestIsolatedReserve(t *testing.T) {
	var size int64
	dir := isolatedTestRun(t, isolatedTestInput, func(ctx context.Context, in Input) (Output, error) {
		call, _ := CallFromContext(ctx)
		if fi, err := os.Stat(filepath.Join(filepath.Dir(call.TempDir), reserveFile)); err == nil {
			size = fi.Size()
		}
		var out Output
		return out, nil
	})
	if size != reserveBytes {
		t.Errorf("the reserve holds %d bytes while the handler runs, want %d", size, reserveBytes)
	}
	if _, err := os.Stat(filepath.Join(dir, reserveFile)); err == nil {
		t.Errorf("%s is left behind", reserveFile)
	}
}

// TestIsolatedSettings checks the environment variables that tune the
// waits, and that a refused value is said in the log.
func TestIsolatedSettings(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if s := dataSettingsFromEnv("test", getenv); s.doneWindow != defaultDoneWindow || s.lineTime != defaultLineTime || len(s.warnings) != 0 {
		t.Errorf("defaults: %+v", s)
	}
	env["DIREKTIV_FN_DONE_WINDOW"], env["DIREKTIV_FN_LOG_LINE_TIME"] = "0", "5ms"
	if s := dataSettingsFromEnv("test", getenv); s.doneWindow != 0 || s.lineTime != 5*time.Millisecond || len(s.warnings) != 0 {
		t.Errorf("0 and 5ms: %+v", s)
	}
	env["DIREKTIV_FN_DONE_WINDOW"], env["DIREKTIV_FN_LOG_LINE_TIME"] = "2", "-1ms"
	s := dataSettingsFromEnv("test", getenv)
	if s.doneWindow != defaultDoneWindow || s.lineTime != defaultLineTime || len(s.warnings) != 2 {
		t.Fatalf("refused values: %+v", s)
	}
	if want := `$DIREKTIV_FN_DONE_WINDOW="2" is not a duration from 0 to 1m0s`; !strings.Contains(s.warnings[0], want) {
		t.Errorf("warning %q, want %q", s.warnings[0], want)
	}
	env["DIREKTIV_FN_DONE_WINDOW"] = "2m"
	if s := dataSettingsFromEnv("test", getenv); s.doneWindow != defaultDoneWindow || len(s.warnings) != 2 {
		t.Errorf("2m: %+v", s)
	}
	s.doneWindow = 0
	dir := isolatedTestRunWith(t, isolatedTestInput, s, func(ctx context.Context, in Input) (Output, error) {
		var out Output
		return out, nil
	})
	log, err := os.ReadFile(filepath.Join(dir, logFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(log), s.warnings[0]+"\n"+s.warnings[1]+"\n") {
		t.Errorf("out.log = %q, want the warnings first", log)
	}
}
