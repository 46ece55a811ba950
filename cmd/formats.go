package cmd

import (
	"fmt"
	"io"

	"github.com/direktiv-fn/direktiv-fn/generator"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// printFormatWarnings prints a warning line for every "format" of the
// schema that the generated code does not assert (generator.FormatWarnings).
func printFormatWarnings(w io.Writer, doc *schema.Document, annotate bool) {
	for _, d := range generator.FormatWarnings(doc, annotate) {
		fmt.Fprintf(w, "Warning: %s\n", d.Error())
	}
}
