package cmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/direktiv-fn/direktiv-fn/cmd/internal/sidecar"
	"github.com/direktiv-fn/direktiv-fn/cmd/internal/workflow"
	"github.com/direktiv-fn/direktiv-fn/generator"
	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// The exit codes of invoke, beside ExitOK, ExitFailure and ExitUsage.
const (
	// ExitCatchable means the call failed with an error a workflow can
	// catch.
	ExitCatchable = 3
	// ExitCrash means the call failed with an uncatchable error: the
	// instance would crash.
	ExitCrash = 4
	// ExitStartFailed means the function could not be built or started.
	ExitStartFailed = 5
)

// The flags of invoke.
const (
	flagInput        = "input"
	flagTimeout      = "timeout"
	flagJSON         = "json"
	flagBinary       = "binary"
	flagCancelGrace  = "cancel-grace"
	flagReadyTimeout = "ready-timeout"
	flagFile         = "file"
	flagVar          = "var"
	flagIterator     = "iterator"
	flagWatchDelay   = "watch-delay"
	flagLineCost     = "log-line-cost"
)

// exitStatus ends a command with code once the command has printed its
// outcome itself: nothing more is printed.
type exitStatus struct{ code int }

// Error names the exit code.
func (e exitStatus) Error() string { return "exit status " + strconv.Itoa(e.code) }

// exitStatusOf returns the code of an exitStatus error.
func exitStatusOf(err error) (int, bool) {
	var es exitStatus
	if errors.As(err, &es) {
		return es.code, true
	}
	return 0, false
}

// invokeFlags holds the flag values of one invoke run.
type invokeFlags struct {
	dir, input, binary    string
	timeout, grace, ready durationFlag
	watchDelay            delayFlag
	lineCost              durationFlag
	json                  bool
	files, vars           []string
	iterator              int
}

