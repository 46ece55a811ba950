// Package sidecar runs a Direktiv function locally the way Direktiv runs
// it: a clean-room emulation of Direktiv's side of the function contract
// (shared/direktiv-contract.md), for both modes.
//
// knative-workflow: the function is a long-running HTTP server. The
// emulator starts it with $PORT set to a free loopback port and
// $DIREKTIV_SIDECAR_URL pointing at its own /log and /var endpoints, waits
// for it to accept connections, creates the call's temp dir with
// out/{namespace,workflow,instance,file}, POSTs the input with Direktiv's
// headers, applies Direktiv's result rules, harvests out/ as variables, and
// at the action's timeout sends DELETE / and abandons the call after the
// cancel grace.
//
// isolated: one process per call, talking through a data folder
// ($DIREKTIV_DATA_DIR) with input.json, vars/, out.log, output.json,
// error.json and done. The emulator streams out.log as it grows and
// collects the results when done appears; a process that exits without done,
// or outlives the timeout, is reported as Direktiv would see it.
//
// The package prints nothing: logs and the process's output reach the
// caller through callbacks and the Result.
package sidecar

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Mode is how Direktiv runs the function.
type Mode string

// The modes, as the manifest spells them.
const (
	// Knative is an HTTP server called by Direktiv's sidecar (Direktiv
	// v0.6.1 and later; the result rules are those of v0.8.0 and later).
	Knative Mode = "knative-workflow"
	// Isolated is one process per call that talks through files
	// (Direktiv v0.3.4 to v0.6.0).
	Isolated Mode = "isolated"
)

// Direktiv's defaults.
const (
	// DefaultTimeout is an action's timeout when the workflow sets none.
	DefaultTimeout = 15 * time.Minute
	// DefaultCancelGrace is how long the knative sidecar waits for an
	// answer after DELETE / before it abandons the call.
	DefaultCancelGrace = 10 * time.Second
	// DefaultReadyTimeout is how long the knative sidecar dials the
	// function before it gives up.
	DefaultReadyTimeout = 2 * time.Minute
	// ReadyInterval is how often the knative sidecar dials the function.
	ReadyInterval = 250 * time.Millisecond
	// DefaultReadyDial bounds one dial of the readiness check.
	DefaultReadyDial = 250 * time.Millisecond
	// MaxBody is the largest input and output the knative sidecar accepts.
	MaxBody = 128 << 20
	// MaxLog is the largest log message the knative sidecar accepts.
	MaxLog = 4 << 20
)

// The error codes Direktiv itself produces.
const (
	// CodeContainerFailed is the code of a knative answer with a non-2xx
	// status and no error code (Direktiv v0.8.0 and later).
	CodeContainerFailed = "container failed"
	// CodeSoftTimeout is the code of an action that did not finish in time
	// when the engine, not the sidecar, notices (the isolated era).
	CodeSoftTimeout = "direktiv.cancels.timeout.soft"
)

// Options configures the emulator.
type Options struct {
	// Mode is the function's mode.
	Mode Mode
	// Command is the function's executable and its arguments.
	Command []string
	// Dir is the process's working folder; empty means the current one.
	Dir string
	// Env is the process's environment before the emulator adds its own
	// variables (PORT and DIREKTIV_SIDECAR_URL, or DIREKTIV_DATA_DIR); nil
	// means os.Environ().
	Env []string
	// Timeout is the action's timeout; 0 means DefaultTimeout.
	Timeout time.Duration
	// CancelGrace is the wait after DELETE / before a knative call is
	// abandoned; 0 means DefaultCancelGrace.
	CancelGrace time.Duration
	// ReadyTimeout bounds the wait for a knative function to accept
	// connections; 0 means DefaultReadyTimeout.
	ReadyTimeout time.Duration
	// ReadyInterval is how often a knative function is dialled until it
	// accepts connections; 0 means ReadyInterval (Direktiv's 250 ms).
	ReadyInterval time.Duration
	// StopGrace is how long a knative function may take to exit after
	// SIGTERM before it is killed; 0 means 5 seconds.
	StopGrace time.Duration
	// WatchDelay is how long after an isolated process starts the emulated
	// sidecar starts tailing out.log and watching for the creation of done;
	// a creation before it is not seen. Direktiv v0.6.0 starts its sidecar
	// beside the function, often later than a fast function.
	WatchDelay time.Duration
	// LineCost is how long the isolated sidecar takes to send one out.log
	// line to Direktiv; 0 means DefaultLineCost.
	LineCost time.Duration
	// DrainLog makes the isolated sidecar send every line of out.log before
	// it reports the result, unlike Direktiv v0.6.0's, which stops tailing
	// at once: for the tests that are about a call's outcome, not about the
	// sidecar's timing, so that a loaded machine loses no line.
	DrainLog bool
	// ExitWait bounds the wait for an isolated process to exit after the
	// sidecar reported its result; 0 means DefaultExitWait.
	ExitWait time.Duration
	// Variables are the variables the function can read through the
	// sidecar's /var endpoint (knative).
	Variables []Variable
	// OnLog, when set, receives each log line of a call as it arrives.
	OnLog func(LogLine)
	// OnOutput, when set, receives each line the process writes to stdout
	// or stderr ("stdout" or "stderr"): Direktiv does not collect them.
	OnOutput func(stream, line string)
}

