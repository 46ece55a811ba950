package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Schema dialect identifiers accepted in "$schema".
var draftURIs = map[string]Draft{
	"https://json-schema.org/draft/2020-12/schema": Draft2020,
	"http://json-schema.org/draft-07/schema":       Draft7,
}

// Parse reads a JSON Schema document (JSON, or YAML for convenience) and
// returns its typed model. file names the document in diagnostics. Every
// problem found is reported, each with its position and JSON Pointer; the
// error is then a Diagnostics.
func Parse(file string, data []byte) (*Document, error) {
	return ParseContext(context.Background(), file, data)
}

// ParseContext is Parse, stopping early with ctx's error when ctx is done.
func ParseContext(ctx context.Context, file string, data []byte) (*Document, error) {
	p := &parser{ctx: ctx, file: file, byPtr: map[string]*Schema{}, additionalItems: map[*Schema]*Schema{},
		resources: map[string]*Schema{}, anchors: map[string]*Schema{}}
	// A byte order mark is not JSON, but editors write one: ignore it.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if d, ok := p.checkJSON(data); !ok {
		return nil, Diagnostics{d}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, Diagnostics{p.yamlError(err)}
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, Diagnostics{{File: file, Pos: Pos{1, 1}, Message: "the schema file is empty: write a JSON Schema object, e.g. {\"type\": \"object\"}"}}
	}
	top := root.Content[0]
	p.duplicateKeys(top, "")
	p.draft = p.detectDraft(top)
	doc := &Document{File: file, Draft: p.draft}
	doc.Root = p.schema(top, "", defaultBase)
	p.resources[defaultBase] = doc.Root
	p.resolveRefs()
	if len(p.diags) == 0 {
		p.refCycles()
	}
	if p.err != nil {
		return nil, p.err
	}
	if len(p.diags) > 0 {
		sort.SliceStable(p.diags, func(i, j int) bool {
			a, b := p.diags[i].Pos, p.diags[j].Pos
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			return a.Col < b.Col
		})
		return nil, p.diags
	}
	return doc, nil
}

// parser holds the state of one Parse call.
type parser struct {
	ctx context.Context
	// err is ctx's error once the parse is cancelled; steps counts the
	// work done since ctx was last checked.
	err   error
	steps int
	// all lists every schema of the document, in document order.
	all   []*Schema
	file  string
	draft Draft
	diags Diagnostics
	// byPtr maps the JSON Pointer of every schema to it, for "$ref".
	byPtr map[string]*Schema
	// resources maps the absolute URI (without fragment) of every schema
	// resource, the root and each schema with "$id", to its schema.
	resources map[string]*Schema
	// anchors maps "uri#name" to the schema of each "$anchor" (and each
	// draft-07 "$id" that is a fragment).
	anchors map[string]*Schema
	// refs are the references to resolve once the whole document is read.
	refs []pendingRef
	// additionalItems holds draft-07 "additionalItems" until its schema
	// object is read: it only counts when "items" is an array.
	additionalItems map[*Schema]*Schema
}

// pendingRef is a "$ref" waiting for resolution.
type pendingRef struct {
	from *Schema
	node *yaml.Node
	// base is the base URI the ref is relative to.
	base string
}

// stopped reports whether the parse is cancelled, checking the context
// every few thousand steps of work.
func (p *parser) stopped() bool {
	if p.err == nil {
		if p.steps++; p.steps%1024 == 0 {
			p.err = p.ctx.Err()
		}
	}
	return p.err != nil
}

// errorf records a diagnostic at node n, whose JSON Pointer is ptr.
func (p *parser) errorf(n *yaml.Node, ptr, format string, args ...any) {
	p.diags = append(p.diags, Diagnostic{File: p.file, Pos: pos(n), Pointer: ptr, Message: fmt.Sprintf(format, args...)})
}

// pos returns the position of node n.
func pos(n *yaml.Node) Pos { return Pos{Line: n.Line, Col: n.Column} }

// checkJSON reports the first syntax error of a document that looks like
// JSON, with its line and column; YAML documents are left to yaml.v3.
func (p *parser) checkJSON(data []byte) (Diagnostic, bool) {
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(trimmed) == 0 || (trimmed[0] != '{' && trimmed[0] != '[' && !strings.HasSuffix(p.file, ".json")) {
		return Diagnostic{}, true
	}
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return Diagnostic{}, true
	}
	// Offset counts the bytes read, the offending one included.
	line, col := lineCol(data, max(int(se.Offset)-1, 0))
	return Diagnostic{File: p.file, Pos: Pos{line, col}, Message: "invalid JSON: " + se.Error()}, false
}

// lineCol converts a byte offset into a 1-based line and column (in characters).
func lineCol(data []byte, off int) (int, int) {
	if off > len(data) {
		off = len(data)
	}
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return line, len([]rune(string(before[lineStart:]))) + 1
}

