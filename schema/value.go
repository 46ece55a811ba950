package schema

import (
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// Kind is the JSON type of a Value.
type Kind int

// The kinds of JSON values.
const (
	KindNull Kind = iota
	KindBool
	KindNumber
	KindString
	KindArray
	KindObject
)

// String returns the JSON Schema type name of the kind ("number" for every number).
func (k Kind) String() string {
	return [...]string{"null", "boolean", "number", "string", "array", "object"}[k]
}

// Value is a JSON value taken from a schema document ("default", "enum",
// "const", "examples"). Objects keep their members in document order.
type Value struct {
	// Kind says which of the fields below holds the value.
	Kind Kind
	// Bool is the value of a KindBool.
	Bool bool
	// Number is the value of a KindNumber.
	Number Number
	// String is the value of a KindString.
	String string
	// Array holds the elements of a KindArray, in order.
	Array []*Value
	// Members holds the members of a KindObject, in document order.
	Members []*Member
	// Pos is where the value starts in the document.
	Pos Pos
	// Pointer is the JSON Pointer of the value in the schema document.
	Pointer string
}

// Member is one member of a JSON object value.
type Member struct {
	// Key is the member's name.
	Key string
	// Value is the member's value.
	Value *Value
}

// Get returns the member named key, or nil.
func (v *Value) Get(key string) *Value {
	for _, m := range v.Members {
		if m.Key == key {
			return m.Value
		}
	}
	return nil
}

// Number is an exact JSON number, kept as its literal text so that no
// precision is lost before code is generated from it.
type Number struct {
	// Lit is the number as written in the document (a valid JSON number).
	Lit string
}

// Rat returns the exact value of the number.
func (n Number) Rat() *big.Rat {
	r, ok := new(big.Rat).SetString(n.Lit)
	if !ok {
		// Lit is always a valid JSON number; Parse guarantees it.
		panic("schema: invalid number literal " + strconv.Quote(n.Lit))
	}
	return r
}

// IsInteger reports whether the number has no fractional part (1.0 is an integer).
func (n Number) IsInteger() bool {
	return n.Rat().IsInt()
}

// Float64 returns the nearest float64.
func (n Number) Float64() float64 {
	f, _ := n.Rat().Float64()
	return f
}

// Int64 returns the number as an int64 and whether it is an integer that fits.
func (n Number) Int64() (int64, bool) {
	r := n.Rat()
	if !r.IsInt() || !r.Num().IsInt64() {
		return 0, false
	}
	return r.Num().Int64(), true
}

// Equal reports whether two values are equal under JSON Schema's rules:
// numbers compare by value (1 equals 1.0), objects ignore member order.
func (v *Value) Equal(w *Value) bool {
	if v.Kind != w.Kind {
		return false
	}
	switch v.Kind {
	case KindNull:
		return true
	case KindBool:
		return v.Bool == w.Bool
	case KindNumber:
		return v.Number.Rat().Cmp(w.Number.Rat()) == 0
	case KindString:
		return v.String == w.String
	case KindArray:
		if len(v.Array) != len(w.Array) {
			return false
		}
		for i := range v.Array {
			if !v.Array[i].Equal(w.Array[i]) {
				return false
			}
		}
		return true
	default:
		if len(v.Members) != len(w.Members) {
			return false
		}
		if len(v.Members) > 8 {
			// Looking each member up would take quadratic time.
			return v.Key() == w.Key()
		}
		for _, m := range v.Members {
			o := w.Get(m.Key)
			if o == nil || !m.Value.Equal(o) {
				return false
			}
		}
		return true
	}
}

// Key returns a canonical text of the value: two values have the same key
// exactly when Equal says they are equal (numbers by exact value, object
// members in key order). It lets callers find equal values with a map, in
// linear time, where comparing each pair would take quadratic time.
func (v *Value) Key() string {
	var b strings.Builder
	v.writeKey(&b)
	return b.String()
}

// writeKey writes the key of v to b. Values nest no deeper than the
// document (the parser bounds its depth).
func (v *Value) writeKey(b *strings.Builder) {
	switch v.Kind {
	case KindNull:
		b.WriteString("null")
	case KindBool:
		b.WriteString(strconv.FormatBool(v.Bool))
	case KindNumber:
		b.WriteString(v.Number.Rat().RatString())
	case KindString:
		b.WriteString(strconv.Quote(v.String))
	case KindArray:
		b.WriteByte('[')
		for i, e := range v.Array {
			if i > 0 {
				b.WriteByte(',')
			}
			e.writeKey(b)
		}
		b.WriteByte(']')
	default:
		ms := slices.Clone(v.Members)
		slices.SortFunc(ms, func(x, y *Member) int { return strings.Compare(x.Key, y.Key) })
		b.WriteByte('{')
		for i, m := range ms {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Quote(m.Key))
			b.WriteByte(':')
			m.Value.writeKey(b)
		}
		b.WriteByte('}')
	}
}