// Call is one call of the function.
type Call struct {
	// Input is the action's input, JSON.
	Input []byte
	// ActionID identifies the call; empty means a random id.
	ActionID string
	// Iterator is the branch index in a foreach or parallel state.
	Iterator int
	// Files are the action's files, placed in the temp dir (knative) or in
	// vars/ (isolated) under their names before the call.
	Files []File
}

// File is one of an action's files.
type File struct {
	// Name is the file's path relative to the temp dir: the file's "as",
	// or its key.
	Name string
	// Data is its content.
	Data []byte
}

// Outcome is what Direktiv makes of a call.
type Outcome string

// The outcomes.
const (
	// Success: Direktiv stores Result.Return at .return.
	Success Outcome = "success"
	// Catchable: the workflow can catch Result.Error by its code.
	Catchable Outcome = "error"
	// Crash: an uncatchable error; the instance fails.
	Crash Outcome = "crash"
)

// Result is what Direktiv would see of one call.
type Result struct {
	// Mode is the function's mode.
	Mode Mode `json:"mode"`
	// ActionID is the call's action id.
	ActionID string `json:"actionId"`
	// Outcome says whether the call succeeded, failed with a catchable
	// error, or crashed the instance.
	Outcome Outcome `json:"outcome"`
	// Return is what Direktiv stores at .return on success: the output if
	// it is JSON, else the output base64-encoded as a JSON string ("" for
	// no output).
	Return json.RawMessage `json:"return,omitempty"`
	// ReturnBase64 is true when the output was not JSON.
	ReturnBase64 bool `json:"returnBase64,omitempty"`
	// Error is the error of a Catchable or Crash outcome.
	Error *CallError `json:"error,omitempty"`
	// Logs are the call's log lines, in arrival order.
	Logs []LogLine `json:"logs"`
	// WatchDelay is how long after an isolated process starts the emulated
	// sidecar starts tailing out.log and watching for the creation of done;
	// a creation before it is not seen. Direktiv v0.6.0 starts its sidecar
	// beside the function, often later than a fast function.
	WatchDelay time.Duration
	// LineCost is how long the isolated sidecar takes to send one out.log
	// line to Direktiv; 0 means DefaultLineCost.
	LineCost time.Duration
	// ExitWait bounds the wait for an isolated process to exit after the
	// sidecar reported its result; 0 means DefaultExitWait.
	ExitWait time.Duration
	// Variables are the variables the call set, in the order Direktiv sets
	// them: the writes to /var during the call, then the entries of out/.
	Variables []Variable `json:"variables"`
	// Output are the lines the process wrote to stdout and stderr during
	// the call. Direktiv does not collect them.
	Output []OutputLine `json:"output"`
	// TimedOut is true when the call overran its timeout.
	TimedOut bool `json:"timedOut,omitempty"`
	// Cancel describes the DELETE / sent at the timeout (knative).
	Cancel *Cancel `json:"cancel,omitempty"`
	// HTTPStatus is the status of the function's answer (knative).
	HTTPStatus int `json:"httpStatus,omitempty"`
	// ExitStatus describes how the process ended (isolated), or "" when
	// it is still running (knative).
	ExitStatus string `json:"exitStatus,omitempty"`
	// Duration is how long the call took.
	Duration time.Duration `json:"durationNs"`
	// Notes explain how Direktiv reaches the outcome when it is not
	// obvious, and what of the contract the function did not follow.
	Notes []string `json:"notes"`
}

// CallError is a call's error as Direktiv sees it.
type CallError struct {
	// Code is the error code; empty for a crash.
	Code string `json:"code,omitempty"`
	// Message is the error message.
	Message string `json:"message"`
	// Catchable is true when a workflow can catch the error.
	Catchable bool `json:"catchable"`
}

// LogLine is one line of the instance log.
type LogLine struct {
	// At is the time since the call started.
	At time.Duration `json:"atNs"`
	// Message is the logged text.
	Message string `json:"message"`
}

// OutputLine is a line the process wrote to stdout or stderr.
type OutputLine struct {
	// Stream is "stdout" or "stderr".
	Stream string `json:"stream"`
	// Text is the line, without its newline.
	Text string `json:"text"`
}

