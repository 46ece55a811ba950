package sidecar

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
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

// DefaultLineCost is how long Direktiv v0.6.0's sidecar takes by default,
// in the emulation, to send one out.log line to Direktiv: one gRPC call
// per line.
const DefaultLineCost = time.Millisecond

// DefaultExitWait is how long the emulator waits by default for an
// isolated process to exit after the sidecar reported its result before it
// ends it (Direktiv's pod runs until the process exits).
const DefaultExitWait = 10 * time.Second

// isolated runs an isolated function: one process per call.
type isolated struct{ opts Options }

// Close does nothing: no process outlives its call.
func (f *isolated) Close() error { return nil }

// Call prepares the data folder, runs the process and models Direktiv
// v0.6.0's sidecar beside it: from opts.WatchDelay after the start it
// tails out.log, sending one line at a time at opts.LineCost each, and
// watches for the creation of done; at the first creation it sees, it
// collects the results, reports them and stops at once.
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

	// Every creation of done, seen from the start: for the notes only.
	var mu sync.Mutex
	var creations []time.Duration
	start := time.Now()
	stopObserver, err := watchCreates(data, doneFile, func() {
		mu.Lock()
		creations = append(creations, time.Since(start))
		mu.Unlock()
	})
	if err != nil {
		return nil, err
	}
	observed := func() []time.Duration {
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Duration(nil), creations...)
	}
	defer stopObserver()

	side := &v060{data: data, opts: f.opts, start: start, seen: make(chan struct{}, 1)}
	defer side.stop()
	if f.opts.WatchDelay <= 0 {
		// Watching before the process starts: nothing is missed.
		if err := side.watch(); err != nil {
			return nil, err
		}
	}
	env := environ(f.opts.Env, map[string]string{"DIREKTIV_DATA_DIR": data})
	proc, err := startProcess(f.opts.Command, f.opts.Dir, env, f.opts.OnOutput)
	if err != nil {
		return nil, &StartError{Err: err}
	}
	defer proc.kill()
	var watchAt <-chan time.Time
	if f.opts.WatchDelay > 0 {
		t := time.NewTimer(f.opts.WatchDelay)
		defer t.Stop()
		watchAt = t.C
	}
	deadline := time.NewTimer(f.opts.Timeout)
	defer deadline.Stop()

	var finished, exited, timedOut bool
	for !finished && !exited && !timedOut {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-watchAt:
			if err := side.watch(); err != nil {
				return nil, err
			}
		case <-side.seen:
			finished = true
		case <-proc.exited:
			// A creation may still be queued.
			exited = true
			finished = side.stopWatch()
		case <-deadline.C:
			timedOut = true
			finished = side.stopWatch()
		}
	}

	switch {
	case finished:
		// The sidecar collects the results, reports them and stops: the
		// lines still to send are lost.
		f.collect(res, data)
		res.Duration = time.Since(start)
		if f.opts.DrainLog {
			res.Logs = side.finishTail()
		} else {
			res.Logs = side.stopTail()
		}
		side.noteLate(res, observed())
		if proc.running() {
			select {
			case <-proc.exited:
			case <-time.After(f.opts.ExitWait):
				proc.kill()
				res.note("the process was still running %s after the sidecar reported the result: Direktiv's pod (a Kubernetes Job) runs until the process exits; exit once done is created (the generated runtime does after its done window)", f.opts.ExitWait)
			}
		}
	case exited:
		res.Duration = time.Since(start)
		res.Logs = side.finishTail()
		res.fail(CodeSoftTimeout, "operation timed out")
		if seen := observed(); len(seen) > 0 {
			res.note("done was created (%d time(s), the last at %s) but never while the sidecar was watching (from %s on): Direktiv's sidecar reacts only to the creation of done once it watches, so it waits for the action's timeout (%s here), then fails the action with this catchable error; create done again for a while (the generated runtime does)", len(seen), round(seen[len(seen)-1]), round(f.opts.WatchDelay), f.opts.Timeout)
		} else {
			res.note("the process ended (%s) without creating done: Direktiv waits for the action's timeout (%s here), then fails the action with this catchable error", proc.status(), f.opts.Timeout)
		}
	default:
		res.Duration = time.Since(start)
		res.TimedOut = true
		proc.kill()
		res.Logs = side.finishTail()
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
	logName := filepath.Join(data, logFile)
	if _, err := os.Stat(logName); err != nil {
		res.note("out.log was never created: create it at start, even when there is nothing to log")
	} else if lost := countLines(logName) - len(res.Logs); lost > 0 {
		res.note("%d of the %d line(s) written to out.log did not reach Direktiv: its sidecar sends one line at a time (%s each here), a whole line only, and stops when it reports the result; the generated runtime gives it the time before it creates done", lost, lost+len(res.Logs), f.opts.LineCost)
	}
	if n := side.cutLines(); n > 0 {
		res.note("%d line(s) of out.log were longer than %d MiB: each is shown cut there", n, MaxLog>>20)
	}
	res.Output = proc.since(0)
	proc.noteOutput(res, 0)
	return res, nil
}

// round rounds d to the millisecond, for notes.
func round(d time.Duration) time.Duration { return d.Round(time.Millisecond) }

// collect reads the results as Direktiv does at done: the variables of
// vars/out/, output.json and error.json.
func (f *isolated) collect(res *Result, data string) {
	vars, err := harvest(filepath.Join(data, varsDir, "out"), isolatedScopes, isolatedVarName())
	res.Variables = vars
	var bad *badNameError
	switch {
	case errors.As(err, &bad):
		res.note("vars/%s: %q is not a variable name for Direktiv v0.5.0–v0.6.0 (%s; v0.4.x also accepted '-'): setting it fails, Direktiv's sidecar writes that to the pod's log, not the instance's, and goes on without it and the variables after it; the %d before it were set", bad.source, path.Base(bad.source), isolatedVarName(), len(vars))
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
