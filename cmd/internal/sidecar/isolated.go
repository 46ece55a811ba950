package sidecar

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// The data folder's entries (contract §3).
const (
	inputFile  = "input.json"
	varsDir    = "vars"
	logFile    = "out.log"
	outputFile = "output.json"
	errorFile  = "error.json"
	doneFile   = "done"
)

// isolatedScopes are the folders of vars/out/.
var isolatedScopes = []string{"namespace", "workflow", "instance"}

// pollInterval is how often the data folder is looked at for out.log
// lines and done.
const pollInterval = 20 * time.Millisecond

// afterDoneGrace is how long the process may keep running after it
// created done before the emulator ends it (Direktiv ends the pod).
const afterDoneGrace = time.Second

// isolated runs an isolated function: one process per call.
type isolated struct{ opts Options }

// Close does nothing: no process outlives its call.
func (f *isolated) Close() error { return nil }

// Call prepares the data folder, runs the process and collects the results
// as Direktiv does when done appears.
func (f *isolated) Call(ctx context.Context, c Call) (*Result, error) {
	if err := checkCall(c); err != nil {
		return nil, err
	}
	aid := c.ActionID
	if aid == "" {
		aid = newActionID()
	}
	res := &Result{Mode: Isolated, ActionID: aid, Logs: []LogLine{}, Variables: []Variable{}, Notes: []string{}}

	data, err := os.MkdirTemp("", "direktiv-fn-data-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(data)
	if err := os.WriteFile(filepath.Join(data, inputFile), c.Input, 0o644); err != nil {
		return nil, err
	}
	if err := prepareDir(filepath.Join(data, varsDir), c.Files, isolatedScopes); err != nil {
		return nil, err
	}

	start := time.Now()
	env := environ(f.opts.Env, map[string]string{"DIREKTIV_DATA_DIR": data})
	proc, err := startProcess(f.opts.Command, f.opts.Dir, env, f.opts.OnOutput)
	if err != nil {
		return nil, &StartError{Err: err}
	}
	defer proc.kill()
	log := &logTail{path: filepath.Join(data, logFile), start: start, onLog: f.opts.OnLog}
	defer log.close()
	done := func() bool {
		_, err := os.Stat(filepath.Join(data, doneFile))
		return err == nil
	}

	ticker := time.NewTicker(pollInterval)
	defer ticker.Stop()
	deadline := time.NewTimer(f.opts.Timeout)
	defer deadline.Stop()
	var finished, exited, timedOut bool
	for !finished && !exited && !timedOut {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-ticker.C:
			log.poll()
			finished = done()
		case <-proc.exited:
			log.poll()
			finished, exited = done(), true
		case <-deadline.C:
			log.poll()
			finished, timedOut = done(), true
		}
	}
	res.Duration = time.Since(start)

	switch {
	case finished:
		log.flush()
		f.collect(res, data)
		if proc.running() {
			select {
			case <-proc.exited:
			case <-time.After(afterDoneGrace):
				proc.kill()
				res.note("the process was still running %s after it created done: Direktiv ends the pod once it has the results", afterDoneGrace)
			}
		}
		if n := log.lostLines(); n > 0 {
			res.note("%d line(s) written to out.log after done may be lost: Direktiv stops reading at done", n)
		}
	case exited:
		log.flush()
		res.fail(CodeSoftTimeout, "operation timed out")
		res.note("the process ended (%s) without creating done: Direktiv waits for the action's timeout (%s here), then fails the action with this catchable error", proc.status(), f.opts.Timeout)
	default:
		log.flush()
		res.TimedOut = true
		proc.kill()
		res.fail(CodeSoftTimeout, "operation timed out")
		res.note("the process was still running at the timeout of %s without creating done: nothing signals it; Direktiv fails the action with this catchable error", f.opts.Timeout)
	}
	if !finished {
		if n := countFiles(filepath.Join(data, varsDir, "out")); n > 0 {
			res.note("%d file(s) in vars/out/ are not turned into variables: Direktiv collects them only at done", n)
		}
	}
	<-proc.exited
	res.ExitStatus = proc.status()
	if finished && proc.err != nil && !strings.Contains(strings.Join(res.Notes, "\n"), "still running") {
		res.note("the process ended with %s after creating done: exit with status 0", res.ExitStatus)
	}
	if !log.opened() {
		res.note("out.log was never created: create it at start, even when there is nothing to log")
	}
	res.Logs = log.lines
	res.Output = proc.since(0)
	proc.noteOutput(res, 0)
	return res, nil
}

