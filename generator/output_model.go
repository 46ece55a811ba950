package generator

import (
	"context"
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/model"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// outputNames are the names a function with an output schema declares
// besides the reserved ones: the input's types may not take them.
var outputNames = []string{"DecodeOutput"}

// newModels builds the models of the input schema and, when output is
// not nil, of the output schema, with the options opts, in one name space:
// the input's names first, so that adding an output schema renames nothing
// of the input (but a type the input would have named DecodeOutput).
func newModels(ctx context.Context, input, output *schema.Document, opts inputOptions) (in, out *InputModel, err error) {
	if output == nil {
		in, err = newInputModelWith(input, opts)
		return in, nil, err
	}
	opts.names = model.NewNames(outputNames...)
	if in, err = newInputModelWith(input, opts); err != nil {
		return nil, nil, err
	}
	// The handler declares no Output: the output schema's root takes it.
	opts.names.Free("Output")
	opts.root = "Output"
	if out, err = newInputModelWith(output, opts); err != nil {
		return nil, nil, fmt.Errorf("the output schema: %w", err)
	}
	return in, out, nil
}

// ReturnRead is one value the sample workflow reads from the function's
// output: a key of the state data and the jq expression that reads it
// from .return.
type ReturnRead struct {
	// Key is the state data's key, the output property's name.
	Key string
	// Expr is the value, "jq(.return.name)".
	Expr string
}

// jqIdent matches the names jq reads as .name.
var jqIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// returnReads lists what the sample workflow reads from the output of the
// schema doc: each property of an object root, in schema order, else the
// whole output as "result".
func returnReads(doc *schema.Document) []ReturnRead {
	s := doc.Root
	for range 32 { // a chain of references, bounded
		if s == nil || s.Ref == nil || len(s.Types) > 0 || len(s.Properties) > 0 {
			break
		}
		s = s.Ref.Target
	}
	if s == nil || len(s.Properties) == 0 {
		return []ReturnRead{{Key: "result", Expr: "jq(.return)"}}
	}
	var out []ReturnRead
	for _, p := range s.Properties {
		path := "." + p.Name
		if !jqIdent.MatchString(p.Name) {
			path = "[" + jqString(p.Name) + "]"
		}
		out = append(out, ReturnRead{Key: p.Name, Expr: "jq(.return" + path + ")"})
	}
	return out
}

// jqString returns s as a jq string literal (JSON's escapes).
func jqString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		case r == '(' || r == ')':
			// Kept out of jq(...) so that the expression's end is never
			// in doubt.
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// OutputLiteral is the Go literal of the output sample that the scaffolded
// handler returns, or "" when it cannot be written as one without the
// runtime's helpers (a pointer to a nullable scalar needs decode.Ptr, which
// a handler should not import): the handler then decodes the sample's JSON
// with DecodeOutput.
func (d *Data) OutputLiteral() string {
	if d.Output == nil || d.Output.root == nil || d.Output.Sample == nil {
		return ""
	}
	lit, err := model.GoLiteral(d.Output.root, d.Output.Sample)
	if err != nil || strings.Contains(lit, "decode.Ptr[") {
		return ""
	}
	return lit
}

// checkOutputConfig checks the output schema's settings of cfg: a path
// inside the repository, not the input schema's, and a parsed schema with
// it.
func checkOutputConfig(cfg config.Config) []error {
	if cfg.OutputSchemaFile == "" {
		if cfg.OutputSchema != nil {
			return []error{errors.New("internal error: an output schema without its file name")}
		}
		return nil
	}
	var errs []error
	p := cfg.OutputSchemaFile
	switch {
	case path.IsAbs(p) || strings.HasPrefix(path.Clean(p), ".."):
		errs = append(errs, fmt.Errorf("invalid output schema file path %q: it must be relative and inside the repository", p))
	case path.Clean(p) == path.Clean(cfg.SchemaFile):
		errs = append(errs, fmt.Errorf("the output schema file %q is the input schema's: name another file, e.g. %s", p, config.OutputSchemaFile))
	}
	if cfg.OutputSchema == nil {
		errs = append(errs, fmt.Errorf("no output schema read from %s", p))
	}
	return errs
}

// Transform is the sample workflow's transform of the call state's data:
// an object of Return's keys and expressions; nil without Return.
func (w WorkflowData) Transform() *schema.Value {
	if len(w.Return) == 0 {
		return nil
	}
	v := &schema.Value{Kind: schema.KindObject}
	for _, r := range w.Return {
		v.Members = append(v.Members, &schema.Member{Key: r.Key, Value: &schema.Value{Kind: schema.KindString, String: r.Expr}})
	}
	return v
}

// OutputImports are the standard packages output.gen.go imports, sorted:
// those of the output's decoders, and those of CheckOutput and
// checkedHandle.
func (d *Data) OutputImports() []string {
	if d.Output == nil {
		return nil
	}
	out := append([]string{"context", "encoding/json"}, d.Output.Imports...)
	slices.Sort(out)
	return slices.Compact(out)
}

// templateDefines lists, for a template, the templates whose definitions
// it uses: output.gen.go declares the output's model with the definitions
// of input.gen.go's ("modelDecls", "modelMethods").
var templateDefines = map[string][]string{
	"output/output.gen.go.tmpl": {"input/input.gen.go.tmpl"},
}
