package generator

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"gopkg.in/yaml.v3"

	"github.com/direktiv-fn/direktiv-fn/generator/model"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// funcMap is the one function map of every template: sprig's hermetic
// functions (no randomness, no clock, no environment) plus direktiv-fn's own.
func funcMap() template.FuncMap {
	m := sprig.HermeticTxtFuncMap()
	own := template.FuncMap{
		"goQuote":   strconv.Quote,
		"goString":  model.GoString,
		"yamlQuote": yamlQuote,
		"yamlLit":   YAMLSingleQuote,
		"goComment": model.GoComment,
		"json":      model.ValueJSON,
		"jsonLine":  model.ValueJSONLine,
		"yaml":      valueYAML,
	}
	for name, fn := range own {
		m[name] = fn
	}
	return m
}

// yamlQuote returns s as a double-quoted YAML scalar.
func yamlQuote(s string) string {
	// A JSON string is a valid YAML double-quoted scalar.
	b, _ := json.Marshal(s)
	return string(b)
}

// YAMLSingleQuote returns s as a single-quoted YAML scalar, in which a
// backslash is literal ('^myfunc\.badInput$'), so a regular expression
// reads as written. A string with a line break or another control
// character, which single quotes cannot hold as is, is double-quoted.
func YAMLSingleQuote(s string) string {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' || r == '\uFEFF' {
			return yamlQuote(s)
		}
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// valueYAML renders a schema value as block YAML indented by indent spaces
// (the first line too), members in document order.
func valueYAML(indent int, v *schema.Value) (string, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(yamlNode(v)); err != nil {
		return "", err
	}
	if err := enc.Close(); err != nil {
		return "", err
	}
	pad := strings.Repeat(" ", indent)
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	for i, l := range lines {
		lines[i] = pad + l
	}
	return strings.Join(lines, "\n"), nil
}

// yamlNode returns v as a YAML node tree, members in document order.
func yamlNode(v *schema.Value) *yaml.Node {
	switch v.Kind {
	case schema.KindNull:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	case schema.KindBool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v.Bool)}
	case schema.KindNumber:
		tag := "!!float"
		if v.Number.IsInteger() && !strings.ContainsAny(v.Number.Lit, ".eE") {
			tag = "!!int"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v.Number.Lit}
	case schema.KindString:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v.String}
	case schema.KindArray:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		if len(v.Array) == 0 {
			n.Style = yaml.FlowStyle
		}
		for _, e := range v.Array {
			n.Content = append(n.Content, yamlNode(e))
		}
		return n
	default:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		if len(v.Members) == 0 {
			n.Style = yaml.FlowStyle
		}
		for _, m := range v.Members {
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: m.Key}, yamlNode(m.Value))
		}
		return n
	}
}
