// Package cmd holds direktiv-fn's cobra commands: it turns flags, environment
// variables and prompts into a generator configuration, writes the result and
// prints what happened. It is the only package that talks to the terminal.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/AlecAivazis/survey/v2/terminal"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// Exit codes.
const (
	// ExitOK means the command did what it was asked.
	ExitOK = 0
	// ExitFailure means the command failed or refused to run: an unusable
	// schema, a folder that is not empty, a write error.
	ExitFailure = 1
	// ExitUsage means the command line was wrong: an unknown command or flag,
	// a missing or invalid argument, an invalid flag or environment value.
	ExitUsage = 2
	// ExitInterrupted means the user pressed Ctrl-C (at a prompt, or before
	// anything was written).
	ExitInterrupted = 130
)

// exitCodesHelp documents the exit codes in --help.
const exitCodesHelp = `Exit codes:
  0    success
  1    failure: unusable schema, target folder not empty, write error, ...
  2    usage error: unknown command or flag, missing or invalid argument or value
  130  interrupted (Ctrl-C or SIGTERM); nothing was written`

// Main runs direktiv-fn with args and returns the process exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{
		stdin:     stdin,
		stdout:    stdout,
		stderr:    stderr,
		lookupEnv: os.LookupEnv,
		version:   Version(),
		self:      thisInvocation(),
	}
	return a.main(ctx, args)
}

// app is one run of direktiv-fn: its streams and everything a test replaces.
// A fresh app and a fresh command tree are built for every run.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// lookupEnv reads an environment variable (os.LookupEnv outside tests).
	lookupEnv func(string) (string, bool)
	// terminal reports whether stdin and stdout are terminals; nil means
	// check the streams.
	terminal func() bool
	// prompter asks the questions; nil means survey on stdin and stdout.
	prompter Prompter
	// version is the generator version, recorded in the manifest.
	version string
	// self is how the user runs direktiv-fn, for the commands it prints.
	self invocation
	// started is set when a command's RunE begins: an error before that is
	// a command-line error.
	started bool
}

// usageError marks an error in how the command was called (exit code 2).
type usageError struct{ err error }

// Error returns the wrapped error's message.
func (e usageError) Error() string { return e.err.Error() }

// Unwrap returns the wrapped error.
func (e usageError) Unwrap() error { return e.err }

// usagef returns a usage error.
func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

func (a *app) main(ctx context.Context, args []string) int {
	root := a.rootCmd()
	root.SetArgs(args)
	c, err := root.ExecuteContextC(ctx)
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, terminal.InterruptErr) || errors.Is(err, context.Canceled) {
		if errors.Is(err, terminal.InterruptErr) {
			fmt.Fprintln(a.stderr) // end the prompt's line
		}
		switch {
		case c == nil || c.Name() == "invoke" || c.Name() == "lint" || c.Name() == "build":
			fmt.Fprintln(a.stderr, "Interrupted.")
		default:
			// The commands that write stage everything and write it only
			// once it is all rendered: an interrupt before that writes nothing.
			fmt.Fprintln(a.stderr, "Interrupted: nothing was written.")
		}
		return ExitInterrupted
	}
	if code, ok := exitStatusOf(err); ok {
		return code // the command printed its outcome (invoke)
	}
	fmt.Fprintf(a.stderr, "Error: %v\n", err)
	var ue usageError
	if errors.As(err, &ue) || !a.started {
		if c == nil {
			c = root
		}
		fmt.Fprintf(a.stderr, "Run '%s --help' for usage.\n", c.CommandPath())
		return ExitUsage
	}
	return ExitFailure
}

// rootCmd builds the command tree.
func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "direktiv-fn",
		Short: "Scaffold Direktiv functions as complete Go repositories",
		Long: `direktiv-fn scaffolds a Direktiv function as a complete Go repository: the
input types and validation generated from a JSON Schema, the runtime glue for
the chosen mode, a handler for you to fill in, tests, a Dockerfile, a README
and a sample workflow. Afterwards, "generate" keeps the generated files in step
with the schema and the manifest, and "add-error" adds error codes, without
ever overwriting your edits.

` + exitCodesHelp,
		Example: `  direktiv-fn new myfunc
  direktiv-fn new hello --no-input
  direktiv-fn new myfunc --mode isolated --schema input.schema.json --no-input

  # Inside the function repository:
  direktiv-fn add-error badInput --description "The input cannot be used."
  direktiv-fn generate          # after editing input.schema.json
  direktiv-fn generate --check  # in CI`,
		Version:       a.version,
		SilenceUsage:  true,
		SilenceErrors: true,
		// Every command that takes --dir reads DIREKTIV_FN_DIR too.
		PersistentPreRunE: func(c *cobra.Command, _ []string) error { return a.dirFromEnv(c) },
	}
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetVersionTemplate("direktiv-fn {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(a.newCmd(), a.generateCmd(), a.addErrorCmd(), a.removeErrorCmd(), a.errorsCmd(), a.invokeCmd(), a.lintCmd(), a.buildCmd(), a.versionCmd())
	return root
}

// dirFromEnv sets --dir from DIREKTIV_FN_DIR when the command has the flag
// and the command line did not set it: the flag beats the variable, as for
// every other setting.
func (a *app) dirFromEnv(c *cobra.Command) error {
	f := c.Flags().Lookup(flagDir)
	if f == nil || f.Changed {
		return nil
	}
	v, ok := a.lookupEnv(envDir)
	if !ok || v == "" {
		return nil
	}
	if err := f.Value.Set(v); err != nil {
		return usagef("invalid %s=%q: %v", envDir, v, err)
	}
	return nil
}

// isTerminal reports whether stdin and stdout are both terminals.
func (a *app) isTerminal() bool {
	if a.terminal != nil {
		return a.terminal()
	}
	in, ok := a.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(in.Fd())) {
		return false
	}
	out, ok := a.stdout.(*os.File)
	return ok && term.IsTerminal(int(out.Fd()))
}

// runE wraps a command's body so that errors from it count as failures,
// not usage errors, unless they say otherwise.
func (a *app) runE(fn func(c *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(c *cobra.Command, args []string) error {
		a.started = true
		return fn(c, args)
	}
}

// noArgs refuses arguments to a command that takes none, naming them (cobra's
// own check reports an "unknown command" instead).
func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments; got %q", c.CommandPath(), args)
	}
	return nil
}