func (a *app) invokeCmd() *cobra.Command {
	f := &invokeFlags{
		timeout: durationFlag(sidecar.DefaultTimeout),
		grace:   durationFlag(sidecar.DefaultCancelGrace),
		ready:   durationFlag(sidecar.DefaultReadyTimeout),
		// watchDelay is 0: the sidecar watches from the start.
		lineCost: durationFlag(sidecar.DefaultLineCost),
	}
	c := &cobra.Command{
		Use:   "invoke",
		Short: "Run the function locally, exactly the way Direktiv runs it",
		Long: `Build the function and call it once the way Direktiv does, with an emulated
Direktiv sidecar on loopback, then print what Direktiv would make of the call.

knative-workflow: the function is started with $PORT (a free port) and
$DIREKTIV_SIDECAR_URL (the emulated /log and /var endpoints); once it accepts
connections it gets POST / with the input and the headers Direktiv-ActionID,
Direktiv-TempDir (a folder with out/{namespace,workflow,instance,file}),
Direktiv-Iterator and Content-Type: application/json. At the timeout it gets
DELETE /, and the call is abandoned --cancel-grace later (10s in Direktiv).

isolated: the function runs once with $DIREKTIV_DATA_DIR, a folder holding
input.json and vars/, beside a model of Direktiv v0.6.0's sidecar: from
--watch-delay after the start it tails out.log, sending one line at a time
(--log-line-cost each), and watches for done; at the first creation of done
it sees (inotify CREATE), it reads output.json and error.json, reports and
stops at once: the lines it has not sent yet are lost, as with Direktiv. A
process that exits without done being seen, or outlives the timeout, fails as
Direktiv would report it.

The input is --input (a file, or - for stdin), else a sample derived from the
schema (its examples, then its defaults, then a minimal valid value). The
function's log is printed live to stderr, marked "log"; its own stdout and
stderr, which Direktiv does not collect, are marked "stdout" and "stderr".
Then stdout gets the outcome: what Direktiv stores at .return, or the error
code and message and whether a workflow can catch it, and the variables the
call set; a .return or an error message over 64 KiB is cut there. With
--json, stdout gets one JSON object instead, nothing cut and nothing printed
live. Its fields:

  function, mode   the function's id and mode
  actionId         the call's action id
  input            the input sent; inputSource: sample, file or stdin
  outcome          success, error (catchable), crash or start-failed
  exitCode         invoke's exit code, as below
  return           what Direktiv stores at .return (success only);
                   returnBase64 is true when the output was not JSON and
                   Direktiv stores it as this base64 string
  error            {code, message, catchable}: the call's error, or why the
                   function did not build or start
  logs             [{atMs, message}]: the instance log lines
  variables        [{scope, name, source, size, tarGz, text, data}]: the
                   variables the call set, from /var or out/; data is the
                   content in base64, text the content when it is UTF-8
  output           [{stream, text}]: the process's stdout and stderr lines,
                   which Direktiv does not collect
  startOutput      [{stream, text}]: what a failed build (stream "build") or
                   start wrote (start-failed only)
  timedOut         true when the call overran --timeout
  cancel           {status, error, answered, afterMs}: the DELETE / sent at
                   the timeout (knative-workflow)
  httpStatus       the status of the function's answer (knative-workflow)
  exitStatus       how the process ended (isolated, or a crash)
  buildMs, callMs  how long the build and the call took
  notes            what explains the outcome, and what of the contract the
                   function did not follow

Exit codes:
  0    success: Direktiv stores the output at .return
  1    failure: not a function repository, unreadable input, ...
  2    usage error: unknown flag, invalid value, input that is not JSON
  3    the call failed with an error a workflow can catch
  4    the call failed with an uncatchable error: the instance crashes
  5    the function could not be built or started
  130  interrupted (Ctrl-C or SIGTERM)`,
		Example: `  direktiv-fn invoke
  direktiv-fn invoke --input input.json --timeout 30s
  echo '{"name":"x"}' | direktiv-fn invoke --input - --json
  direktiv-fn invoke --dir ./myfunc --file data.csv=./testdata/data.csv`,
		Args: noArgs,
		RunE: a.runE(func(c *cobra.Command, _ []string) error {
			return a.invoke(c, f)
		}),
	}
	fl := c.Flags()
	addDirFlag(fl, &f.dir)
	fl.StringVar(&f.input, flagInput, "", "the input: a JSON `file`, or - for stdin (default: a sample derived from the schema)")
	fl.Var(&f.timeout, flagTimeout, "the action's timeout, as 30s, 500ms or ISO-8601 in whole numbers as Direktiv takes it (PT30S, P1DT2H; not PT0.5S) (the default is Direktiv's)")
	fl.BoolVar(&f.json, flagJSON, false, "print one JSON object with the outcome, the logs and the variables; nothing live")
	fl.StringVar(&f.binary, flagBinary, "", "run this already built function `binary` instead of building the repository")
	fl.Var(&f.grace, flagCancelGrace, "knative-workflow: how long to wait for an answer after DELETE / before abandoning the call")
	fl.Var(&f.ready, flagReadyTimeout, "knative-workflow: how long to wait for the function to accept connections")
	fl.StringArrayVar(&f.files, flagFile, nil, "an action file, as `NAME=PATH`: PATH is copied into the temp dir (or vars/) as NAME (repeatable)")
	fl.StringArrayVar(&f.vars, flagVar, nil, "a variable the function can read through /var, as `SCOPE/NAME=PATH` (knative-workflow; repeatable)")
	fl.Var(&f.watchDelay, flagWatchDelay, "isolated: how long after the function starts the sidecar starts watching for done and tailing out.log (Direktiv starts both at once; a fast function can be ahead)")
	fl.Var(&f.lineCost, flagLineCost, "isolated: how long the sidecar takes to send one out.log line to Direktiv")
	fl.IntVar(&f.iterator, flagIterator, 0, "knative-workflow: the Direktiv-Iterator header (the branch of a foreach or parallel state)")
	c.RegisterFlagCompletionFunc(flagDir, func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})
	return c
}

