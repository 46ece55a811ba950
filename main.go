// Command direktiv-fn scaffolds Direktiv functions and keeps them in step
// with their input schema and error codes.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/direktiv-fn/direktiv-fn/cmd"
)

// stopSignals cancel the run as Ctrl-C does: a CI job or an IDE stops a
// process with SIGTERM. The commands then return, running their deferred
// clean-ups (invoke's temporary build and data folders), and nothing
// half-written is left.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// gcPercent is the garbage collector's target (GOGC) when the environment
// sets none. A command like new or generate runs for tens of milliseconds
// and allocates several times its live heap: collecting when the heap
// reaches 5× the live data instead of 2× saves most collections (6 of a
// 300-property new) for some more memory at the peak (the Go compiler
// raises its own target likewise).
const gcPercent = 400

// tuneGC sets the garbage collector's target to gcPercent unless GOGC is
// set in the environment, as lookup reads it.
func tuneGC(lookup func(string) (string, bool)) {
	if _, set := lookup("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
}

func main() {
	tuneGC(os.LookupEnv)
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
	code := cmd.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
