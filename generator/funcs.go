package generator

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"gopkg.in/yaml.v3"

	"github.com/direktiv-fn/direktiv-fn/schema"
)

// funcMap is the one function map of every template: sprig's hermetic
// functions (no randomness, no clock, no environment) plus direktiv-fn's own.
func funcMap() template.FuncMap {
	m := sprig.HermeticTxtFuncMap()
	own := template.FuncMap{
		"goQuote":   strconv.Quote,
		"yamlQuote": yamlQuote,
		"yamlLit":   YAMLSingleQuote,
		"goComment": goComment,
		"json":      valueJSON,
		"jsonLine":  valueJSONLine,
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

// goComment turns text into Go line comments indented by indent tabs,
// one comment line per text line.
func goComment(indent int, text string) string {
	prefix := strings.Repeat("\t", indent) + "//"
	var b strings.Builder
	for i, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(prefix)
		if line = strings.TrimRight(line, " \t"); line != "" {
			b.WriteByte(' ')
			b.WriteString(line)
		}
	}
	return b.String()
}

// valueJSON renders a schema value as indented JSON, members in document order.
func valueJSON(v *schema.Value) string {
	var b bytes.Buffer
	writeJSON(&b, v, "\n")
	return b.String()
}

// valueJSONLine renders a schema value as compact JSON on one line.
func valueJSONLine(v *schema.Value) string {
	var b bytes.Buffer
	writeJSON(&b, v, "")
	return b.String()
}

// writeJSON writes v as JSON, members in document order; nl is "" for one
// line, else the line break and indentation of v's own level.
func writeJSON(b *bytes.Buffer, v *schema.Value, nl string) {
	indent := ""
	if nl != "" {
		indent = nl + "  "
	}
	switch v.Kind {
	case schema.KindNull:
		b.WriteString("null")
	case schema.KindBool:
		b.WriteString(strconv.FormatBool(v.Bool))
	case schema.KindNumber:
		b.WriteString(v.Number.Lit)
	case schema.KindString:
		writeJSONString(b, v.String)
	case schema.KindArray:
		if len(v.Array) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, e := range v.Array {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(indent)
			writeJSON(b, e, indent)
		}
		b.WriteString(nl)
		b.WriteByte(']')
	case schema.KindObject:
		if len(v.Members) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteByte('{')
		for i, m := range v.Members {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(indent)
			writeJSONString(b, m.Key)
			b.WriteByte(':')
			if nl != "" {
				b.WriteByte(' ')
			}
			writeJSON(b, m.Value, indent)
		}
		b.WriteString(nl)
		b.WriteByte('}')
	}
}

// writeJSONString writes s as a JSON string, escaped as encoding/json
// escapes it; plain ASCII text is written without calling it.
func writeJSONString(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			b.Write(q)
			return
		}
	}
	b.WriteByte('"')
	b.WriteString(s)
	b.WriteByte('"')
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
