package fn

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// defaultDataDir is where Direktiv mounts the data folder it shares with
// the function.
const defaultDataDir = "/direktiv-data"

// The data folder's entries.
const (
	inputFile  = "input.json"  // the input, written by Direktiv
	varsDir    = "vars"        // the action's files, and out/ for variables
	logFile    = "out.log"     // the log, read by Direktiv as it grows
	outputFile = "output.json" // the output
	errorFile  = "error.json"  // the error, instead of the output
	doneFile   = "done"        // created last: Direktiv collects the results
)

// The sidecar of Direktiv v0.3.4 to v0.6.0 starts with the function,
// tails out.log sending one line at a time to Direktiv, and reports the
// result when it sees done created, then stops at once: it reacts only to
// the creation of done, and only once it has started watching. The runtime
// lives with that: it gives the sidecar time to send the log before it
// creates done, and creates done again for a while for a sidecar that
// started watching late. Both can be tuned in the image's environment.
const (
	// defaultDoneWindow is how long done keeps being created again after
	// its first creation; $DIREKTIV_FN_DONE_WINDOW changes it (0 creates it
	// once), up to maxDoneWindow.
	defaultDoneWindow = 2500 * time.Millisecond
	maxDoneWindow     = time.Minute
	// firstDoneGap is when done is created the second time, after the
	// first; each time after it is twice as late, and the last one is at the
	// window's end: at 10ms, 20ms, 40ms ... 1.28s, 2.5s.
	firstDoneGap = 10 * time.Millisecond
	// defaultLineTime is the time the sidecar is given to send one log line
	// before done is created; $DIREKTIV_FN_LOG_LINE_TIME changes it (0 does
	// not wait), up to maxLineTime.
	defaultLineTime = 2 * time.Millisecond
	maxLineTime     = 100 * time.Millisecond
	// tailDelay is the time the sidecar is given to notice a new line, on
	// top of lineTime per line.
	tailDelay = 20 * time.Millisecond
	// maxOutLogBytes and maxLogLines bound what a call writes to out.log, the
	// line that says the log is cut included: a log cannot fill the disk the
	// result needs, nor keep done waiting for long.
	maxOutLogBytes = 4 << 20
	maxLogLines    = 2000
	// reserveBytes is the room kept free for the result: reserveFile holds
	// it while the handler runs and is removed before the result is
	// written, so that a result of up to this size, or a short error.json,
	// fits when the log has filled the disk.
	reserveBytes = 64 << 10
	reserveFile  = ".direktiv-fn-reserve"
)

// RunIsolated runs f as an isolated function: it handles the one call
// whose data folder is $DIREKTIV_DATA_DIR (by default /direktiv-data), as
// RunIn does, and exits with status 1 when it cannot create done.
func RunIsolated[In, Out any](f Function[In, Out]) {
	if err := RunIn(dataDir(), f); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", f.ID, err)
		os.Exit(1)
	}
}

// RunIn handles the one call of f whose data folder is dir: it creates
// out.log, decodes input.json, runs the handler, writes output.json or
// error.json, then creates done, again for a while as
// $DIREKTIV_FN_DONE_WINDOW says (2.5s by default; 0 creates it once). It
// returns an error only when done cannot be created. Tests of a function
// call it.
func RunIn[In, Out any](dir string, f Function[In, Out]) error {
	return runData(dir, dataSettingsFromEnv(f.ID, os.Getenv), f.runner())
}

// dataDir returns the data folder: $DIREKTIV_DATA_DIR for local runs and
// tests, by default /direktiv-data.
func dataDir() string {
	if dir := os.Getenv("DIREKTIV_DATA_DIR"); dir != "" {
		return dir
	}
	return defaultDataDir
}

// dataSettings say how the runtime waits for Direktiv's sidecar.
type dataSettings struct {
	// doneWindow is how long done keeps being created again after its
	// first creation.
	doneWindow time.Duration
	// lineTime is the time the sidecar is given per log line before done
	// is created.
	lineTime time.Duration
	// warnings are written to the log first: the dataSettings that were
	// refused.
	warnings []string
}

