package fn

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// Call describes the Direktiv call being handled. A handler reads it with
// CallFromContext.
//
//direktivfn:api
type Call struct {
	// ActionID identifies the call in Direktiv. It is "development" or
	// empty for a local run, whose log goes to stdout. An isolated
	// function is not told its action id: it is empty.
	ActionID string
	// TempDir is the call's working folder. The action's files arrive
	// there; every file written to TempDir/out/{namespace,workflow,instance}/
	// becomes a variable of that scope once the call ends, even when it
	// fails. Name those files as Direktiv names variables (letters, digits,
	// '_', '-' and '.' in knative-workflow mode, letters, digits and '_' in
	// isolated mode; a letter first and a letter or digit last): Direktiv
	// refuses any other name. It is empty when a knative-workflow request
	// has no Direktiv-TempDir header (a local run); an isolated function's
	// is the data folder's vars folder.
	TempDir string
	// Iterator is the index of the call in a foreach or parallel state, 0
	// otherwise. An isolated function is not told: it is always 0.
	Iterator int

	// log writes one message to the call's log.
	log func(msg string)
}

// callKey is the context key of the *Call being handled.
type callKey struct{}

// withCall returns a copy of ctx that carries c.
func withCall(ctx context.Context, c *Call) context.Context {
	return context.WithValue(ctx, callKey{}, c)
}

// CallFromContext returns the call that ctx belongs to, and false when ctx
// does not come from the runtime (in a unit test of a handler, for
// example).
//
//direktivfn:api
func CallFromContext(ctx context.Context) (Call, bool) {
	c, ok := ctx.Value(callKey{}).(*Call)
	if !ok {
		return Call{}, false
	}
	return *c, true
}

// Logf formats a message as fmt.Sprintf does and writes it to the log of
// the call that ctx belongs to: Direktiv's instance log (through the
// sidecar, or the data folder's out.log for an isolated function), or
// stdout for a local run (action id "development" or none) and outside a
// call. An empty message, or one that is only a newline, is dropped, as
// Direktiv drops empty log messages.
//
//direktivfn:api
func Logf(ctx context.Context, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if msg == "" || msg == "\n" {
		return
	}
	if c, ok := ctx.Value(callKey{}).(*Call); ok && c.log != nil {
		c.log(msg)
		return
	}
	logStdout(msg)
}

// logStdout writes msg to stdout as one line.
func logStdout(msg string) {
	fmt.Fprintln(os.Stdout, strings.TrimSuffix(msg, "\n"))
}
