package schema

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/direktiv-fn/direktiv-fn/schema/suggest"
)

// itoa formats an array index for a JSON Pointer.
func itoa(i int) string { return strconv.Itoa(i) }

// jsonNumber matches the JSON number grammar (RFC 8259).
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// member is one key/value pair of a mapping node.
type member struct{ key, val *yaml.Node }

// members returns the pairs of an object-valued keyword.
func (p *parser) members(v *yaml.Node, ptr string) []member {
	if v.Kind != yaml.MappingNode {
		p.errorf(v, ptr, "expected an object, not %s", describe(v))
		return nil
	}
	var ms []member
	for i := 0; i+1 < len(v.Content); i += 2 {
		ms = append(ms, member{v.Content[i], v.Content[i+1]})
	}
	return ms
}

// str returns the value of a string-valued keyword.
func (p *parser) str(v *yaml.Node, ptr string) (string, bool) {
	if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
		p.errorf(v, ptr, "expected a string, not %s", describe(v))
		return "", false
	}
	return v.Value, true
}

// strings returns an array of unique strings, in order.
func (p *parser) strings(v *yaml.Node, ptr string) []string {
	if v.Kind != yaml.SequenceNode {
		p.errorf(v, ptr, "expected an array of strings, not %s", describe(v))
		return nil
	}
	out := []string{}
	seen := map[string]bool{}
	for i, e := range v.Content {
		s, ok := p.str(e, ptr+"/"+itoa(i))
		if !ok {
			continue
		}
		if seen[s] {
			p.errorf(e, ptr+"/"+itoa(i), "%q is listed twice", s)
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

// typeNames maps the names allowed in "type" to their Type.
var typeNames = map[string]Type{
	"null": TypeNull, "boolean": TypeBoolean, "object": TypeObject, "array": TypeArray,
	"number": TypeNumber, "string": TypeString, "integer": TypeInteger,
}

// types reads "type": one type name or an array of them.
func (p *parser) types(v *yaml.Node, ptr string) []Type {
	one := func(n *yaml.Node, at string) (Type, bool) {
		s, ok := p.str(n, at)
		if !ok {
			return "", false
		}
		t, ok := typeNames[s]
		if !ok {
			hint := ""
			for _, name := range []string{"array", "boolean", "integer", "null", "number", "object", "string"} {
				if suggest.Distance(s, name) <= 2 {
					hint = fmt.Sprintf(" (did you mean %q?)", name)
					break
				}
			}
			p.errorf(n, at, "unknown type %q%s: use one of null, boolean, object, array, number, string, integer", s, hint)
		}
		return t, ok
	}
	if v.Kind != yaml.SequenceNode {
		if t, ok := one(v, ptr); ok {
			return []Type{t}
		}
		return nil
	}
	out := []Type{}
	seen := map[Type]bool{}
	for i, e := range v.Content {
		t, ok := one(e, ptr+"/"+itoa(i))
		if !ok {
			continue
		}
		if seen[t] {
			p.errorf(e, ptr+"/"+itoa(i), "type %q is listed twice", t)
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	if len(out) == 0 && len(v.Content) == 0 {
		p.errorf(v, ptr, "\"type\" is an empty array: no instance could be valid; list at least one type")
	}
	return out
}

// count reads a non-negative integer keyword such as "minLength".
func (p *parser) count(v *yaml.Node, ptr, name string) *int64 {
	n := p.number(v, ptr, name)
	if n == nil {
		return nil
	}
	i, ok := n.Int64()
	if !ok || i < 0 {
		p.errorf(v, ptr, "%q must be a non-negative integer, not %s", name, n.Lit)
		return nil
	}
	return &i
}

// number reads a number-valued keyword.
func (p *parser) number(v *yaml.Node, ptr, name string) *Number {
	if !isNumber(v) || !jsonNumber.MatchString(v.Value) {
		p.errorf(v, ptr, "%q must be a number, not %s", name, describe(v))
		return nil
	}
	if !p.numberInRange(v, ptr) {
		return nil
	}
	return &Number{Lit: v.Value}
}

// isNumber reports whether the scalar n is a number. yaml.v3 tags a plain
// number beyond the float64 range (1e400) as a string: it is a number all
// the same.
func isNumber(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float" ||
		n.Tag == "!!str" && n.Style == 0 && jsonNumber.MatchString(n.Value))
}

// Limits of the number literals read exactly: beyond them a literal would
// take seconds, or more memory than the machine has, to read.
const (
	maxNumberLen      = 1000
	maxNumberExponent = 400
)

// numberInRange reports whether the number literal n is within the limits
// of maxNumberLen and maxNumberExponent, recording a diagnostic if not.
func (p *parser) numberInRange(n *yaml.Node, ptr string) bool {
	lit := n.Value
	exp := 0
	if i := strings.IndexAny(lit, "eE"); i >= 0 {
		e, err := strconv.Atoi(strings.TrimPrefix(lit[i+1:], "+"))
		if err != nil {
			e = math.MaxInt
		}
		exp = e
	}
	if len(lit) > maxNumberLen || exp > maxNumberExponent || exp < -maxNumberExponent {
		p.errorf(n, ptr, "the number %s is out of range: write numbers of at most %d characters, with an exponent within ±%d",
			shorten(lit), maxNumberLen, maxNumberExponent)
		return false
	}
	return true
}

// shorten returns s, cut to its first 20 characters when longer.
func shorten(s string) string {
	if len(s) > 20 {
		return s[:20] + "..."
	}
	return s
}

// boolean reads a boolean-valued keyword.
func (p *parser) boolean(v *yaml.Node, ptr, name string) (bool, bool) {
	if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
		p.errorf(v, ptr, "%q must be true or false, not %s", name, describe(v))
		return false, false
	}
	return v.Value == "true", true
}

// schemas reads an array of schemas.
func (p *parser) schemas(v *yaml.Node, ptr, base string) []*Schema {
	if v.Kind != yaml.SequenceNode {
		p.errorf(v, ptr, "expected an array of schemas, not %s", describe(v))
		return nil
	}
	var out []*Schema
	for i, e := range v.Content {
		out = append(out, p.schema(e, ptr+"/"+itoa(i), base))
	}
	return out
}

// nonEmptySchemas reads the array of an applicator such as "anyOf".
func (p *parser) nonEmptySchemas(v *yaml.Node, ptr, base, name string) []*Schema {
	out := p.schemas(v, ptr, base)
	if v.Kind == yaml.SequenceNode && len(out) == 0 {
		p.errorf(v, ptr, "%q must list at least one schema", name)
	}
	return out
}

// value converts a node into a JSON value.
func (p *parser) value(n *yaml.Node, ptr string) *Value {
	v := &Value{Pos: pos(n), Pointer: ptr}
	if p.stopped() {
		return v
	}
	switch n.Kind {
	case yaml.MappingNode:
		v.Kind = KindObject
		v.Members = []*Member{}
		for _, m := range p.members(n, ptr) {
			v.Members = append(v.Members, &Member{Key: m.key.Value, Value: p.value(m.val, ptr+"/"+EscapeToken(m.key.Value))})
		}
	case yaml.SequenceNode:
		v.Kind = KindArray
		v.Array = []*Value{}
		for i, e := range n.Content {
			v.Array = append(v.Array, p.value(e, ptr+"/"+itoa(i)))
		}
	case yaml.ScalarNode:
		switch {
		case n.Tag == "!!null":
			v.Kind = KindNull
		case n.Tag == "!!bool":
			v.Kind, v.Bool = KindBool, n.Value == "true"
		case isNumber(n):
			v.Kind, v.Number = KindNumber, Number{Lit: "0"}
			if !jsonNumber.MatchString(n.Value) {
				p.errorf(n, ptr, "%s is not a JSON number", n.Value)
			} else if p.numberInRange(n, ptr) {
				v.Number.Lit = n.Value
			}
		default:
			v.Kind, v.String = KindString, n.Value
		}
	default:
		p.errorf(n, ptr, "YAML aliases are not supported in schemas: write the value out")
	}
	return v
}