// yamlLine matches a yaml.v3 error that names its line.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a yaml.v3 error into a diagnostic at the line it names.
func (p *parser) yamlError(err error) Diagnostic {
	d := Diagnostic{File: p.file, Pos: Pos{1, 1}, Message: "invalid YAML: " + err.Error()}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		fmt.Sscan(m[1], &d.Pos.Line)
		d.Message = "invalid YAML: " + m[2]
	}
	return d
}

// detectDraft returns the dialect that the root's "$schema" names (draft
// 2020-12 when absent), reporting a dialect that is not supported.
func (p *parser) detectDraft(top *yaml.Node) Draft {
	if top.Kind != yaml.MappingNode {
		return Draft2020
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value != "$schema" {
			continue
		}
		v := top.Content[i+1]
		uri := strings.TrimSuffix(v.Value, "#")
		if d, ok := draftURIs[uri]; ok && v.Kind == yaml.ScalarNode {
			return d
		}
		// Both schemes name the same dialect; the specifications publish one.
		for _, alt := range []string{strings.Replace(uri, "https://", "http://", 1), strings.Replace(uri, "http://", "https://", 1)} {
			if d, ok := draftURIs[alt]; ok && v.Kind == yaml.ScalarNode {
				return d
			}
		}
		p.errorf(v, "/$schema", "unsupported $schema %q: use %q (draft 2020-12) or %q (draft-07)",
			v.Value, "https://json-schema.org/draft/2020-12/schema", "http://json-schema.org/draft-07/schema#")
	}
	return Draft2020
}

// duplicateKeys reports every key that appears twice in one object, anywhere
// in the document: JSON parsers disagree on which of the two wins, so the
// generated validation could disagree with other tools reading the file.
// ptr is the JSON Pointer of n; each report names the duplicated member's.
func (p *parser) duplicateKeys(n *yaml.Node, ptr string) {
	if p.stopped() {
		return
	}
	switch n.Kind {
	case yaml.MappingNode:
		first := map[string]*yaml.Node{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			at := ptr + "/" + EscapeToken(k.Value)
			if prev, ok := first[k.Value]; ok {
				p.errorf(k, at, "key %q appears twice in the same object (first at line %d, column %d): keep one", k.Value, prev.Line, prev.Column)
			} else {
				first[k.Value] = k
			}
			p.duplicateKeys(k, at)
			p.duplicateKeys(n.Content[i+1], at)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p.duplicateKeys(c, ptr+"/"+itoa(i))
		}
	}
}

// schema parses the schema at node n, whose JSON Pointer is ptr. base is the
// base URI of the enclosing schema resource, for resolving "$ref".
func (p *parser) schema(n *yaml.Node, ptr, base string) *Schema {
	s := &Schema{Pointer: ptr, Pos: pos(n)}
	p.byPtr[ptr] = s
	p.all = append(p.all, s)
	switch {
	case p.stopped():
		return s
	case n.Kind == yaml.AliasNode:
		p.errorf(n, ptr, "YAML aliases are not supported in schemas: write the schema out, or use \"$ref\"")
		return s
	case n.Kind == yaml.ScalarNode && n.Tag == "!!bool":
		b := n.Value == "true"
		s.Bool = &b
		return s
	case n.Kind != yaml.MappingNode:
		p.errorf(n, ptr, "a schema must be an object or a boolean, not %s", describe(n))
		return s
	}
	base = p.identify(s, n, base)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		s.Keywords = append(s.Keywords, Keyword{Name: k.Value, Pos: pos(k)})
		p.keyword(s, k, v, ptr+"/"+EscapeToken(k.Value), base)
	}
	if add, ok := p.additionalItems[s]; ok && s.PrefixItems != nil {
		s.Items = add
	}
	if p.draft == Draft7 && s.Ref != nil {
		// In draft-07 every keyword beside "$ref" is ignored (the
		// specification says so); definitions stay reachable by pointer.
		*s = Schema{Pointer: s.Pointer, Pos: s.Pos, Keywords: s.Keywords, Ref: s.Ref, Defs: s.Defs,
			Title: s.Title, Description: s.Description, Default: s.Default, Examples: s.Examples}
	}
	return s
}

// EscapeToken encodes a JSON Pointer reference token (RFC 6901): "~" as
// "~0" and "/" as "~1".
func EscapeToken(tok string) string {
	if !strings.ContainsAny(tok, "~/") {
		return tok
	}
	return pointerEscaper.Replace(tok)
}

// pointerEscaper encodes a JSON Pointer reference token.
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// describe names the JSON type of node n for messages, e.g. "an array".
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "an object"
	case yaml.SequenceNode:
		return "an array"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.Tag {
	case "!!null":
		return "null"
	case "!!bool":
		return "a boolean"
	case "!!int", "!!float":
		return "a number"
	}
	return fmt.Sprintf("a string (%q)", n.Value)
}
