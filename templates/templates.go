// Package templates holds the embedded templates that direktiv-fn renders
// into a function repository. It contains no logic: the generator package
// owns the data model, the output table and the template functions.
package templates

import "embed"

// FS holds every template. Paths are "<group>/<output path>.tmpl", where the
// group is "common", "knative-workflow", "isolated", "input" or "output".
//
//go:embed common knative-workflow isolated input output
var FS embed.FS

// StarterSchema is the input schema "direktiv-fn new" uses when no schema is
// given: a small draft 2020-12 object schema that shows the supported keywords.
//
//go:embed starter.schema.json
var StarterSchema []byte