// dataSettingsFromEnv reads $DIREKTIV_FN_DONE_WINDOW and
// $DIREKTIV_FN_LOG_LINE_TIME with getenv. A value that is not a duration
// within its bounds leaves the default, and a warning for the log of the
// function id.
func dataSettingsFromEnv(id string, getenv func(string) string) dataSettings {
	t := dataSettings{doneWindow: defaultDoneWindow, lineTime: defaultLineTime}
	for _, v := range []struct {
		name     string
		to       *time.Duration
		max, def time.Duration
	}{
		{"DIREKTIV_FN_DONE_WINDOW", &t.doneWindow, maxDoneWindow, defaultDoneWindow},
		{"DIREKTIV_FN_LOG_LINE_TIME", &t.lineTime, maxLineTime, defaultLineTime},
	} {
		s := getenv(v.name)
		if s == "" {
			continue
		}
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 || d > v.max {
			t.warnings = append(t.warnings, fmt.Sprintf("%s: $%s=%q is not a duration from 0 to %s (such as %s): using %s", id, v.name, s, v.max, v.def, v.def))
			continue
		}
		*v.to = d
	}
	return t
}

// runData handles the one call of r whose data folder is dir: it creates
// out.log (and writes warnings there), decodes input.json, runs the
// handler, writes output.json or error.json, then creates done as s says.
// When out.log cannot be created, the handler does not run: error.json
// says why. It returns an error only when done cannot be created.
func runData(dir string, s dataSettings, r runner) error {
	// Whatever the log leaves of the disk, the result has this room.
	reserve(r.id, filepath.Join(dir, reserveFile))
	f, err := os.OpenFile(filepath.Join(dir, logFile), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		// Without done, Direktiv would wait for the action's timeout.
		fmt.Fprintf(os.Stderr, "%s: %v\n", r.id, err)
		data, _ := marshalJSON(errorJSON{Code: r.failed, Message: fmt.Sprintf("cannot create %s: %v", logFile, err)})
		return finish(r, dir, errorFile, data, nil, s)
	}
	defer f.Close()
	log := newFileLog(r.id, f, s.lineTime)
	for _, w := range s.warnings {
		log.write(w)
	}
	ctx := withCall(context.Background(), &Call{TempDir: filepath.Join(dir, varsDir), log: log.write})

	name, data := result(ctx, dir, r)
	return finish(r, dir, name, data, log, s)
}

// reserve writes reserveBytes to name, or as much of it as fits; the
// function id starts the message of a failure.
func reserve(id, name string) {
	if err := writeFile(name, make([]byte, reserveBytes), 0o600); err != nil {
		fmt.Fprintf(os.Stderr, "%s: reserving room for the result: %v\n", id, err)
	}
}

// finish frees the reserved room and writes the result file name, then
// ends the log (log may be nil) and creates done. When name cannot be
// written (a full disk), it writes a short error.json instead, so that
// Direktiv reports a catchable error rather than waiting for the action's
// timeout. When not even that can be written it does not create done: with
// done and no result file Direktiv would store "" as a success, and a
// timeout says more than a false success.
func finish(r runner, dir, name string, data []byte, log *fileLog, s dataSettings) error {
	os.Remove(filepath.Join(dir, reserveFile))
	if err := writeAtomic(dir, name, data); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", r.id, err)
		// Shorter than most results, so it may fit where they did not.
		data, _ := marshalJSON(errorJSON{Code: r.failed, Message: fmt.Sprintf("cannot write %s: %v", name, err)})
		if err := writeAtomic(dir, errorFile, data); err != nil {
			return fmt.Errorf("no result could be written, so done is not created: %w", err)
		}
	}
	if log != nil {
		// The sidecar stops reading out.log when it sees done: give it
		// the time to send what is there.
		sleep(log.end())
	}
	return announce(r.id, filepath.Join(dir, doneFile), s.doneWindow)
}

// Tests replace these to run the runtime's waits on a clock of their own.
var (
	now   = time.Now
	sleep = time.Sleep
)

// announce creates done (name), then creates it again at doubling times
// after the first until window has passed, so that a sidecar that starts watching late
// sees a creation too. A sidecar already watching reports at the first
// creation and stops watching; the later ones cost two system calls each.
// It returns an error when done could not be created the first time, or
// the last; the function id starts the messages of the other failures.
func announce(id, name string, window time.Duration) error {
	if err := writeFile(name, nil, 0o644); err != nil {
		return err
	}
	if window <= 0 {
		return nil
	}
	start := now()
	// At most log2(maxDoneWindow/firstDoneGap)+1 rounds.
	for at := firstDoneGap; ; at *= 2 {
		last := at >= window
		if last {
			at = window
		}
		if wait := start.Add(at).Sub(now()); wait > 0 {
			sleep(wait)
		}
		err := recreate(name)
		if last {
			return err
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", id, err)
		}
	}
}

