package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/direktiv"
	"github.com/direktiv-fn/direktiv-fn/schema/suggest"
	"gopkg.in/yaml.v3"
)

// Load reads a manifest. An older version is migrated in memory (the
// caller writes it back with the next generation); a newer one is refused.
// Every problem is reported with file:line:col, all of them joined.
// generated reports whether a path is a file direktiv-fn writes (besides the
// manifest), which the schema may not be; nil when none is.
func Load(file string, data []byte, generated func(path string) bool) (*Manifest, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(file, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:1:1: the manifest must be a YAML mapping (version, id, mode, ...); run \"direktiv-fn new\" to create a function repository", file)
	}
	top := doc.Content[0]
	m := &Manifest{File: file, doc: &doc, errorPos: map[string]string{}, valuePos: map[string]string{}}
	at := func(n *yaml.Node) string { return fmt.Sprintf("%s:%d:%d", file, n.Line, n.Column) }

	_, vn := lookup(top, "version")
	if vn == nil {
		return nil, fmt.Errorf("%s:1:1: the manifest has no version: it was not written by direktiv-fn", file)
	}
	v, err := strconv.Atoi(vn.Value)
	if vn.Kind != yaml.ScalarNode || err != nil || v < 1 {
		return nil, fmt.Errorf("%s: version %q is not a manifest version (1 to %d)", at(vn), vn.Value, Version)
	}
	if v > Version {
		by := ""
		if _, g := lookup(top, "generator"); g != nil && g.Kind == yaml.ScalarNode {
			by = " (" + g.Value + ")"
		}
		return nil, fmt.Errorf("%s: the manifest is version %d, written by a newer direktiv-fn%s; this one reads versions 1 to %d: upgrade direktiv-fn (go install github.com/direktiv-fn/direktiv-fn@latest)", at(vn), v, by, Version)
	}
	m.ReadVersion = v
	migrate(&doc, v, data)
	if err := m.decode(top, generated); err != nil {
		return nil, err
	}
	return m, nil
}

