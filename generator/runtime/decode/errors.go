package decode

import (
	"strconv"
	"strings"
)

// Violation is one way in which an input breaks the input schema.
type Violation struct {
	// Pointer is the JSON Pointer (RFC 6901) of the offending value; "" is
	// the whole input.
	Pointer string
	// Keyword is the JSON Schema keyword that failed, e.g. "enum" or "required".
	Keyword string
	// Message says what the schema expects and what the input holds.
	Message string
}

// String formats the violation as "pointer: message", the whole input
// being "(root)".
func (v Violation) String() string {
	p := v.Pointer
	if p == "" {
		p = "(root)"
	}
	return p + ": " + v.Message
}

// ValidationError is the error of an input that is valid JSON but does not
// match the input schema. It details at most 100 violations
// (MaxViolations) and counts them all.
type ValidationError struct {
	// Violations are sorted by pointer, then keyword. Beyond 100
	// violations the decoder keeps the shallowest ones (the fewest
	// tokens in their pointers), the first found among equally deep ones,
	// and only counts the others, so that a huge invalid input cannot
	// make a huge error and a violation of the whole input or of an array
	// ("maxItems") is not crowded out by those of its items.
	Violations []Violation
	// Total is the number of violations found, len(Violations) and those
	// left out. A Total below len(Violations) counts as len(Violations).
	Total int
}

// Error joins the violations with "; ", and ends with "; and N more
// violations" when Total exceeds them.
func (e *ValidationError) Error() string {
	var b strings.Builder
	for i, v := range e.Violations {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(v.String())
	}
	if more := e.Total - len(e.Violations); more > 0 {
		if len(e.Violations) > 0 {
			b.WriteString("; ")
		}
		b.WriteString("and " + strconv.Itoa(more) + " more violation")
		if more > 1 {
			b.WriteString("s")
		}
	}
	return b.String()
}

// SyntaxError is the error of an input that is not valid JSON.
type SyntaxError struct {
	// Offset is the byte offset of the error in the input.
	Offset int
	// Line and Column are the 1-based position of the error; the column
	// counts characters.
	Line, Column int
	// Msg describes the error.
	Msg string
}

// Error formats the error with its position.
func (e *SyntaxError) Error() string {
	return "invalid JSON at line " + strconv.Itoa(e.Line) + ", column " + strconv.Itoa(e.Column) +
		" (offset " + strconv.Itoa(e.Offset) + "): " + e.Msg
}
