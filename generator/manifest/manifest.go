// Package manifest reads, edits and writes direktiv-fn.yaml, the manifest of a
// function repository: its configuration, and the record of what the last
// generation wrote (files and their digests, the input's fields, the error
// codes). Edits keep the user's comments and key order.
package manifest

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/direktiv"
)

// Version is the version of the manifest format this generator
// writes. LoadManifest migrates every older version to it and refuses newer
// ones.
//
// Version 1 recorded errors[].code and a generated map of path -> digest.
// Version 2 names the error code's short name errors[].name (the code
// Direktiv sees is "<id>.<name>"), and records under "generated" the files'
// digests, the input's fields and the error codes of the last generation.
const Version = 2

// SchemaURL is where editors fetch the manifest's JSON Schema
// (generator.ManifestSchema).
const SchemaURL = "https://raw.githubusercontent.com/direktiv-fn/direktiv-fn/main/generator/manifest.schema.json"

// SchemaModeline is the comment that tells yaml-language-server (VS Code's
// YAML extension and others) which schema completes and checks the file.
const SchemaModeline = "yaml-language-server: $schema=" + SchemaURL

// manifestComment heads a new manifest.
const manifestComment = SchemaModeline + `
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
	Mode   config.Mode
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
	Errors []config.ErrorCode
	// MaxDepth is input.maxDepth, or 0 when the manifest does not set it.
	MaxDepth int
	// AnnotateFormats is true for input.formats: annotate.
	AnnotateFormats bool
	// OutputSchema is output.schema, the output schema's path (as
	// Config.OutputSchemaFile), or "" when the function has none.
	OutputSchema string
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
func (m *Manifest) Config() config.Config {
	return config.Config{
		ID:         m.ID,
		Mode:       m.Mode,
		Image:      m.Image,
		Module:     m.Module,
		SchemaFile: m.Schema,
		Direktiv:   m.Direktiv,
		Scope:      m.Scope,
		Errors:     append([]config.ErrorCode(nil), m.Errors...),
		MaxDepth:   m.MaxDepth,

		AnnotateFormats:  m.AnnotateFormats,
		OutputSchemaFile: m.OutputSchema,
	}
}

// Migrated reports whether the manifest was read from an older version.
func (m *Manifest) Migrated() bool { return m.ReadVersion < Version }

// ---------------------------------------------------------------------------
// Editing

// AddError adds a user-defined error code to the manifest. It refuses an
// invalid name, a built-in name and a duplicate.
func (m *Manifest) AddError(name, description string) error {
	if err := config.ValidateErrorName(name); err != nil {
		return err
	}
	for _, b := range config.BuiltinErrors {
		if b.Name == name {
			return fmt.Errorf("error code %q is built in: choose another name", name)
		}
	}
	for _, e := range m.Errors {
		if e.Name == name {
			return fmt.Errorf("error code %q already exists (%s)", name, m.errorPos[name])
		}
		if config.GoName(e.Name) == config.GoName(name) {
			return fmt.Errorf("error code %q would become the Go constant Err%s, like %q (%s): choose another name", name, config.GoName(name), e.Name, m.errorPos[e.Name])
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
	m.Errors = append(m.Errors, config.ErrorCode{Name: name, Description: description})
	m.errorPos[name] = m.File
	return nil
}

// SetImage sets the manifest's image reference, e.g. to pin it to a
// pushed digest ("registry.example.com/fn:v1@sha256:..."); the next
// generation renders it into workflow.yaml. A comment on the line stays.
func (m *Manifest) SetImage(ref string) error {
	if err := config.ValidateImage(ref); err != nil {
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
	for _, b := range config.BuiltinErrors {
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

// New returns the manifest of a new repository for cfg.
func New(cfg config.Config) *Manifest {
	top := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	add := func(k string, v *yaml.Node) { top.Content = append(top.Content, scalar(k), v) }
	add("version", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(Version)})
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
	if cfg.MaxDepth != 0 || cfg.AnnotateFormats {
		input := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		if cfg.MaxDepth != 0 {
			input.Content = append(input.Content, scalar("maxDepth"), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(cfg.MaxDepth)})
		}
		if cfg.AnnotateFormats {
			input.Content = append(input.Content, scalar("formats"), scalar("annotate"))
		}
		add("input", input)
	}
	if out := outputNode(cfg); out != nil {
		add("output", out)
	}
	add("errors", &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle})
	top.HeadComment = manifestComment
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{top}}
	m := &Manifest{File: config.ManifestFile, ReadVersion: Version, doc: doc, errorPos: map[string]string{}}
	for _, e := range cfg.Errors {
		// Generate has checked the names already.
		_ = m.AddError(e.Name, e.Description)
	}
	return m
}

// Render writes the manifest with the generator version and the record of
// a generation, keeping everything else as it was read.
func (m *Manifest) Render(version string, rec *Record) ([]byte, error) {
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