// yamlLine matches the position yaml.v3 gives a syntax error.
var yamlLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^line ([0-9]+): `) })

// yamlParserProblems start the messages of yaml.v3's parser (not scanner)
// errors, whose line it gives counted from 0 (that of the construct the
// problem is in, e.g. the flow sequence missing its ']').
var yamlParserProblems = []string{
	"did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"did not find expected <document start>", "did not find expected key",
	"did not find expected node content", "did not find expected '-' indicator",
	"found duplicate %YAML directive", "found duplicate %TAG directive",
	"found incompatible YAML document", "found undefined tag handle",
}

// yamlError positions a YAML syntax error as file:line:col: yaml.v3 gives
// the line, not the column (1 is used), and nothing for some errors, e.g.
// in the encoding (1:1 is used).
func yamlError(file string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if m := yamlLine().FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
		for _, p := range yamlParserProblems {
			if strings.HasPrefix(msg, p) {
				line++
				break
			}
		}
	}
	return fmt.Errorf("%s:%d:1: %s: the manifest is not valid YAML; fix it, or restore it from version control", file, line, msg)
}

// decode reads the (migrated) top-level mapping, collecting every problem.
func (m *Manifest) decode(top *yaml.Node, generated func(path string) bool) error {
	var errs []error
	at := func(n *yaml.Node) string { return fmt.Sprintf("%s:%d:%d", m.File, n.Line, n.Column) }
	bad := func(n *yaml.Node, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", at(n), fmt.Sprintf(format, args...)))
	}
	str := func(key string, n *yaml.Node, required bool) string {
		if n == nil {
			if required {
				errs = append(errs, fmt.Errorf("%s:%d:%d: the manifest has no %q", m.File, top.Line, top.Column, key))
			}
			return ""
		}
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
			bad(n, "%s: want a string", key)
			return ""
		}
		if required && n.Value == "" {
			bad(n, "%s is empty", key)
		}
		return n.Value
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		if seen[k.Value] {
			bad(k, "%q appears twice", k.Value)
			continue
		}
		seen[k.Value] = true
		m.valuePos[k.Value] = at(v)
		switch k.Value {
		case "version":
		case "generator":
			m.Generator = str(k.Value, v, false)
		case "id":
			if m.ID = str(k.Value, v, true); m.ID != "" {
				if err := config.ValidateID(m.ID); err != nil {
					bad(v, "%v", err)
				}
			}
		case "mode":
			if s := str(k.Value, v, true); s != "" {
				mode, err := config.ParseMode(s)
				if err != nil {
					bad(v, "%v", err)
				}
				m.Mode = mode
			}
		case "image":
			if m.Image = str(k.Value, v, true); m.Image != "" {
				if err := config.ValidateImage(m.Image); err != nil {
					bad(v, "%v", err)
				}
			}
		case "module":
			if m.Module = str(k.Value, v, true); m.Module != "" {
				if err := config.ValidateModule(m.Module); err != nil {
					bad(v, "%v", err)
				}
			}
		case "schema":
			if m.Schema = str(k.Value, v, true); m.Schema != "" {
				if path.IsAbs(m.Schema) || strings.HasPrefix(path.Clean(m.Schema), "..") || strings.Contains(m.Schema, `\`) {
					bad(v, "schema %q: the path must be relative, slash-separated and inside the repository", m.Schema)
				} else if p := path.Clean(m.Schema); p == config.ManifestFile || generated != nil && generated(p) {
					bad(v, "schema %q: that is a file direktiv-fn writes; name the file holding the input schema, e.g. input.schema.json", m.Schema)
				}
			}
		case "scope":
			// Checked against the era after the loop.
			m.Scope = str(k.Value, v, true)
		case "direktiv":
			// Checked against the mode after the loop.
			m.Direktiv = str(k.Value, v, true)
		case "errors":
			errs = append(errs, m.decodeErrors(v)...)
		case "input":
			errs = append(errs, m.decodeInput(v)...)
		case "output":
			// Checked against the input schema's path after the loop.
		case "generated":
			rec, err := m.decodeRecord(v)
			if err != nil {
				errs = append(errs, err)
			}
			m.Last = rec
		default:
			bad(k, "unknown key %q%s (known: version, generator, id, mode, image, module, schema, direktiv, scope, errors, input, output, generated)", k.Value, suggest.Hint(k.Value, manifestKeys))
		}
	}
	if _, v := lookup(top, "output"); v != nil {
		errs = append(errs, m.decodeOutput(v, generated)...)
	}
	if m.Mode != "" {
		if e, err := direktiv.Lookup(string(m.Mode), m.Direktiv); err != nil {
			_, v := lookup(top, "direktiv")
			bad(v, "%v", err)
		} else if err := direktiv.CheckScope(e, m.Direktiv, m.Scope); err != nil {
			_, v := lookup(top, "scope")
			bad(v, "%v", err)
		}
	}
	for _, key := range []string{"id", "mode", "image", "module", "schema"} {
		if !seen[key] {
			str(key, nil, true)
		}
	}
	return errors.Join(errs...)
}

// manifestKeys are the manifest's top-level keys, for "did you mean".
var manifestKeys = []string{"version", "generator", "id", "mode", "image", "module", "schema", "direktiv", "scope", "errors", "input", "output", "generated"}

// decodeErrors reads the error codes.
func (m *Manifest) decodeErrors(n *yaml.Node) []error {
	var errs []error
	at := func(n *yaml.Node) string { return fmt.Sprintf("%s:%d:%d", m.File, n.Line, n.Column) }
	if n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return []error{fmt.Errorf("%s: errors: want a list of {name, description}", at(n))}
	}
	builtin := map[string]bool{}
	for _, b := range config.BuiltinErrors {
		builtin[b.Name] = true
	}
	for _, item := range n.Content {
		if item.Kind != yaml.MappingNode {
			errs = append(errs, fmt.Errorf("%s: errors: want {name: ..., description: ...}", at(item)))
			continue
		}
		var c config.ErrorCode
		var nameNode *yaml.Node
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, v := item.Content[i], item.Content[i+1]
			if v.Kind != yaml.ScalarNode {
				errs = append(errs, fmt.Errorf("%s: errors: %s: want a string", at(v), k.Value))
				continue
			}
			switch k.Value {
			case "name":
				c.Name, nameNode = v.Value, v
			case "description":
				c.Description = v.Value
			default:
				errs = append(errs, fmt.Errorf("%s: errors: unknown key %q (known: name, description)", at(k), k.Value))
			}
		}
		switch {
		case nameNode == nil:
			errs = append(errs, fmt.Errorf("%s: errors: an entry has no name", at(item)))
			continue
		case config.ValidateErrorName(c.Name) != nil:
			errs = append(errs, fmt.Errorf("%s: %v", at(nameNode), config.ValidateErrorName(c.Name)))
			continue
		case builtin[c.Name]:
			errs = append(errs, fmt.Errorf("%s: error code %q is built in: choose another name", at(nameNode), c.Name))
			continue
		case m.errorPos[c.Name] != "":
			errs = append(errs, fmt.Errorf("%s: error code %q is defined twice (first at %s)", at(nameNode), c.Name, m.errorPos[c.Name]))
			continue
		}
		m.errorPos[c.Name] = at(nameNode)
		m.Errors = append(m.Errors, c)
	}
	return errs
}

// recordFix says how to repair a malformed "generated" section.
const recordFix = `"generated" is direktiv-fn's record of the last generation (do not edit it): restore it from version control, or write there what it recorded (for generated.errors, the names listed under "errors")`

