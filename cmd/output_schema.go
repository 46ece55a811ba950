package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/gocheck"
	"github.com/direktiv-fn/direktiv-fn/generator/manifest"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// The flag of "new" that names the optional output schema, and its
// environment variable.
const (
	flagOutputSchema = "output-schema"
	envOutputSchema  = "DIREKTIV_FN_OUTPUT_SCHEMA"
)

// outputSchemaFileFor names the output schema's copy in the repository:
// output.schema.json, or output.schema.yaml for a schema written in YAML.
func outputSchemaFileFor(data []byte) string {
	if json.Valid(data) {
		return config.OutputSchemaFile
	}
	return strings.TrimSuffix(config.OutputSchemaFile, ".json") + ".yaml"
}

// checkOutputSchemaFlag checks the output schema named by a flag or its
// variable before anything else is asked or done.
func checkOutputSchemaFlag(g given) error {
	if !g.ok {
		return nil
	}
	if g.value == "" {
		return usagef("%s is empty: name the output JSON Schema file, or leave it out for a handler that declares its Output type itself", g.from)
	}
	if g.value == "-" {
		return usagef("%s: the output schema is read from a file, not stdin: name the file", g.from)
	}
	return nil
}

// parseOutputSchema parses the output schema read from the file name.
func parseOutputSchema(ctx context.Context, name string, data []byte) (*schema.Document, error) {
	doc, err := interruptible(ctx, func(ctx context.Context) (*schema.Document, error) { return schema.ParseContext(ctx, name, data) })
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var ds schema.Diagnostics
	if errors.As(err, &ds) {
		return nil, fmt.Errorf("the output schema %s cannot be used (%d %s):\n%s", name, len(ds), plural(len(ds), "problem", "problems"), ds.Error())
	}
	if err != nil {
		return nil, fmt.Errorf("the output schema %s cannot be used: %w", name, err)
	}
	return doc, nil
}

// plural returns one for n == 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// newOutputSchema adds the output schema of "new" to cfg: the one
// --output-schema (or its variable) names, else, over an existing function
// with --force, the one its manifest names; none when neither does.
func newOutputSchema(ctx context.Context, cfg *config.Config, s *newSettings, prev *manifest.Manifest) error {
	over := prev != nil && s.force && prev.OutputSchema != ""
	name := s.outputSchemaPath
	if name == "" && over {
		name = filepath.Join(s.dir, filepath.FromSlash(prev.OutputSchema))
	}
	if name == "" {
		return nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return fmt.Errorf("cannot read the output schema: %w (--%s or %s names its JSON Schema file)", err, flagOutputSchema, envOutputSchema)
	}
	doc, err := parseOutputSchema(ctx, name, data)
	if err != nil {
		return err
	}
	file := outputSchemaFileFor(data)
	if over {
		file = prev.OutputSchema
	}
	cfg.OutputSchemaFile, cfg.OutputSchemaData, cfg.OutputSchema = file, data, doc
	return nil
}

// loadOutputSchema adds to cfg the output schema that the manifest m of the
// repository in dir names, if any.
func loadOutputSchema(ctx context.Context, dir string, m *manifest.Manifest, cfg *config.Config) error {
	if m.OutputSchema == "" {
		return nil
	}
	name := filepath.Join(dir, filepath.FromSlash(m.OutputSchema))
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: the output schema %s does not exist: restore it, or remove \"output:\" from %s (your handler then declares its Output type)", m.Position("output.schema"), name, config.ManifestFile)
	}
	if err != nil {
		return fmt.Errorf("%s: cannot read the output schema: %w", m.Position("output.schema"), err)
	}
	doc, err := parseOutputSchema(ctx, name, data)
	if err != nil {
		return err
	}
	cfg.OutputSchemaFile, cfg.OutputSchemaData, cfg.OutputSchema = m.OutputSchema, data, doc
	return nil
}

// outputTypeHint is added to the refusal of a generation that would break
// the user's code when the break is the user's own Output type, which the
// output schema now generates.
func outputTypeHint(breaks []gocheck.Break) string {
	for _, b := range breaks {
		if strings.HasPrefix(b.Msg, "Output redeclared") || strings.HasPrefix(b.Cause, "type Output is now generated too") {
			return "Output is now generated from the output schema, in " + config.OutputGoFile + ": delete your own Output type (in handler.go) and build the generated one in Handle; its fields are the output schema's properties (see " + config.OutputGoFile + ").\n"
		}
	}
	return ""
}
