// Package config is what describes one function repository: its
// configuration (id, mode, image, module, schema, error codes), the checks of
// each, the Go names derived from them, and the files a generation produces
// with their write policy. Every stage of the generator imports it.
package config

import (
	"github.com/direktiv-fn/direktiv-fn/generator/direktiv"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// Mode is how Direktiv runs the function.
type Mode string

// The supported modes.
const (
	// ModeKnative is an HTTP server on :8080 called by Direktiv's sidecar
	// (the eras of generator/direktiv say which releases).
	ModeKnative Mode = "knative-workflow"
	// ModeIsolated is one process per call that talks through files in
	// /direktiv-data (the eras of generator/direktiv say which releases).
	ModeIsolated Mode = "isolated"
)

// Modes lists the supported modes, the default first.
var Modes = []Mode{ModeKnative, ModeIsolated}

// Era returns the Direktiv era the function is written for: its mode's,
// narrowed by the target release.
func (c Config) Era() (direktiv.Era, error) {
	return direktiv.Lookup(string(c.Mode), c.Direktiv)
}

// ErrorCode is a user-defined error code of the function.
type ErrorCode struct {
	// Name is the code without the function id prefix, e.g. "badInput".
	Name string
	// Description says when the handler returns the code.
	Description string
}

// Config is everything a generation needs. It is what the manifest records.
type Config struct {
	// ID is the Direktiv function id, e.g. "myfunc".
	ID string
	// Mode is the runtime mode.
	Mode Mode
	// Image is the container image reference used in the sample workflow.
	Image string
	// Module is the Go module path of the generated repository.
	Module string
	// SchemaFile is the input schema's path inside the generated repository.
	SchemaFile string
	// Direktiv is the Direktiv release the function targets ("v0.7",
	// "v0.6.1"); empty for the latest release that runs Mode. With Mode it
	// selects the era of the sample workflow (see Era).
	Direktiv string
	// Scope is "namespace" for a namespace service (a service.yaml that
	// workflows reference), "workflow" or "" for a function each workflow
	// declares.
	Scope string
	// SchemaData is the input schema file's content, written verbatim.
	SchemaData []byte
	// Schema is the parsed input schema.
	Schema *schema.Document
	// OutputSchemaFile is the output schema's path inside the generated
	// repository (the manifest's output.schema); "" when the function has
	// no output schema and its handler writes the Output type itself.
	OutputSchemaFile string
	// OutputSchemaData is the output schema file's content, written verbatim.
	OutputSchemaData []byte
	// OutputSchema is the parsed output schema, or nil.
	OutputSchema *schema.Document
	// Errors are the user-defined error codes, in the order they were added.
	Errors []ErrorCode
	// MaxDepth is the deepest nesting of arrays and objects that the
	// generated DecodeInput reads (the manifest's input.maxDepth); 0 is
	// DefaultMaxDepth.
	MaxDepth int
	// AnnotateFormats treats "format" as an annotation only (the
	// manifest's input.formats: annotate); by default the generated
	// DecodeInput asserts the formats that package formats checks.
	AnnotateFormats bool
	// Version is the generator version recorded in the manifest.
	Version string
}

// Policy says what happens to an output file that already exists.
type Policy int

const (
	// Generated files are owned by the generator and rewritten on every run.
	Generated Policy = iota
	// ScaffoldOnce files belong to the user once written: they are created
	// when missing and never overwritten without --force.
	ScaffoldOnce
	// Regions marks a user-owned file whose marked regions (see
	// ReplaceRegions) were refreshed: its content is the user's file with
	// the new regions, and it is written like a generated file. Only
	// Plan produces it.
	Regions
)

// String returns the policy's name.
func (p Policy) String() string {
	switch p {
	case ScaffoldOnce:
		return "scaffold-once"
	case Regions:
		return "regions"
	}
	return "generated"
}

// File is one rendered output file.
type File struct {
	// Path is slash-separated and relative to the repository root.
	Path string
	// Content is the file's full content.
	Content []byte
	// Policy is the file's write policy.
	Policy Policy
}

// ManifestFile is the manifest's path in a generated repository.
const ManifestFile = "direktiv-fn.yaml"

// BuiltinErrors are the codes every function has. The runtime glue returns
// them; user-defined codes may not reuse their names.
var BuiltinErrors = []ErrorCode{
	{Name: "invalidInput", Description: "The input does not match the input schema; the message lists every violation."},
	{Name: "failed", Description: "The handler returned an error without a code."},
	{Name: "panic", Description: "The handler panicked; the message holds the panic value."},
}
