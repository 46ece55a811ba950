// Command direktiv-fn scaffolds Direktiv functions and keeps them in step
// with their input schema and error codes.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/direktiv-fn/direktiv-fn/cmd"
)

// stopSignals cancel the run as Ctrl-C does: a CI job or an IDE stops a
// process with SIGTERM. The commands then return, running their deferred
// clean-ups (invoke's temporary build and data folders), and nothing
// half-written is left.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
	code := cmd.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
