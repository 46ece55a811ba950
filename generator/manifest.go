package generator

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/direktiv-fn/direktiv-fn/generator/direktiv"
	"github.com/direktiv-fn/direktiv-fn/schema/suggest"
)

// ManifestVersion is the version of the manifest format this generator
// writes. LoadManifest migrates every older version to it and refuses newer
// ones.
//
// Version 1 recorded errors[].code and a generated map of path -> digest.
// Version 2 names the error code's short name errors[].name (the code
// Direktiv sees is "<id>.<name>"), and records under "generated" the files'
// digests, the input's fields and the error codes of the last generation.
const ManifestVersion = 2

// ManifestSchema is the JSON Schema of the manifest, for editors: the
// manifest's first line points yaml-language-server at ManifestSchemaURL.
//
//go:embed manifest.schema.json
var ManifestSchema []byte

// ManifestSchemaURL is where editors fetch ManifestSchema.
const ManifestSchemaURL = "https://raw.githubusercontent.com/direktiv-fn/direktiv-fn/main/generator/manifest.schema.json"

// schemaModeline is the comment that tells yaml-language-server (VS Code's
// YAML extension and others) which schema completes and checks the file.
const schemaModeline = "yaml-language-server: $schema=" + ManifestSchemaURL

// manifestComment heads a new manifest.
const manifestComment = schemaModeline + `
direktiv-fn manifest: everything "direktiv-fn generate" replays.
Edit it (or the schema), then run "direktiv-fn generate".`

// generatedComment heads the manifest's record of the last generation.
const generatedComment = `What the last generation wrote. direktiv-fn maintains it: do not edit.`

// Manifest is a manifest read back from a repository. It keeps the YAML node
// tree it was read from, so that an update keeps the user's comments and the
// order of keys.
type Manifest struct {
	// File names the manifest in errors.
	File string
	// ReadVersion is the version the file had before migration.
	ReadVersion int
	// Generator is the generator that last wrote the manifest.
	Generator string
	// ID, Mode, Image, Module and Schema are as in Config (Schema is
	// Config.SchemaFile).
	ID     string
	Mode   Mode
	Image  string
	Module string
	Schema string
	// Direktiv is the Direktiv release the function targets, as written
	// ("v0.7"); empty for the latest release of the mode (see Config).
	Direktiv string
	// Scope is "namespace" for a namespace service; "" or "workflow"
	// otherwise (see Config).
	Scope string
	// Errors are the user-defined error codes, in manifest order.
	Errors []ErrorCode
	// MaxDepth is input.maxDepth, or 0 when the manifest does not set it.
	MaxDepth int
	// Last is the record of the last generation; nil when the manifest has
	// none (a version 1 manifest records only the files' digests).
	Last *Record

	// doc is the document node the manifest was read from, migrated.
	doc *yaml.Node
	// errorPos is the position of each error code's name, for messages.
	errorPos map[string]string
	// valuePos is the position of each top-level key's value, for messages.
	valuePos map[string]string
}

// Position returns where the value of the manifest's top-level key is, as
// "file:line:col"; the file name alone when the key is absent.
func (m *Manifest) Position(key string) string {
	if p := m.valuePos[key]; p != "" {
		return p
	}
	return m.File
}

// Record is what a generation wrote: the manifest's "generated" section.
type Record struct {
	// Files maps the path of every generated file (but the manifest and
	// the stamp) to its digest, as Hash returns it. It also keeps, with the
	// digest recorded when they were written, the stale generated files
	// (no longer generated) that were left on disk because they had been
	// edited by hand, so that later generations still report them and
	// --force can still delete them.
	Files map[string]string
	// Input lists the input's fields, in schema order.
	Input []FieldType
	// Errors are the user-defined error code names.
	Errors []string
	// HasInput is false when the record holds no input fields (it was
	// migrated from version 1), so that nothing can be said about changes.
	HasInput bool
}

// FieldType is one field of the input as the manifest records it.
type FieldType struct {
	// Pointer locates the field as in the README: "/files/*/path".
	Pointer string
	// Type says its type in words, e.g. "array of object, required".
	Type string
}

