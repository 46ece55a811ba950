package decode

import (
	"slices"
	"strconv"
	"strings"
)

// Finish checks that nothing but whitespace follows the input's value and
// returns the error of the decoding, if any. It releases d, which must not
// be used afterwards.
func (d *Decoder) Finish() error {
	defer d.release()
	if d.Peek(); d.pos < len(d.data) {
		d.unexpected("after the input's value")
	}
	if d.deep != nil {
		slices.Reverse(d.deep[d.deepFrom:])
		d.err, d.path, d.quiet = nil, d.deep, 0
		// The violation counts as the shallowest: it is about the whole
		// input, of which only a part was read.
		if d.openRanked("maxDepth", 0) {
			d.text = append(d.text, "must not nest arrays and objects more than "...)
			d.text = strconv.AppendInt(d.text, int64(d.maxDepth), 10)
			d.text = append(d.text, " levels deep; decoding stopped here"...)
		}
	}
	if d.err != nil {
		return d.err
	}
	if d.total == 0 {
		return nil
	}
	d.close()
	text := string(d.text)
	// Sort the indexes of the records rather than the violations: moving
	// an int costs less than moving three strings, which the garbage
	// collector watches. There are at most MaxViolations+1 records, mostly
	// in order already (found as the input was read): an insertion sort,
	// stable, suits them.
	var buf [MaxViolations + 1]int
	order := buf[:len(d.found)]
	for i := range order {
		order[i] = i
		for j := i; j > 0 && d.before(text, order[j], order[j-1]); j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	vs := make([]Violation, len(order))
	for i, j := range order {
		f := &d.found[j]
		vs[i] = Violation{Pointer: text[f.ptr:f.msg], Keyword: f.keyword, Message: text[f.msg:f.end]}
	}
	return &ValidationError{Violations: vs, Total: d.total}
}

// before reports whether the record a sorts before the record b: by
// pointer, then keyword.
func (d *Decoder) before(text string, a, b int) bool {
	fa, fb := &d.found[a], &d.found[b]
	if c := comparePointers(text[fa.ptr:fa.msg], text[fb.ptr:fb.msg]); c != 0 {
		return c < 0
	}
	return fa.keyword < fb.keyword
}

// comparePointers orders two JSON Pointers token by token, a pointer
// before the pointers below it. Two tokens that are both array indexes
// compare as numbers ("/files/2" before "/files/10"), other tokens as
// strings.
func comparePointers(a, b string) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	if i == len(a) || i == len(b) {
		return len(a) - len(b) // one is a prefix of the other
	}
	ca, cb := int(a[i]), int(b[i])
	if ca < '0' || ca > '9' || cb < '0' || cb > '9' {
		// The tokens are not two indexes of different lengths (they
		// would differ at digits), so they compare as strings, a token
		// that ends first being a prefix of the other: '/' sorts lowest.
		// That also orders an index that ends first before a longer one.
		return tokenByte(ca) - tokenByte(cb)
	}
	// The pointers differ at digits within the tokens that start at the
	// same place.
	start := strings.LastIndexByte(a[:i], '/') + 1
	ta, tb := a[start:], b[start:]
	if j := strings.IndexByte(ta, '/'); j >= 0 {
		ta = ta[:j]
	}
	if j := strings.IndexByte(tb, '/'); j >= 0 {
		tb = tb[:j]
	}
	if len(ta) != len(tb) && isIndex(ta) && isIndex(tb) {
		return len(ta) - len(tb)
	}
	return ca - cb
}

// tokenByte is the rank of the byte c of a pointer: '/', which ends a
// token, sorts before every other byte.
func tokenByte(c int) int {
	if c == '/' {
		return -1
	}
	return c
}

// isIndex reports whether a token is an array index: digits, without
// a leading zero.
func isIndex(tok string) bool {
	if tok == "" || tok[0] == '0' && len(tok) > 1 {
		return false
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] < '0' || tok[i] > '9' {
			return false
		}
	}
	return true
}