// collect reads the results as Direktiv does at done: the variables of
// vars/out/, output.json and error.json.
func (f *isolated) collect(res *Result, data string) {
	vars, err := harvest(filepath.Join(data, varsDir, "out"), isolatedScopes, isolatedVarName)
	res.Variables = vars
	var bad *badNameError
	switch {
	case errors.As(err, &bad):
		res.note("vars/%s: %q is not a variable name for Direktiv v0.5.0–v0.6.0 (%s; v0.4.x also accepted '-'): setting it fails, Direktiv's sidecar writes that to the pod's log, not the instance's, and goes on without it and the variables after it; the %d before it were set", bad.source, path.Base(bad.source), isolatedVarName, len(vars))
	case err != nil:
		res.note("collecting vars/out/ failed (%v): Direktiv logs that and goes on without the variables from there on", err)
	}
	output, err := os.ReadFile(filepath.Join(data, outputFile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		res.note("reading output.json: %v", err)
	}
	code, msg := f.readError(res, data)
	switch {
	case code != "":
		res.fail(code, msg)
		if msg == "" {
			res.note("error.json has a code but no message: always write both")
		}
	case msg != "":
		res.fail("", msg)
		res.note("error.json has a message but no code: the instance crashes (uncatchable); add a code to make it catchable")
	default:
		res.Outcome = Success
		res.Return, res.ReturnBase64 = storedReturn(output)
		switch {
		case output == nil:
			res.note("there is no output.json: Direktiv stores \"\"")
		case res.ReturnBase64:
			res.note("output.json is not JSON: Direktiv stores it base64-encoded as a string")
		}
	}
}

// readError reads error.json as Direktiv does: into a struct with fields
// Code and Message and no JSON tags, so keys match case-insensitively.
func (f *isolated) readError(res *Result, data string) (code, msg string) {
	b, err := os.ReadFile(filepath.Join(data, errorFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", ""
	}
	if err != nil {
		res.note("reading error.json: %v", err)
		return "", ""
	}
	var e struct {
		Code    string
		Message string
	}
	if err := json.Unmarshal(b, &e); err != nil {
		res.note("error.json is not a JSON object with code and message (%v): Direktiv ignores it", err)
		return "", ""
	}
	var keys map[string]json.RawMessage
	if json.Unmarshal(b, &keys) == nil {
		_, hasMsg := keys["msg"]
		if hasMsg && e.Message == "" {
			res.note("error.json has the key \"msg\", which Direktiv drops: the key is \"message\"")
		}
	}
	return e.Code, e.Message
}

// logTail reads out.log as it grows: each complete line is one log line.
type logTail struct {
	path  string
	start time.Time
	onLog func(LogLine)

	f       *os.File
	partial []byte
	lines   []LogLine
	// read is how many bytes were read.
	read int64
}

// poll reads what was appended to the log since the last poll.
func (t *logTail) poll() {
	if t.f == nil {
		f, err := os.Open(t.path)
		if err != nil {
			return
		}
		t.f = f
	}
	if t.lines == nil {
		t.lines = []LogLine{}
	}
	buf, err := io.ReadAll(t.f)
	if err != nil || len(buf) == 0 {
		return
	}
	t.read += int64(len(buf))
	t.partial = append(t.partial, buf...)
	for {
		i := bytes.IndexByte(t.partial, '\n')
		if i < 0 {
			break
		}
		t.emit(strings.TrimSuffix(string(t.partial[:i]), "\r"))
		t.partial = t.partial[i+1:]
	}
}

// flush reads the rest and emits an unterminated last line.
func (t *logTail) flush() {
	t.poll()
	if len(t.partial) > 0 {
		t.emit(string(t.partial))
		t.partial = nil
	}
	if t.lines == nil {
		t.lines = []LogLine{}
	}
}

func (t *logTail) emit(msg string) {
	line := LogLine{At: time.Since(t.start), Message: msg}
	t.lines = append(t.lines, line)
	if t.onLog != nil {
		t.onLog(line)
	}
}

// opened reports whether out.log was ever found.
func (t *logTail) opened() bool { return t.f != nil }

// close closes the log file.
func (t *logTail) close() {
	if t.f != nil {
		t.f.Close()
	}
}

// lostLines counts the lines appended to the log after the last read.
func (t *logTail) lostLines() int {
	if t.f == nil {
		return 0
	}
	rest, _ := io.ReadAll(t.f)
	n := bytes.Count(rest, []byte{'\n'})
	if len(rest) > 0 && rest[len(rest)-1] != '\n' {
		n++
	}
	return n
}
