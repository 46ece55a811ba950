package schema

import (
	"fmt"
	"strings"
)

// Diagnostic is one problem found in a schema document.
type Diagnostic struct {
	// File is the schema file's name as given to Parse.
	File string
	// Pos is where the problem is (the keyword's key, or the offending value).
	Pos Pos
	// Pointer is the JSON Pointer of the offending location in the schema document.
	Pointer string
	// Message says what is wrong and, where it helps, how to fix it.
	Message string
}

// Error formats the diagnostic as "file:line:col: pointer: message".
func (d Diagnostic) Error() string {
	ptr := d.Pointer
	if ptr == "" {
		ptr = "(root)"
	}
	return fmt.Sprintf("%s:%d:%d: %s: %s", d.File, d.Pos.Line, d.Pos.Col, ptr, d.Message)
}

// Diagnostics is a list of problems, sorted by position. It implements error.
type Diagnostics []Diagnostic

// Error returns one diagnostic per line.
func (ds Diagnostics) Error() string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.Error()
	}
	return strings.Join(lines, "\n")
}
