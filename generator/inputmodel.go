package generator

import (
	"context"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/emit"
	"github.com/direktiv-fn/direktiv-fn/generator/model"
	"github.com/direktiv-fn/direktiv-fn/generator/sample"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// InputModel is the Go view of the input schema: the types, decoder and
// tests generated from it, and what the README and the sample workflow show
// of it. Everything in it is in schema document order (depth first), which
// is deterministic.
type InputModel struct {
	// Fields documents the input's fields for the README.
	Fields []model.FieldDoc
	// Sample is a valid instance of the schema: the root's first valid
	// example, else its default, else a minimal value built from the schema.
	Sample *schema.Value
	// Types are the named Go types of input.gen.go, the root type Input first.
	Types []*model.GoType
	// Patterns are the package-level regular expressions, compiled on first use.
	Patterns []*model.PatternVar
	// Multiples are the package-level exact divisors of "multipleOf".
	Multiples []*model.MultipleVar
	// Values are the package-level JSON values of "const" and "enum" on
	// generic schemas.
	Values []*model.ValueVar
	// Marshalers are the source of the MarshalJSON methods of the structs
	// whose properties encoding/json cannot write from struct tags alone.
	Marshalers []string
	// Decoders are the source of the decoder methods, one per schema.
	Decoders []string
	// Imports are the packages input.gen.go imports, sorted.
	Imports []string
	// Formats is true when the decoder asserts a "format": input.gen.go
	// imports the runtime package formats.
	Formats bool
	// MaxDepth is the deepest nesting of arrays and objects DecodeInput
	// reads: DefaultMaxDepth unless the manifest sets input.maxDepth.
	MaxDepth int
	// Tests are the cases of input.gen_test.go.
	Tests sample.InputTests

	// root is the root schema's node, for the output's Go literal.
	root *model.Node
}

// newInputModel builds the Go view of the input schema, refusing the
// constructs the generator does not support with a schema.Diagnostics error.
func newInputModel(doc *schema.Document) (*InputModel, error) {
	return newInputModelWith(doc, inputOptions{})
}

// inputOptions change what newInputModelWith requires of a schema.
type inputOptions struct {
	// validationOnly builds the model of a schema for which no valid
	// sample can be built (false, {"not": {}}...): the model then has no
	// Sample and no Tests, so that only the types and the decoder can be
	// rendered. The conformance test uses it; generation never does, and
	// asks the user for "examples" instead.
	validationOnly bool
	// sampleOnly stops once the sample is built: the model has no code,
	// no tests and no field docs. SampleInput uses it.
	sampleOnly bool
	// ctx stops the build early when it is done; nil never does.
	ctx context.Context
	// annotateFormats treats "format" as an annotation only (the
	// manifest's input.formats: annotate): nothing asserts it.
	annotateFormats bool
	// root names the root type, "Input" when empty; "Output" builds the
	// model of the output schema.
	root string
	// names holds the package-level and method names taken, shared by the
	// models of one package; nil for names of the model's own.
	names *model.Names
}

// newInputModelWith is newInputModel with options.
func newInputModelWith(doc *schema.Document, opts inputOptions) (*InputModel, error) {
	stop := model.NewStopper(opts.ctx)
	b, err := model.Build(doc, stop, model.Options{AnnotateFormats: opts.annotateFormats, Root: opts.root, Names: opts.names})
	if err != nil {
		return nil, err
	}
	if diags := sample.CheckAnnotations(doc, b.Nodes, b.Formats); len(diags) > 0 {
		return nil, diags
	}
	root := b.Root
	m := &InputModel{Types: b.Types, Patterns: b.Patterns, Multiples: b.Multiples, Values: b.Values, MaxDepth: config.DefaultMaxDepth, root: root}
	sm := sample.New(doc, stop, b.Formats)
	if opts.sampleOnly {
		v, err := sm.Sample(root)
		m.Sample = v
		return m, err
	}
	m.Fields = model.FieldDocs(root)
	c := emit.Emit(b)
	m.Marshalers, m.Decoders, m.Imports, m.Formats = c.Marshalers, c.Decoders, c.Imports, c.Formats
	if err := stop.Check(); err != nil {
		return nil, err
	}
	v, err := sm.Sample(root)
	if err != nil && opts.validationOnly {
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	m.Sample = v
	m.Tests = sample.NewInputTests(sm, root, v)
	return m, stop.Check()
}
