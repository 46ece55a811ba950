package manifest

import (
	"fmt"
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
)

// decodeOutput reads the manifest's "output" section, the function's
// optional output schema:
//
//	output:
//	  schema: output.schema.json   # the typed Output and its check come from it
func (m *Manifest) decodeOutput(n *yaml.Node, generated func(path string) bool) []error {
	at := func(n *yaml.Node) string { return fmt.Sprintf("%s:%d:%d", m.File, n.Line, n.Column) }
	if n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return []error{fmt.Errorf("%s: output: want a mapping, like {schema: %s}", at(n), config.OutputSchemaFile)}
	}
	var errs []error
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			errs = append(errs, fmt.Errorf("%s: output: %q appears twice", at(k), k.Value))
			continue
		}
		seen[k.Value] = true
		switch k.Value {
		case "schema":
			p := v.Value
			switch {
			case v.Kind != yaml.ScalarNode || v.Tag == "!!null" || p == "":
				errs = append(errs, fmt.Errorf("%s: output.schema: want the path of the output schema file, like %s", at(v), config.OutputSchemaFile))
			case path.IsAbs(p) || strings.HasPrefix(path.Clean(p), "..") || strings.Contains(p, `\`):
				errs = append(errs, fmt.Errorf("%s: output.schema %q: the path must be relative, slash-separated and inside the repository", at(v), p))
			case path.Clean(p) == config.ManifestFile || generated != nil && generated(path.Clean(p)):
				errs = append(errs, fmt.Errorf("%s: output.schema %q: that is a file direktiv-fn writes; name the file holding the output schema, e.g. %s", at(v), p, config.OutputSchemaFile))
			case m.Schema != "" && path.Clean(p) == path.Clean(m.Schema):
				errs = append(errs, fmt.Errorf("%s: output.schema %q: that is the input schema (schema:); name the file holding the output schema, e.g. %s", at(v), p, config.OutputSchemaFile))
			default:
				m.OutputSchema = p
				m.valuePos["output.schema"] = at(v)
			}
		default:
			errs = append(errs, fmt.Errorf("%s: output: unknown key %q (known: schema)", at(k), k.Value))
		}
	}
	return errs
}

// BuiltinErrors returns the built-in error codes of the manifest's
// function: with an output schema, InvalidOutput too.
func (m *Manifest) BuiltinErrors() []config.ErrorCode { return config.Builtins(m.OutputSchema != "") }

// outputNode returns the manifest's "output" section for cfg, or nil when
// the function has no output schema.
func outputNode(cfg config.Config) *yaml.Node {
	if cfg.OutputSchemaFile == "" {
		return nil
	}
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
		scalar("schema"), scalar(cfg.OutputSchemaFile),
	}}
}