// recreate removes name and creates it again: an inotify CREATE event.
func recreate(name string) error {
	if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return writeFile(name, nil, 0o644)
}

// result runs the call of r and returns the file to write, output.json
// or error.json, and its content.
func result(ctx context.Context, dir string, r runner) (name string, data []byte) {
	input, err := os.ReadFile(filepath.Join(dir, inputFile))
	if err != nil {
		data, _ = marshalJSON(errorJSON{Code: r.invalid, Message: fmt.Sprintf("reading the input: %v", err)})
		return errorFile, data
	}
	out, fail := r.call(ctx, input)
	if fail == nil {
		return outputFile, out
	}
	// A struct of two strings always encodes.
	data, _ = marshalJSON(errorJSON{Code: fail.code, Message: fail.message})
	return errorFile, data
}

// errorJSON is the content of error.json. Direktiv reads the keys "code"
// and "message".
type errorJSON struct {
	Code    ErrorCode `json:"code"`
	Message string    `json:"message"`
}

// writeFile writes the data folder's files. Tests replace it to make
// writes fail.
var writeFile = os.WriteFile

// writeAtomic writes data to dir/name through a temporary file and a
// rename, so that Direktiv never reads a partial file. On failure it
// removes the temporary file.
func writeAtomic(dir, name string, data []byte) error {
	tmp := filepath.Join(dir, "."+name+".tmp")
	err := writeFile(tmp, data, 0o644)
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// fileLog writes the call's log messages to out.log, one line each, up to
// maxOutLogBytes and maxLogLines. It keeps the time by which the sidecar,
// given tailDelay to notice a line and lineTime to send it, has sent every
// line written. It is safe for
// concurrent use.
type fileLog struct {
	mu sync.Mutex
	// cut is the last line of a log cut at maxOutLogBytes or maxLogLines.
	cut      string
	id       string
	w        io.Writer
	lineTime time.Duration
	// bytes and lines count what was written.
	bytes, lines int
	// drained is when the sidecar has sent every line written so far.
	drained time.Time
	// closed is set once the log is cut, or a write failed: nothing more
	// is written.
	closed bool
	// failed is the error of a write that failed; partial is set when it
	// left part of a line.
	failed  error
	partial bool
}

// newFileLog returns the log of the function id writing to w.
func newFileLog(id string, w io.Writer, lineTime time.Duration) *fileLog {
	cut := fmt.Sprintf("[%s: the log is cut here: a call writes at most %d MiB and %d lines to out.log; the rest is dropped]\n", id, maxOutLogBytes>>20, maxLogLines)
	return &fileLog{cut: cut, id: id, w: w, lineTime: lineTime, drained: now()}
}

// write appends msg to the log as one line, or as several when it holds
// newlines. A message that does not fit whole under the bounds is not
// written: the log ends with the cut line instead, which the bounds leave room
// for.
func (l *fileLog) write(msg string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	text := strings.TrimSuffix(msg, "\n") + "\n"
	if l.bytes+len(text) > maxOutLogBytes-len(l.cut) || l.lines+strings.Count(text, "\n") > maxLogLines-1 {
		l.closed = true
		text = l.cut
	}
	if err := l.append(text); err != nil {
		l.closed, l.failed = true, err
		fmt.Fprintf(os.Stderr, "%s: writing the log: %v: %s\n", l.id, err, msg)
	}
}

// append writes text and counts its lines.
func (l *fileLog) append(text string) error {
	n, err := io.WriteString(l.w, text)
	if err != nil {
		l.partial = n > 0 && text[n-1] != '\n'
	}
	l.bytes += n
	lines := strings.Count(text[:n], "\n")
	l.lines += lines
	if lines > 0 {
		l.drained = maxTime(l.drained, now().Add(tailDelay)).Add(time.Duration(lines) * l.lineTime)
	}
	return err
}

// end closes the log and returns how long the sidecar still needs to send
// it. After a failed write, such as on a full disk, the log ends with a
// line that says why when it fits now, within the room left for the cut
// line.
func (l *fileLog) end() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.failed != nil {
		cause := l.failed
		if c := errors.Unwrap(cause); c != nil {
			cause = c // "no space left on device", without the path
		}
		text := fmt.Sprintf("[%s: the log is cut here: %v]\n", l.id, cause)
		if l.partial {
			text = "\n" + text
		}
		if len(text) <= len(l.cut) {
			l.append(text)
		}
	}
	l.closed = true
	return l.drained.Sub(now())
}

// maxTime returns the later of a and b.
func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
