package schema

import (
	"net/url"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// defaultBase is the base URI of a document whose root has no "$id": a
// relative reference such as "node" or "#/$defs/a" resolves against it.
const defaultBase = "file:///input.schema.json"

// anchorName is the syntax of an "$anchor" (draft 2020-12, section 8.2.2).
var anchorName = regexp.MustCompile(`^[A-Za-z_][-A-Za-z0-9._]*$`)

// identify registers schema s, at node n, under its "$id" and "$anchor",
// and returns the base URI of its keywords: its "$id" resolved against the
// enclosing base, or that base.
func (p *parser) identify(s *Schema, n *yaml.Node, base string) string {
	idNode, anchorNode := p.member(n, "$id"), p.member(n, "$anchor")
	if p.draft == Draft7 && p.member(n, "$ref") != nil {
		// Draft-07 ignores every keyword beside "$ref", "$id" included.
		idNode = nil
	}
	if idNode != nil && idNode.Kind == yaml.ScalarNode && idNode.Tag == "!!str" {
		uri, frag, err := resolveURI(base, idNode.Value)
		switch {
		case err != nil:
			p.errorf(idNode, s.Pointer+"/$id", "\"$id\" %q is not a valid URI reference: %v", idNode.Value, err)
		case frag != "" && strings.HasPrefix(frag, "/"):
			p.errorf(idNode, s.Pointer+"/$id", "\"$id\" %q may not end with a JSON Pointer fragment", idNode.Value)
		default:
			if !strings.HasPrefix(idNode.Value, "#") {
				base = uri
				if _, dup := p.resources[base]; dup && s.Pointer != "" {
					p.errorf(idNode, s.Pointer+"/$id", "\"$id\" %q identifies two schemas of this file", idNode.Value)
				}
				p.resources[base] = s
			}
			if frag != "" {
				// "$id": "#name" is draft-07's way of naming an anchor.
				p.anchor(s, idNode, s.Pointer+"/$id", base, frag)
			}
		}
	}
	if anchorNode != nil && anchorNode.Kind == yaml.ScalarNode && anchorNode.Tag == "!!str" && p.draft != Draft7 {
		p.anchor(s, anchorNode, s.Pointer+"/$anchor", base, anchorNode.Value)
	}
	return base
}

// anchor registers s as the anchor name of the resource base.
func (p *parser) anchor(s *Schema, n *yaml.Node, ptr, base, name string) {
	if !anchorName.MatchString(name) {
		p.errorf(n, ptr, "anchor %q is not a valid name: start with a letter or '_', then letters, digits, '-', '_' or '.'", name)
		return
	}
	key := base + "#" + name
	if _, dup := p.anchors[key]; dup {
		p.errorf(n, ptr, "anchor %q is defined twice in the same schema resource", name)
		return
	}
	p.anchors[key] = s
}

// member returns the value of key in mapping node n, or nil.
func (p *parser) member(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// resolveURI resolves the URI reference ref against base and returns the
// absolute URI without its fragment, and the fragment, unescaped.
func resolveURI(base, ref string) (uri, frag string, err error) {
	b, err := url.Parse(base)
	if err != nil {
		return "", "", err
	}
	r, err := url.Parse(ref)
	if err != nil {
		return "", "", err
	}
	u := b.ResolveReference(r)
	frag = u.Fragment
	u.Fragment, u.RawFragment = "", ""
	return u.String(), frag, nil
}

// resolveRefs points every "$ref" at its target. References are resolved
// within the document, against the base URI that "$id" sets: a JSON
// Pointer fragment ("#/$defs/a", percent-encoded or not), an anchor
// ("#name"), or the URI of an embedded resource ("item.json",
// "http://example.com/tree#/$defs/node"). References to other documents
// are not supported.
func (p *parser) resolveRefs() {
	for _, r := range p.refs {
		if p.stopped() {
			return
		}
		raw := r.from.Ref.Raw
		at := r.from.Pointer + "/$ref"
		uri, frag, err := resolveURI(r.base, raw)
		if err != nil {
			p.errorf(r.node, at, "reference %q is not a valid URI reference: %v", raw, err)
			continue
		}
		res, ok := p.resources[uri]
		if !ok {
			p.errorf(r.node, at, "remote reference %q is not supported: only references within the schema file (\"#/$defs/name\") are", raw)
			continue
		}
		var target *Schema
		if frag == "" || strings.HasPrefix(frag, "/") {
			target, ok = p.byPtr[res.Pointer+frag]
			if !ok {
				p.errorf(r.node, at, "reference %q points to no schema in this file (looked for the JSON Pointer %q)", raw, res.Pointer+frag)
				continue
			}
		} else if target, ok = p.anchors[uri+"#"+frag]; !ok {
			p.errorf(r.node, at, "reference %q points to no schema in this file (no anchor %q)", raw, frag)
			continue
		}
		r.from.Ref.Target = target
	}
}