// durationFlag is a duration given as Go writes it (30s, 1m30s) or as
// ISO-8601 (PT30S), as a workflow's timeout is written.
type durationFlag time.Duration

// String formats the duration as Go does (1m30s).
func (d *durationFlag) String() string { return time.Duration(*d).String() }

// Type names the flag's value type in the help.
func (d *durationFlag) Type() string { return "duration" }

// Set parses a Go or ISO-8601 duration.
func (d *durationFlag) Set(s string) error {
	v, err := parseDuration(s)
	if err != nil {
		return err
	}
	if v <= 0 {
		return fmt.Errorf("%q is not a positive duration", s)
	}
	*d = durationFlag(v)
	return nil
}

// delayFlag is a durationFlag that may be 0.
type delayFlag time.Duration

// String formats the duration as Go does (1m30s).
func (d *delayFlag) String() string { return time.Duration(*d).String() }

// Type names the flag's value type in the help.
func (d *delayFlag) Type() string { return "duration" }

// Set parses a Go or ISO-8601 duration, 0 or more.
func (d *delayFlag) Set(s string) error {
	v, err := parseDuration(s)
	if err != nil {
		return err
	}
	if v < 0 {
		return fmt.Errorf("%q is a negative duration", s)
	}
	*d = delayFlag(v)
	return nil
}

// parseDuration reads "30s", "1m30s" or the ISO-8601 "PT30S", "P1DT2H" as
// Direktiv accepts it for an action's timeout: whole numbers only.
func parseDuration(s string) (time.Duration, error) {
	if !strings.HasPrefix(strings.ToUpper(s), "P") {
		return time.ParseDuration(s)
	}
	if !workflow.ValidDuration(strings.ToUpper(s)) {
		if strings.ContainsAny(s, ".,") {
			// Direktiv parses durations with whole numbers only, and
			// refuses a workflow whose action timeout has a fraction.
			return 0, fmt.Errorf("%q: Direktiv's ISO-8601 durations take whole numbers only (PT1S, not PT0.5S); for a shorter local timeout write it as Go does, such as 500ms", s)
		}
		return 0, fmt.Errorf("%q is not a duration such as 30s or PT30S", s)
	}
	var total time.Duration
	inTime := false
	num := ""
	for _, r := range strings.ToUpper(s)[1:] {
		switch {
		case r == 'T':
			inTime = true
		case r >= '0' && r <= '9':
			num += string(r)
		default:
			n, _ := strconv.Atoi(num)
			num = ""
			unit := map[rune]time.Duration{'Y': 365 * 24 * time.Hour, 'W': 7 * 24 * time.Hour, 'D': 24 * time.Hour}[r]
			switch {
			case r == 'M' && !inTime:
				unit = 30 * 24 * time.Hour
			case r == 'H':
				unit = time.Hour
			case r == 'M':
				unit = time.Minute
			case r == 'S':
				unit = time.Second
			}
			total += time.Duration(n) * unit
		}
	}
	return total, nil
}

