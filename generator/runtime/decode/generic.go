package decode

import (
	"encoding/json"
	"slices"
	"strconv"
)

// ReadAny reads a value of any type as nil, bool, json.Number, string,
// []any or map[string]any.
func (d *Decoder) ReadAny() any {
	c := d.Peek()
	if r, ok := d.read[d.pos]; ok {
		d.pos = r.end
		return r.v
	}
	switch {
	case c == '{':
		if !d.enter() {
			return nil
		}
		m := map[string]any{}
		for key, more := d.FirstKey(); more; key, more = d.NextKey() {
			k := string(key)
			m[k] = d.ReadAny()
			if d.deep != nil {
				d.deep = append(d.deep, pathSeg{key: k, index: -1})
			}
		}
		return m
	case c == '[':
		if !d.enter() {
			return nil
		}
		s := []any{}
		for more := d.FirstElem(); more; more = d.NextElem() {
			s = append(s, d.ReadAny())
			if d.deep != nil {
				d.deep = append(d.deep, pathSeg{index: len(s) - 1})
			}
		}
		return s
	case c == '"':
		if b, ok := d.str(); ok {
			return string(b)
		}
	case c == 't':
		return d.Literal("true")
	case c == 'f':
		d.Literal("false")
		return false
	case c == 'n':
		d.Literal("null")
	case c == '-' || '0' <= c && c <= '9':
		if b, _ := d.number(); b != nil {
			return json.Number(b)
		}
	default:
		d.unexpected("looking for a value")
	}
	return nil
}

// TypeOf returns the JSON Schema type of a value read by readAny; a
// number whose exact value has no fractional part (1.0 and 1e2 too) is an
// "integer", whatever its size.
func TypeOf(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if n := parseNumber(x); n.zero() || n.exp >= 0 {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	}
	return "object"
}

// Equal reports whether two values read by readAny are equal as JSON
// Schema compares them: numbers by exact value, objects regardless of order.
func Equal(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case json.Number:
		y, ok := b.(json.Number)
		return ok && (x == y || Compare(x, y) == 0)
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			if yv, ok := y[k]; !ok || !Equal(xv, yv) {
				return false
			}
		}
		return true
	}
	return false
}

// In reports whether v equals one of values.
func In(v any, values []any) bool {
	for _, w := range values {
		if Equal(v, w) {
			return true
		}
	}
	return false
}

// UniqueAny checks "uniqueItems" on the items s of the current array,
// values read by readAny, as Unique does. It compares their canonical
// encodings (see canonical) in a map, in time linear in their size.
func (d *Decoder) UniqueAny(s []any) {
	if len(s) < 2 {
		return
	}
	seen := make(map[string]int, len(s))
	var buf []byte
	for j, x := range s {
		buf = canonical(buf[:0], x)
		if i, ok := seen[string(buf)]; ok {
			d.failUnique(i, j)
			continue
		}
		seen[string(buf)] = j
	}
}

// canonical appends to b an encoding of v, a value read by readAny,
// that two values share exactly when Equal finds them equal: numbers
// by exact value, object members sorted by key.
func canonical(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, 'n')
	case bool:
		if x {
			return append(b, 't')
		}
		return append(b, 'f')
	case string:
		return strconv.AppendQuote(append(b, 's'), x)
	case json.Number:
		// The exact value: sign, significant digits and exponent.
		b = append(b, '#')
		n := parseNumber(x)
		if n.zero() {
			return append(b, '0', ';')
		}
		if n.neg {
			b = append(b, '-')
		}
		for i := int64(0); i < n.digits; i++ {
			b = append(b, digitAt(x, n, i))
		}
		return append(strconv.AppendInt(append(b, 'e'), n.exp, 10), ';')
	case []any:
		b = append(b, '[')
		for _, e := range x {
			b = append(canonical(b, e), ',')
		}
		return append(b, ']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for _, k := range keys {
			b = append(canonical(strconv.AppendQuote(b, k), x[k]), ',')
		}
		return append(b, '}')
	}
	return b
}

// SortedKeys returns the keys of m, sorted, so that violations are
// found, and members written, in a deterministic order.
func SortedKeys[T any](m map[string]T) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Member appends the member key: value to b, a JSON object written
// so far without its closing brace.
func Member(b []byte, key string, value any) ([]byte, error) {
	if len(b) > 1 {
		b = append(b, ',')
	}
	k, err := json.Marshal(key)
	if err != nil {
		return nil, err
	}
	x, err := json.Marshal(value)
	if err != nil {
		return nil, err
	}
	return append(append(append(b, k...), ':'), x...), nil
}

// Ptr returns a pointer to a copy of v: for the defaults of nullable
// properties.
func Ptr[T any](v T) *T {
	return &v
}

// Probe reports whether v passes check, recording no violation: for anyOf,
// oneOf, not, if and contains.
func (d *Decoder) Probe(v any, check func(*Decoder, any)) bool {
	total := d.total
	d.quiet++
	check(d, v)
	d.quiet--
	ok := d.total == total
	d.total = total
	return ok
}

// Recheck reads the value at data[start:d.pos], which a typed decoder has
// just decoded, again as a generic value and checks it with check: for the
// keywords that the typed decoder does not check (anyOf, if...). start
// comes from reread.
func (d *Decoder) Recheck(start int, check func(*Decoder, any)) {
	if d.err != nil {
		return
	}
	check(d, d.readAgain(start))
}

// UniqueAgain checks "uniqueItems" on the array at data[start:d.pos] read
// again as generic values: for a typed array some of whose items were
// invalid, and so not decoded, or whose Go items == does not compare as
// JSON values (structs, slices, maps, pointers). start comes from reread.
func (d *Decoder) UniqueAgain(start int) {
	if d.err != nil {
		return
	}
	if x, ok := d.readAgain(start).([]any); ok {
		d.UniqueAny(x)
	}
}
