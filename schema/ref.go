package schema

import (
	"net/url"
	"strings"
)

// resolveRefs points every "$ref" at its target. Only references within the
// document are supported: "#" and "#/json/pointer" (percent-encoded or not),
// relative to the enclosing schema resource.
func (p *parser) resolveRefs() {
	for _, r := range p.refs {
		raw := r.from.Ref.Raw
		frag, ok := strings.CutPrefix(raw, "#")
		if !ok {
			p.errorf(r.node, r.from.Pointer+"/$ref", "remote reference %q is not supported: only references within the schema file (\"#/$defs/name\") are", raw)
			continue
		}
		if frag != "" && !strings.HasPrefix(frag, "/") {
			p.errorf(r.node, r.from.Pointer+"/$ref", "anchor reference %q is not supported: use a JSON Pointer such as \"#/$defs/%s\"", raw, frag)
			continue
		}
		unescaped, err := url.PathUnescape(frag)
		if err != nil {
			p.errorf(r.node, r.from.Pointer+"/$ref", "reference %q is not a valid URI fragment: %v", raw, err)
			continue
		}
		target, ok := p.byPtr[r.base+unescaped]
		if !ok {
			p.errorf(r.node, r.from.Pointer+"/$ref", "reference %q points to no schema in this file (looked for the JSON Pointer %q)", raw, r.base+unescaped)
			continue
		}
		r.from.Ref.Target = target
	}
}