// invoke is the body of the invoke command.
func (a *app) invoke(c *cobra.Command, f *invokeFlags) error {
	ctx := c.Context()
	p, err := loadProject(f.dir)
	if err != nil {
		return err
	}
	m := p.manifest
	input, source, err := a.invokeInput(p, f.input)
	if err != nil {
		return err
	}
	files, err := readFileFlags(f.files)
	if err != nil {
		return err
	}
	vars, err := readVarFlags(f.vars, sidecar.Mode(m.Mode))
	if err != nil {
		return err
	}

	live := &liveOutput{w: a.stderr, quiet: f.json}
	report := &invokeReport{Function: m.ID, Mode: string(m.Mode), Input: json.RawMessage(input), InputSource: source}

	binary := f.binary
	if binary == "" {
		tmp, err := os.MkdirTemp("", "direktiv-fn-build-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		live.status("building %s (go build, CGO_ENABLED=0) ...", p.dir)
		start := time.Now()
		binary, err = sidecar.Build(ctx, p.dir, tmp, nil)
		report.BuildMs = millis(time.Since(start))
		if err != nil {
			return a.startFailed(c, f, report, err)
		}
	} else if binary, err = filepath.Abs(binary); err != nil {
		return err
	}

	live.status("calling %s (%s) with the %s input: %s", m.ID, m.Mode, source, shortJSON(input, 200))
	if !f.json {
		live.status(`"log" lines are the instance log; "stdout" and "stderr" are not collected by Direktiv`)
	}
	opts := sidecar.Options{
		Mode:         sidecar.Mode(m.Mode),
		Command:      []string{binary},
		Dir:          p.dir,
		Timeout:      time.Duration(f.timeout),
		CancelGrace:  time.Duration(f.grace),
		ReadyTimeout: time.Duration(f.ready),
		WatchDelay:   time.Duration(f.watchDelay),
		LineCost:     time.Duration(f.lineCost),
		Variables:    vars,
		OnLog:        func(l sidecar.LogLine) { live.line("log", l.Message) },
		OnOutput:     func(stream, line string) { live.line(stream, line) },
	}
	res, err := sidecar.Run(ctx, opts, sidecar.Call{Input: input, Iterator: f.iterator, Files: files})
	if err != nil {
		var se *sidecar.StartError
		if errors.As(err, &se) {
			return a.startFailed(c, f, report, err)
		}
		return err
	}
	report.fill(res)
	out := c.OutOrStdout()
	if f.json {
		if err := writeJSONReport(out, report); err != nil {
			return err
		}
	} else {
		printOutcome(out, report)
	}
	if report.ExitCode != ExitOK {
		return exitStatus{report.ExitCode}
	}
	return nil
}

// invokeInput returns the call's input and where it comes from: the
// --input file, stdin, or a sample derived from the schema.
func (a *app) invokeInput(p *project, name string) ([]byte, string, error) {
	var data []byte
	var err error
	source := "sample"
	switch name {
	case "":
		schemaName := filepath.Join(p.dir, filepath.FromSlash(p.manifest.Schema))
		raw, err := os.ReadFile(schemaName)
		if err != nil {
			return nil, "", fmt.Errorf("cannot read the schema named in %s: %w", config.ManifestFile, err)
		}
		doc, err := schema.Parse(schemaName, raw)
		if err != nil {
			return nil, "", fmt.Errorf("cannot derive a sample input from %s (give --input):\n%w", schemaName, err)
		}
		data, err = generator.SampleInputJSON(doc)
		if err != nil {
			return nil, "", fmt.Errorf("cannot derive a sample input from %s (give --input):\n%w", schemaName, err)
		}
		return data, source, nil
	case "-":
		source = "stdin"
		data, err = io.ReadAll(a.stdin)
	default:
		source = "file"
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, "", fmt.Errorf("cannot read the input: %w", err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		where := ""
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line, col := lineCol(data, se.Offset)
			where = fmt.Sprintf(" at line %d, column %d", line, col)
		}
		return nil, "", usagef("--%s %s is not valid JSON%s: %v (Direktiv always sends JSON)", flagInput, name, where, err)
	}
	return data, source, nil
}

// reservedFileNames are the names an action file cannot take: the entries
// Direktiv creates in the temp dir (knative) or vars/ (isolated).
var reservedFileNames = map[string]bool{"out": true}

// readFileFlags reads the --file NAME=PATH flags.
func readFileFlags(specs []string) ([]sidecar.File, error) {
	var files []sidecar.File
	for _, s := range specs {
		name, path, ok := strings.Cut(s, "=")
		if !ok || name == "" || path == "" {
			return nil, usagef("--%s %q: want NAME=PATH", flagFile, s)
		}
		// Direktiv names an action's file after its key or "as": one name
		// in the temp dir, never a path out of it.
		if strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
			return nil, usagef("--%s %q: NAME must be a plain file name, without / or \\", flagFile, s)
		}
		if reservedFileNames[name] {
			return nil, usagef("--%s %q: NAME %q is reserved: out/ is the folder whose files become variables", flagFile, s, name)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("--%s %s: %w", flagFile, s, err)
		}
		files = append(files, sidecar.File{Name: name, Data: data})
	}
	return files, nil
}

