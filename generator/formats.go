package generator

import (
	"github.com/direktiv-fn/direktiv-fn/generator/model"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// FormatWarnings returns a warning for every "format" of the schema that
// the generated code does not assert: an unknown one (a typo gets a
// suggestion) always, and, when formats are asserted (annotate false), one
// JSON Schema defines that direktiv-fn only annotates. new and generate
// print them.
func FormatWarnings(doc *schema.Document, annotate bool) schema.Diagnostics {
	return model.FormatWarnings(doc, annotate)
}