// Variable is a Direktiv variable.
type Variable struct {
	// Scope is namespace, workflow, instance (or file, knative).
	Scope string `json:"scope"`
	// Name is the variable's name.
	Name string `json:"name"`
	// Data is its content.
	Data []byte `json:"data"`
	// TarGz is true when a folder of out/ became the variable, tar.gz
	// encoded.
	TarGz bool `json:"tarGz,omitempty"`
	// Source says how the call set it: "out/instance/name" or "/var".
	Source string `json:"source,omitempty"`
}

// Cancel describes the DELETE / the knative sidecar sent at the timeout.
type Cancel struct {
	// Status is the function's answer to DELETE /, 0 if none.
	Status int `json:"status"`
	// Error is why DELETE / got no answer, if it did not.
	Error string `json:"error,omitempty"`
	// Answered is true when the call answered within the grace.
	Answered bool `json:"answered"`
	// After is how long the call took to answer after DELETE /.
	After time.Duration `json:"afterNs,omitempty"`
}

// StartError is a failure to build or start the function: Direktiv would
// never get to call it.
type StartError struct {
	// Err says what failed.
	Err error
	// Output is what the process or the build wrote, if anything, as
	// text: the process's last lines, each after its stream and ": ".
	Output string
	// Lines are the same lines, each with its stream: "stdout" or
	// "stderr" for the process, "build" for the compiler's output.
	Lines []OutputLine
}

// Error returns Err's message.
func (e *StartError) Error() string { return e.Err.Error() }

// Unwrap returns Err.
func (e *StartError) Unwrap() error { return e.Err }

// Function is a function ready to be called: a running server (knative)
// or a command to run per call (isolated). Close it when done.
type Function interface {
	// Call runs one call and returns what Direktiv would see. An error is
	// a failure of the emulator or of the process's start (*StartError),
	// never of the call.
	Call(ctx context.Context, c Call) (*Result, error)
	// Close stops the function: SIGTERM, then a kill after StopGrace.
	Close() error
}

// Start prepares the function: for knative-workflow it starts the server
// and waits until it accepts connections.
func Start(ctx context.Context, opts Options) (Function, error) {
	if len(opts.Command) == 0 {
		return nil, errors.New("no command to run")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.CancelGrace <= 0 {
		opts.CancelGrace = DefaultCancelGrace
	}
	if opts.ReadyTimeout <= 0 {
		opts.ReadyTimeout = DefaultReadyTimeout
	}
	if opts.ReadyInterval <= 0 {
		opts.ReadyInterval = ReadyInterval
	}
	if opts.LineCost <= 0 {
		opts.LineCost = DefaultLineCost
	}
	if opts.ExitWait <= 0 {
		opts.ExitWait = DefaultExitWait
	}
	if opts.StopGrace <= 0 {
		opts.StopGrace = stopGrace
	}
	switch opts.Mode {
	case Knative:
		return startKnative(ctx, opts)
	case Isolated:
		return &isolated{opts: opts}, nil
	}
	return nil, fmt.Errorf("unknown mode %q", opts.Mode)
}

// checkCall refuses what Direktiv never sends: an empty or non-JSON input.
func checkCall(c Call) error {
	if len(c.Input) == 0 {
		return errors.New("empty input: Direktiv always sends JSON (the action's input, or the state data)")
	}
	if !json.Valid(c.Input) {
		return errors.New("the input is not JSON: Direktiv always sends JSON")
	}
	return nil
}

// Run starts the function, runs one call and stops it.
func Run(ctx context.Context, opts Options, c Call) (*Result, error) {
	fn, err := Start(ctx, opts)
	if err != nil {
		return nil, err
	}
	res, err := fn.Call(ctx, c)
	if cerr := fn.Close(); err == nil && cerr != nil && res != nil {
		res.Notes = append(res.Notes, "stopping the function: "+cerr.Error())
	}
	return res, err
}

// newActionID returns a random action id shaped like Direktiv's (a UUID).
func newActionID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// storedReturn is what Direktiv stores for an output: JSON as is, an empty
// output as "", anything else base64-encoded as a string.
func storedReturn(out []byte) (json.RawMessage, bool) {
	if len(out) == 0 {
		return json.RawMessage(`""`), false
	}
	if json.Valid(out) {
		return json.RawMessage(out), false
	}
	b, _ := json.Marshal(out) // []byte encodes as a base64 string
	return b, true
}

// fail sets the result's error from Direktiv's rule: a code makes it
// catchable; a message alone crashes the instance.
func (r *Result) fail(code, msg string) {
	if code != "" {
		r.Outcome = Catchable
		r.Error = &CallError{Code: code, Message: msg, Catchable: true}
		return
	}
	r.Outcome = Crash
	r.Error = &CallError{Message: msg}
}

// note adds a note to the result.
func (r *Result) note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}