// decodeRecord reads the "generated" section. A malformed one is refused,
// with the position of each problem, rather than ignored: the digests it
// holds are what tells a hand edit of a generated file from a stale one, and
// a record made up of what could be read would report changes that are not.
func (m *Manifest) decodeRecord(n *yaml.Node) (*Record, error) {
	at := func(n *yaml.Node) string { return fmt.Sprintf("%s:%d:%d", m.File, n.Line, n.Column) }
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: generated: want a mapping (files, input, errors)", at(n))
	}
	rec := &Record{Files: map[string]string{}}
	var errs []error
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "files", "input":
			if v.Kind != yaml.MappingNode {
				errs = append(errs, fmt.Errorf("%s: generated.%s: want a mapping", at(v), k.Value))
				continue
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				fk, fv := v.Content[j], v.Content[j+1]
				if fv.Kind != yaml.ScalarNode {
					errs = append(errs, fmt.Errorf("%s: generated.%s.%s: want a string", at(fv), k.Value, fk.Value))
					continue
				}
				if k.Value == "files" {
					if !fs.ValidPath(fk.Value) || fk.Value == "." || strings.Contains(fk.Value, `\`) {
						errs = append(errs, fmt.Errorf("%s: generated.files: %q is not a path inside the repository", at(fk), fk.Value))
						continue
					}
					rec.Files[fk.Value] = fv.Value
				} else {
					rec.Input = append(rec.Input, FieldType{Pointer: fk.Value, Type: fv.Value})
				}
			}
			if k.Value == "input" {
				rec.HasInput = true
			}
		case "errors":
			if v.Kind != yaml.SequenceNode {
				errs = append(errs, fmt.Errorf("%s: generated.errors: want a list of error code names, like [badInput]; %s", at(v), recordFix))
				continue
			}
			for _, e := range v.Content {
				if e.Kind != yaml.ScalarNode || e.Tag != "!!str" || config.ValidateErrorName(e.Value) != nil {
					errs = append(errs, fmt.Errorf("%s: generated.errors: want an error code name, like badInput; %s", at(e), recordFix))
					continue
				}
				rec.Errors = append(rec.Errors, e.Value)
			}
		default:
			errs = append(errs, fmt.Errorf("%s: generated: unknown key %q (known: files, input, errors)", at(k), k.Value))
		}
	}
	return rec, errors.Join(errs...)
}

// migrate brings the document from version v to Version, in place.
// data is the file as read, to tell whether it already has a modeline.
func migrate(doc *yaml.Node, v int, data []byte) {
	top := doc.Content[0]
	if v < 2 {
		// Version 1 -> 2: errors[].code becomes errors[].name; the generated
		// map of digests moves to generated.files; the schema modeline heads
		// the file.
		if _, errs := lookup(top, "errors"); errs != nil && errs.Kind == yaml.SequenceNode {
			for _, item := range errs.Content {
				if k, _ := lookup(item, "code"); k != nil {
					k.Value = "name"
				}
			}
		}
		if k, g := lookup(top, "generated"); g != nil {
			files := *g
			*g = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{scalar("files"), &files}}
			if k.HeadComment == "" {
				k.HeadComment = generatedComment
			}
		}
		if !bytes.Contains(data, []byte("yaml-language-server:")) {
			if doc.HeadComment != "" {
				doc.HeadComment = joinComment("# "+SchemaModeline, doc.HeadComment)
			} else {
				top.HeadComment = joinComment("# "+SchemaModeline, top.HeadComment)
			}
		}
	}
	_, vn := lookup(top, "version")
	vn.Value = strconv.Itoa(Version)
	vn.Tag = "!!int"
	vn.Style = 0
}

// joinComment joins two comments, a first, with a line break; a when b is
// empty.
func joinComment(a, b string) string {
	if b == "" {
		return a
	}
	return a + "\n" + b
}

// ---------------------------------------------------------------------------
