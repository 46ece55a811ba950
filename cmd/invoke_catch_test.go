package cmd

import (
	"bytes"
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/cmd/internal/sidecar"
)

// TestPrintOutcomeCatchSnippet: the catch snippet invoke prints for a
// catchable error matches exactly that code (anchored, escaped), since
// Direktiv matches catch errors as unanchored regular expressions.
func TestPrintOutcomeCatchSnippet(t *testing.T) {
	var b bytes.Buffer
	printOutcome(&b, &invokeReport{Outcome: string(sidecar.Catchable), Error: &invokeError{Code: "fn.failed", Message: "boom", Catchable: true}})
	want := "    catch:\n    - error: '^fn\\.failed$'\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, b.String())
	}
}