// Hash returns the digest recorded in the manifest for a file's content.
func Hash(content []byte) string {
	sum := sha256.Sum256(content)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Config returns the configuration the manifest records. The caller adds
// the schema's content, the parsed schema and the generator version.
func (m *Manifest) Config() Config {
	return Config{
		ID:         m.ID,
		Mode:       m.Mode,
		Image:      m.Image,
		Module:     m.Module,
		SchemaFile: m.Schema,
		Direktiv:   m.Direktiv,
		Scope:      m.Scope,
		Errors:     append([]ErrorCode(nil), m.Errors...),
		MaxDepth:   m.MaxDepth,
	}
}

// Migrated reports whether the manifest was read from an older version.
func (m *Manifest) Migrated() bool { return m.ReadVersion < ManifestVersion }

// ---------------------------------------------------------------------------
// Reading

// LoadManifest reads a manifest. An older version is migrated in memory (the
// caller writes it back with the next generation); a newer one is refused.
// Every problem is reported with file:line:col, all of them joined.
func LoadManifest(file string, data []byte) (*Manifest, error) {
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
		return nil, fmt.Errorf("%s: version %q is not a manifest version (1 to %d)", at(vn), vn.Value, ManifestVersion)
	}
	if v > ManifestVersion {
		by := ""
		if _, g := lookup(top, "generator"); g != nil && g.Kind == yaml.ScalarNode {
			by = " (" + g.Value + ")"
		}
		return nil, fmt.Errorf("%s: the manifest is version %d, written by a newer direktiv-fn%s; this one reads versions 1 to %d: upgrade direktiv-fn (go install github.com/direktiv-fn/direktiv-fn@latest)", at(vn), v, by, ManifestVersion)
	}
	m.ReadVersion = v
	migrate(&doc, v, data)
	if err := m.decode(top); err != nil {
		return nil, err
	}
	return m, nil
}