// readVarFlags reads the --var SCOPE/NAME=PATH flags; NAME must be a
// variable name of mode's Direktiv era.
func readVarFlags(specs []string, mode sidecar.Mode) ([]sidecar.Variable, error) {
	var vars []sidecar.Variable
	for _, s := range specs {
		id, path, ok := strings.Cut(s, "=")
		scope, name, ok2 := strings.Cut(id, "/")
		if !ok || !ok2 || name == "" || path == "" {
			return nil, usagef("--%s %q: want SCOPE/NAME=PATH", flagVar, s)
		}
		switch scope {
		case "namespace", "workflow", "instance":
		default:
			return nil, usagef("--%s %q: the scope is namespace, workflow or instance", flagVar, s)
		}
		if !sidecar.ValidVarName(mode, name) {
			return nil, usagef("--%s %q: %q is not a Direktiv variable name (%s)", flagVar, s, name, sidecar.VarNameRule(mode))
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("--%s %s: %w", flagVar, s, err)
		}
		vars = append(vars, sidecar.Variable{Scope: scope, Name: name, Data: data})
	}
	return vars, nil
}

// startFailed reports a failure to build or start the function.
func (a *app) startFailed(c *cobra.Command, f *invokeFlags, report *invokeReport, err error) error {
	if errors.Is(err, c.Context().Err()) && c.Context().Err() != nil {
		return err
	}
	var se *sidecar.StartError
	output := ""
	if errors.As(err, &se) {
		output = se.Output
		report.StartOutput = se.Lines
	}
	report.Outcome = "start-failed"
	report.Error = &invokeError{Message: err.Error()}
	report.ExitCode = ExitStartFailed
	if f.json {
		if werr := writeJSONReport(c.OutOrStdout(), report); werr != nil {
			return werr
		}
	} else {
		fmt.Fprintf(a.stderr, "Error: %v\n", err)
		if output != "" {
			fmt.Fprintf(a.stderr, "%s\n", strings.TrimRight(output, "\n"))
		}
	}
	return exitStatus{ExitStartFailed}
}

// liveOutput prints progress, the log and the process's output to stderr
// as they come, one whole line at a time.
type liveOutput struct {
	mu    sync.Mutex
	w     io.Writer
	quiet bool
}

// status prints a progress line.
func (l *liveOutput) status(format string, args ...any) {
	if l.quiet {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "direktiv-fn: "+format+"\n", args...)
}

// line prints a message marked with its stream; a message of several
// lines gets the mark on each.
func (l *liveOutput) line(stream, msg string) {
	if l.quiet {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range strings.Split(strings.TrimRight(msg, "\n"), "\n") {
		fmt.Fprintf(l.w, "%-6s | %s\n", stream, s)
	}
}

// shortJSON shortens b to one line of at most n bytes, for a progress line.
func shortJSON(b []byte, n int) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > n {
		s = s[:n] + "..."
	}
	return s
}

// millis converts a duration to milliseconds.
func millis(d time.Duration) float64 {
	return float64(d.Round(10*time.Microsecond)) / float64(time.Millisecond)
}

// lineCol returns the 1-based line and column of the byte before offset
// (encoding/json's offsets count the offending byte), in characters.
func lineCol(data []byte, offset int64) (int, int) {
	before := data[:max(min(int(offset), len(data))-1, 0)]
	line := bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[start:]) + 1
}
