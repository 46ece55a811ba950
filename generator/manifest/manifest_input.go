package manifest

import (
	"fmt"
	"strconv"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"gopkg.in/yaml.v3"
)

// decodeInput reads the manifest's "input" section, the settings of the
// generated DecodeInput:
//
//	input:
//	  maxDepth: 1000     # the deepest nesting of arrays and objects read
//	  formats: annotate  # "format" as an annotation only (default: assert)
func (m *Manifest) decodeInput(n *yaml.Node) []error {
	at := func(n *yaml.Node) string { return fmt.Sprintf("%s:%d:%d", m.File, n.Line, n.Column) }
	if n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return []error{fmt.Errorf("%s: input: want a mapping of settings, like {maxDepth: %d}", at(n), config.DefaultMaxDepth)}
	}
	var errs []error
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			errs = append(errs, fmt.Errorf("%s: input: %q appears twice", at(k), k.Value))
			continue
		}
		seen[k.Value] = true
		switch k.Value {
		case "maxDepth":
			d, err := strconv.Atoi(v.Value)
			if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || err != nil {
				errs = append(errs, fmt.Errorf("%s: input.maxDepth: want a whole number from 1 to %d (default %d), the deepest nesting of arrays and objects an input may have; got %q", at(v), config.MaxMaxDepth, config.DefaultMaxDepth, v.Value))
				continue
			}
			if err := config.ValidateMaxDepth(d); err != nil {
				errs = append(errs, fmt.Errorf("%s: %v", at(v), err))
				continue
			}
			m.MaxDepth = d
		case "formats":
			if v.Kind != yaml.ScalarNode || v.Value != "assert" && v.Value != "annotate" {
				errs = append(errs, fmt.Errorf("%s: input.formats: want assert (the default: the generated decoder checks each format it knows) or annotate (formats are annotations only); got %q", at(v), v.Value))
				continue
			}
			m.AnnotateFormats = v.Value == "annotate"
		default:
			errs = append(errs, fmt.Errorf("%s: input: unknown key %q (known: maxDepth, formats)", at(k), k.Value))
		}
	}
	return errs
}