// yamlLine matches the position yaml.v3 gives a syntax error.
var yamlLine = regexp.MustCompile(`^line ([0-9]+): `)

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
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
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
func (m *Manifest) decode(top *yaml.Node) error {
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
				if err := ValidateID(m.ID); err != nil {
					bad(v, "%v", err)
				}
			}
		case "mode":
			if s := str(k.Value, v, true); s != "" {
				mode, err := ParseMode(s)
				if err != nil {
					bad(v, "%v", err)
				}
				m.Mode = mode
			}
		case "image":
			if m.Image = str(k.Value, v, true); m.Image != "" {
				if err := ValidateImage(m.Image); err != nil {
					bad(v, "%v", err)
				}
			}
		case "module":
			if m.Module = str(k.Value, v, true); m.Module != "" {
				if err := ValidateModule(m.Module); err != nil {
					bad(v, "%v", err)
				}
			}
		case "schema":
			if m.Schema = str(k.Value, v, true); m.Schema != "" {
				if path.IsAbs(m.Schema) || strings.HasPrefix(path.Clean(m.Schema), "..") || strings.Contains(m.Schema, `\`) {
					bad(v, "schema %q: the path must be relative, slash-separated and inside the repository", m.Schema)
				} else if generatedPath(path.Clean(m.Schema)) {
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
		case "generated":
			rec, err := m.decodeRecord(v)
			if err != nil {
				errs = append(errs, err)
			}
			m.Last = rec
		default:
			bad(k, "unknown key %q%s (known: version, generator, id, mode, image, module, schema, direktiv, scope, errors, input, generated)", k.Value, suggest.Hint(k.Value, manifestKeys))
		}
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
var manifestKeys = []string{"version", "generator", "id", "mode", "image", "module", "schema", "direktiv", "scope", "errors", "input", "generated"}

// generatedPath reports whether p is the manifest or a generated file of
// any mode: no place for the schema.
func generatedPath(p string) bool {
	if p == ManifestFile {
		return true
	}
	for _, o := range outputs {
		if o.Path == p && o.Policy == Generated {
			return true
		}
	}
	return false
}

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
	for _, b := range BuiltinErrors {
		builtin[b.Name] = true
	}
	for _, item := range n.Content {
		if item.Kind != yaml.MappingNode {
			errs = append(errs, fmt.Errorf("%s: errors: want {name: ..., description: ...}", at(item)))
			continue
		}
		var c ErrorCode
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
		case ValidateErrorName(c.Name) != nil:
			errs = append(errs, fmt.Errorf("%s: %v", at(nameNode), ValidateErrorName(c.Name)))
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
				if e.Kind != yaml.ScalarNode || e.Tag != "!!str" || ValidateErrorName(e.Value) != nil {
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

// migrate brings the document from version v to ManifestVersion, in place.
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
				doc.HeadComment = joinComment("# "+schemaModeline, doc.HeadComment)
			} else {
				top.HeadComment = joinComment("# "+schemaModeline, top.HeadComment)
			}
		}
	}
	_, vn := lookup(top, "version")
	vn.Value = strconv.Itoa(ManifestVersion)
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
// Editing

// AddError adds a user-defined error code to the manifest. It refuses an
// invalid name, a built-in name and a duplicate.
func (m *Manifest) AddError(name, description string) error {
	if err := ValidateErrorName(name); err != nil {
		return err
	}
	for _, b := range BuiltinErrors {
		if b.Name == name {
			return fmt.Errorf("error code %q is built in: choose another name", name)
		}
	}
	for _, e := range m.Errors {
		if e.Name == name {
			return fmt.Errorf("error code %q already exists (%s)", name, m.errorPos[name])
		}
		if GoName(e.Name) == GoName(name) {
			return fmt.Errorf("error code %q would become the Go constant Err%s, like %q (%s): choose another name", name, GoName(name), e.Name, m.errorPos[e.Name])
		}
	}
	top := m.doc.Content[0]
	_, seq := lookup(top, "errors")
	if seq == nil {
		seq = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		insertAfter(top, "schema", scalar("errors"), seq)
	}
	if seq.Kind != yaml.SequenceNode {
		*seq = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	}
	seq.Style = 0
	item := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{scalar("name"), scalar(name)}}
	if description != "" {
		item.Content = append(item.Content, scalar("description"), scalar(description))
	}
	seq.Content = append(seq.Content, item)
	m.Errors = append(m.Errors, ErrorCode{Name: name, Description: description})
	m.errorPos[name] = m.File
	return nil
}

// SetImage sets the manifest's image reference, e.g. to pin it to a
// pushed digest ("registry.example.com/fn:v1@sha256:..."); the next
// generation renders it into workflow.yaml. A comment on the line stays.
func (m *Manifest) SetImage(ref string) error {
	if err := ValidateImage(ref); err != nil {
		return err
	}
	// A loaded manifest always has an image (LoadManifest requires it).
	_, v := lookup(m.doc.Content[0], "image")
	v.Kind, v.Tag, v.Style, v.Value, v.Content = yaml.ScalarNode, "!!str", 0, ref, nil
	m.Image = ref
	return nil
}

// RemoveError removes a user-defined error code from the manifest, with the
// comments attached to it.
func (m *Manifest) RemoveError(name string) error {
	for _, b := range BuiltinErrors {
		if b.Name == name {
			return fmt.Errorf("error code %q is built in: it cannot be removed", name)
		}
	}
	idx := -1
	for i, e := range m.Errors {
		if e.Name == name {
			idx = i
		}
	}
	if idx < 0 {
		var names []string
		for _, e := range m.Errors {
			names = append(names, e.Name)
		}
		known := "it has none"
		if len(names) > 0 {
			known = "it has " + strings.Join(names, ", ")
		}
		return fmt.Errorf("no error code %q in %s (%s)", name, m.File, known)
	}
	_, seq := lookup(m.doc.Content[0], "errors")
	for i, item := range seq.Content {
		if _, n := lookup(item, "name"); n != nil && n.Value == name {
			seq.Content = append(seq.Content[:i:i], seq.Content[i+1:]...)
			break
		}
	}
	if len(seq.Content) == 0 {
		seq.Style = yaml.FlowStyle
	}
	m.Errors = append(m.Errors[:idx:idx], m.Errors[idx+1:]...)
	delete(m.errorPos, name)
	return nil
}

// ---------------------------------------------------------------------------
// Writing

// newManifest returns the manifest of a new repository for cfg.
func newManifest(cfg Config) *Manifest {
	top := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	add := func(k string, v *yaml.Node) { top.Content = append(top.Content, scalar(k), v) }
	add("version", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(ManifestVersion)})
	add("generator", scalar(""))
	add("id", scalar(cfg.ID))
	add("mode", scalar(string(cfg.Mode)))
	add("image", scalar(cfg.Image))
	add("module", scalar(cfg.Module))
	add("schema", scalar(cfg.SchemaFile))
	if cfg.Direktiv != "" {
		add("direktiv", scalar(cfg.Direktiv))
	}
	if cfg.Scope != "" && cfg.Scope != direktiv.ScopeWorkflow {
		add("scope", scalar(cfg.Scope))
	}
	if cfg.MaxDepth != 0 {
		add("input", &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
			scalar("maxDepth"), {Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(cfg.MaxDepth)},
		}})
	}
	add("errors", &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle})
	top.HeadComment = manifestComment
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{top}}
	m := &Manifest{File: ManifestFile, ReadVersion: ManifestVersion, doc: doc, errorPos: map[string]string{}}
	for _, e := range cfg.Errors {
		// Generate has checked the names already.
		_ = m.AddError(e.Name, e.Description)
	}
	return m
}

// render writes the manifest with the generator version and the record of
// a generation, keeping everything else as it was read.
func (m *Manifest) render(version string, rec *Record) ([]byte, error) {
	top := m.doc.Content[0]
	if _, g := lookup(top, "generator"); g != nil {
		// Set the value only, so that a comment on the line stays.
		g.Kind, g.Tag, g.Style, g.Value, g.Content = yaml.ScalarNode, "!!str", 0, "direktiv-fn "+version, nil
	} else {
		insertAfter(top, "version", scalar("generator"), scalar("direktiv-fn "+version))
	}
	files := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for _, p := range slices.Sorted(maps.Keys(rec.Files)) {
		files.Content = append(files.Content, scalar(p), scalar(rec.Files[p]))
	}
	input := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	if len(rec.Input) == 0 {
		input.Style = yaml.FlowStyle
	}
	for _, f := range rec.Input {
		input.Content = append(input.Content, scalar(f.Pointer), scalar(f.Type))
	}
	errs := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	if len(rec.Errors) == 0 {
		errs.Style = yaml.FlowStyle
	}
	for _, e := range rec.Errors {
		errs.Content = append(errs.Content, scalar(e))
	}
	gen := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
		scalar("files"), files, scalar("input"), input, scalar("errors"), errs,
	}}
	if _, g := lookup(top, "generated"); g != nil {
		*g = *gen
	} else {
		key := scalar("generated")
		key.HeadComment = generatedComment
		top.Content = append(top.Content, key, gen)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(m.doc); err != nil {
		return nil, fmt.Errorf("internal error: encoding %s: %w", m.File, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("internal error: encoding %s: %w", m.File, err)
	}
	return b.Bytes(), nil
}

// lookup returns the key and value nodes of key in a mapping node.
func lookup(n *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i], n.Content[i+1]
		}
	}
	return nil, nil
}

// insertAfter inserts a key and value after key in a mapping, or at its end.
func insertAfter(n *yaml.Node, key string, k, v *yaml.Node) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			rest := append([]*yaml.Node{k, v}, n.Content[i+2:]...)
			n.Content = append(n.Content[:i+2], rest...)
			return
		}
	}
	n.Content = append(n.Content, k, v)
}

// scalar returns a string scalar node.
func scalar(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}
