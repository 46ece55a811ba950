package workflow

import (
	"fmt"
	"sort"
	"strings"
)

// Severity says whether a diagnostic makes Direktiv refuse the workflow.
type Severity int

const (
	// Error is a problem Direktiv refuses the workflow for, or one that
	// fails every instance.
	Error Severity = iota
	// Warning is something the checker does not model precisely, or that
	// only some Direktiv versions of the era accept.
	Warning
)

// Diagnostic is one problem found in a workflow file.
type Diagnostic struct {
	// File is the file name as given to Check.
	File string
	// Line and Col locate the problem, both 1-based.
	Line, Col int
	// Severity is Error or Warning.
	Severity Severity
	// Message says what is wrong and, where it helps, how to fix it.
	Message string
}

// String formats the diagnostic as "file:line:col: message", with
// "warning: " before the message of a warning.
func (d Diagnostic) String() string {
	prefix := ""
	if d.Severity == Warning {
		prefix = "warning: "
	}
	return fmt.Sprintf("%s:%d:%d: %s%s", d.File, d.Line, d.Col, prefix, d.Message)
}

// Diagnostics is a list of problems sorted by position.
type Diagnostics []Diagnostic

// Errors returns the diagnostics of severity Error.
func (ds Diagnostics) Errors() Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == Error {
			out = append(out, d)
		}
	}
	return out
}

// Err returns the errors, one per line, as an error; nil when there are
// none (warnings alone are not an error).
func (ds Diagnostics) Err() error {
	errs := ds.Errors()
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// Error returns one diagnostic per line.
func (ds Diagnostics) Error() string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

// sortDiagnostics orders by line, column, then message, and drops exact
// duplicates.
func sortDiagnostics(ds Diagnostics) Diagnostics {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Message < b.Message
	})
	out := ds[:0]
	for i, d := range ds {
		if i > 0 && d == ds[i-1] {
			continue
		}
		out = append(out, d)
	}
	return out
}
