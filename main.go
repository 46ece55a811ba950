// Command direktiv-fn scaffolds Direktiv functions and keeps them in step
// with their input schema and error codes.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/direktiv-fn/direktiv-fn/cmd"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cmd.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
