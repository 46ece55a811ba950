package decode

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// MaxViolations is the number of violations recorded in detail; the
// decoder counts the others (ValidationError.Total) without describing them.
const MaxViolations = 100

// Decoder reads an input document and checks it against the input
// schema in a single pass. It stops at the first syntax error but collects
// every schema violation.
type Decoder struct {
	data []byte
	pos  int
	// maxDepth is the deepest nesting of arrays and objects the decoder
	// reads (direktiv-fn.yaml's input.maxDepth): the input's value is at
	// depth 1 when it is an array or object, its members and elements at
	// depth 2, and so on. A deeper input is a "maxDepth" violation, and
	// decoding stops there, so that neither time, memory nor the stack
	// grow with the nesting.
	maxDepth int
	// depth is the number of arrays and objects open at pos.
	depth int
	// path leads to the value being decoded; a violation's pointer is built
	// from it only when the violation is recorded.
	path []pathSeg
	// deep is set when an array or object opens beyond d.maxDepth, and
	// leads to it: the path of the typed decoders at that moment, then the
	// members and elements that readAny and skip add as they return,
	// innermost first, from deepFrom on. Decoding stops there (err is set
	// too, but finish reports a "maxDepth" violation instead).
	deep     []pathSeg
	deepFrom int
	// found are the violations recorded so far. Their pointers and
	// messages are written one after the other into text, which becomes
	// one string when decoding ends: a violation costs no allocation of
	// its own. last is the index in found of the violation written last,
	// whose message ends at the end of text; -1 before the first. The
	// text of a violation that another replaced (see open) is dropped
	// once text reaches compactAt bytes, so that text stays within a
	// small multiple of what the recorded violations need.
	found     []record
	text      []byte
	last      int
	compactAt int
	// deepest is the largest depth of the violations in found, once
	// MaxViolations are recorded.
	deepest int
	// total counts the violations, recorded in found or not (beyond
	// MaxViolations).
	total int
	// quiet is positive while probe tries a schema: violations are then
	// counted but not recorded.
	quiet int
	// naming is set while checkName checks a property name: messages
	// then start with the name.
	naming bool
	err    *SyntaxError
	// buf holds the last string that needed unescaping.
	buf []byte
	// num is the text of the last number read.
	num []byte
	// rereads counts the values being decoded that recheck or uniqueAgain
	// will read again as generic values once decoded. While it is
	// positive, those two keep the generic values they read in read, by
	// the offset where each starts, and readAny takes a value from there
	// instead of reading its bytes again: so the values of a recursive
	// type that are each read again cost one more reading of the input in
	// all, not one per level above them. (The value read again around
	// them holds them anyway.)
	rereads int
	read    map[int]reading
	// ends are where the values that Tag skipped end (those of
	// minRemembered bytes or more), by the offset where each starts.
	ends map[int]int
	// The slabs of NewString, NewBool, NewInt and NewFloat.
	strs   slab[string]
	bools  slab[bool]
	ints   slab[int64]
	floats slab[float64]
	// chunk holds the bytes of the short strings Text returned last.
	chunk strings.Builder
	// pathBuf holds the first steps of path, so that a shallow input
	// needs no allocation for it.
	pathBuf [16]pathSeg
}

// New returns a Decoder of data that reads at most maxDepth (at least 1)
// levels of nested arrays and objects. The generated DecodeInput calls it,
// then the decoder of the input's type, then Finish.
func New(data []byte, maxDepth int) *Decoder {
	d := decoders.Get().(*Decoder)
	d.data, d.maxDepth = data, maxDepth
	d.path = d.pathBuf[:0]
	return d
}

// decoders holds the Decoders that Finish released, with the buffers
// they grew, so that decoding an input allocates neither a Decoder nor,
// unless it needs more room than the last one, its buffers.
var decoders = sync.Pool{New: func() any { return new(Decoder) }}

// release puts d, done with, back into decoders with its buffers emptied,
// keeping those of a small size only: an input of a few large values
// must not keep its memory beyond its decoding.
func (d *Decoder) release() {
	const keep = 64 << 10
	found, text, buf := d.found[:0], d.text[:0], d.buf[:0]
	if cap(found) > MaxViolations+1 || cap(text) > keep {
		found, text = nil, nil
	}
	if cap(buf) > keep {
		buf = nil
	}
	*d = Decoder{found: found, text: text, buf: buf, last: -1, compactAt: keep}
	decoders.Put(d)
}

// Offset returns the offset in the input of the next byte to read.
func (d *Decoder) Offset() int { return d.pos }

// Rewind moves back to offset start, taken from Offset, to read a value
// again, unless decoding has stopped at a syntax error.
func (d *Decoder) Rewind(start int) {
	if d.err == nil {
		d.pos = start
	}
}

// Since returns the input from offset start, taken from Offset, to the
// next byte to read.
func (d *Decoder) Since(start int) []byte { return d.data[start:d.pos] }

// Num returns the text of the number read last.
func (d *Decoder) Num() []byte { return d.num }

// Failed reports whether a violation has been found.
func (d *Decoder) Failed() bool { return d.total > 0 }

// Stopped reports whether decoding has stopped at a syntax error (or
// at an input nested too deeply): what is left to read is not read.
func (d *Decoder) Stopped() bool { return d.err != nil }

// reading is a value read again as a generic value, and the offset
// after it.
type reading struct {
	v   any
	end int
}

// Reread counts a value that a typed decoder starts to decode at the
// current position and that recheck or uniqueAgain will read again, and
// returns the position.
func (d *Decoder) Reread() int {
	d.rereads++
	return d.pos
}

// readAgain reads the value at data[start:d.pos] again as a generic
// value, for recheck and uniqueAgain, which call it once for each call of
// Reread.
func (d *Decoder) readAgain(start int) any {
	d.rereads--
	if d.read == nil {
		d.read = map[int]reading{}
	}
	again := Decoder{data: d.data[:d.pos], pos: start, maxDepth: d.maxDepth, read: d.read}
	again.Peek()
	at := again.pos
	v := again.ReadAny()
	if d.rereads > 0 {
		// A value around this one will be read again: keep it for then.
		d.read[at] = reading{v, again.pos}
	}
	return v
}

// record is a recorded violation: text[ptr:msg] is its pointer,
// text[msg:end] its message, and depth the number of tokens of its pointer.
type record struct {
	keyword       string
	ptr, msg, end int
	depth         int
}

// pathSeg is one step of a path: an object key, or the array index
// when index >= 0.
type pathSeg struct {
	key   string
	index int
}

// Push enters the member key of the current object.
func (d *Decoder) Push(key string) {
	d.path = append(d.path, pathSeg{key: key, index: -1})
}

// PushIndex enters the element i of the current array.
func (d *Decoder) PushIndex(i int) {
	d.path = append(d.path, pathSeg{index: i})
}

// Pop leaves the innermost member or element.
func (d *Decoder) Pop() {
	d.path = d.path[:len(d.path)-1]
}

// open counts a violation of keyword at the current path and starts
// recording it, unless the decoder is quiet or MaxViolations are
// recorded already, none deeper than this one: it writes the pointer,
// returns true, and the caller then writes the message. Beyond
// MaxViolations, the violation replaces the last recorded of the
// deepest ones. Once decoding has stopped (err is set), what is left to
// check would only see a part of the input: nothing is counted.
func (d *Decoder) open(keyword string) bool {
	return d.openRanked(keyword, len(d.path))
}

// openRanked is open for a violation that counts as rank tokens deep when
// the deepest violations give way to shallower ones.
func (d *Decoder) openRanked(keyword string, rank int) bool {
	if d.err != nil {
		return false
	}
	d.total++
	if d.quiet > 0 {
		return false
	}
	slot := len(d.found)
	if slot >= MaxViolations {
		if rank >= d.deepest {
			return false
		}
		for i, f := range d.found {
			if f.depth == d.deepest {
				slot = i
			}
		}
	}
	if d.found == nil {
		d.found = make([]record, 0, 16)
		d.text = make([]byte, 0, 1024)
		d.last = -1
		d.compactAt = 64 << 10
	}
	d.close()
	if slot < len(d.found) && len(d.text) >= d.compactAt {
		d.compact(slot)
	}
	f := record{keyword: keyword, ptr: len(d.text), depth: rank}
	for _, s := range d.path {
		d.text = append(d.text, '/')
		if s.index >= 0 {
			d.text = strconv.AppendInt(d.text, int64(s.index), 10)
			continue
		}
		if strings.IndexByte(s.key, '~') < 0 && strings.IndexByte(s.key, '/') < 0 {
			d.text = append(d.text, s.key...)
			continue
		}
		for i := 0; i < len(s.key); i++ {
			switch c := s.key[i]; c {
			case '~':
				d.text = append(d.text, '~', '0')
			case '/':
				d.text = append(d.text, '~', '1')
			default:
				d.text = append(d.text, c)
			}
		}
	}
	f.msg = len(d.text)
	if d.naming {
		d.text = append(d.text, "property name "...)
		d.quote([]byte(d.path[len(d.path)-1].key))
		d.text = append(d.text, ": "...)
	}
	if slot == len(d.found) {
		d.found = append(d.found, f)
	} else {
		d.found[slot] = f
	}
	d.last = slot
	if len(d.found) == MaxViolations {
		d.deepest = 0
		for _, f := range d.found {
			d.deepest = max(d.deepest, f.depth)
		}
	}
	return true
}

// compact moves the pointers and messages of the recorded violations but
// the one in slot, about to be replaced, to the start of text, in place,
// and sets the size at which to compact again to twice what is kept.
func (d *Decoder) compact(slot int) {
	var buf [MaxViolations]int
	order := buf[:0]
	for i := range d.found {
		if i != slot {
			order = append(order, i)
		}
	}
	slices.SortFunc(order, func(a, b int) int { return d.found[a].ptr - d.found[b].ptr })
	n := 0
	for _, i := range order {
		f := &d.found[i]
		// n <= f.ptr: the text moves towards the start, never over what
		// is still to move.
		size := copy(d.text[n:], d.text[f.ptr:f.end])
		f.msg, f.ptr = n+f.msg-f.ptr, n
		n += size
		f.end = n
	}
	d.text = d.text[:n]
	d.compactAt = max(64<<10, 2*n)
}

// close ends the message of the violation written last at the end of text.
func (d *Decoder) close() {
	if d.found != nil && d.last >= 0 {
		d.found[d.last].end = len(d.text)
	}
}

// Fail records a violation of keyword at the current path.
func (d *Decoder) Fail(keyword, msg string) {
	if d.open(keyword) {
		d.text = append(d.text, msg...)
	}
}

// FailInt records a violation whose message is msg followed by n.
func (d *Decoder) FailInt(keyword, msg string, n int64) {
	if !d.open(keyword) {
		return
	}
	d.text = strconv.AppendInt(append(d.text, msg...), n, 10)
}

// FailNum records a violation whose message is msg followed by the text of
// the number read last, shortened to 64 characters.
func (d *Decoder) FailNum(keyword, msg string) {
	if !d.open(keyword) {
		return
	}
	d.text = append(d.text, msg...)
	if len(d.num) <= 64 {
		d.text = append(d.text, d.num...)
		return
	}
	d.text = append(append(d.text, d.num[:64]...), "..."...)
}

// FailText records a violation whose message is msg followed by got.
func (d *Decoder) FailText(keyword, msg, got string) {
	if !d.open(keyword) {
		return
	}
	d.text = append(append(d.text, msg...), got...)
}

// FailQuote records a violation whose message is msg followed by the
// string s, quoted and shortened.
func (d *Decoder) FailQuote(keyword, msg string, s []byte) {
	if !d.open(keyword) {
		return
	}
	d.text = append(d.text, msg...)
	d.quote(s)
}

// quote appends the string s to the message being written, quoted and
// shortened to 64 characters.
func (d *Decoder) quote(s []byte) {
	const max = 64
	cut, more := len(s), false
	if utf8.RuneCount(s) > max {
		cut, more = 0, true
		for i := 0; i < max; i++ {
			_, n := utf8.DecodeRune(s[cut:])
			cut += n
		}
	}
	d.text = strconv.AppendQuote(d.text, string(s[:cut]))
	if more {
		d.text = append(d.text, "..."...)
	}
}

// FailAny records a violation whose message is msg followed by the JSON
// type of v, a value read by readAny, and for a scalar its short text:
// "number 5", "string \"x\"", "boolean true", "null", "object", "array".
func (d *Decoder) FailAny(keyword, msg string, v any) {
	if !d.open(keyword) {
		return
	}
	d.text = append(d.text, msg...)
	switch x := v.(type) {
	case nil:
		d.text = append(d.text, "null"...)
	case bool:
		d.text = strconv.AppendBool(append(d.text, "boolean "...), x)
	case json.Number:
		d.text = append(d.text, "number "...)
		if len(x) > 64 {
			x = x[:64] + "..."
		}
		d.text = append(d.text, x...)
	case string:
		d.text = append(d.text, "string "...)
		d.quote([]byte(x))
	case []any:
		d.text = append(d.text, "array"...)
	default:
		d.text = append(d.text, "object"...)
	}
}

// FailOneOf records that the current value v matches the oneOf schemas of
// indexes hits, and not exactly one. When it matches none, the message
// names the schema of checks (nil for one that accepts every value) with
// the fewest violations, and its first.
func (d *Decoder) FailOneOf(hits []int, v any, checks []func(*Decoder, any)) {
	if !d.open("oneOf") {
		return
	}
	d.text = append(d.text, "must match exactly one of the oneOf schemas; it matches "...)
	if len(hits) == 0 {
		d.text = append(d.text, "none"...)
		var best *Decoder
		index := 0
		for i, check := range checks {
			if check == nil {
				continue
			}
			try := &Decoder{path: slices.Clip(d.path)}
			check(try, v)
			if len(try.found) > 0 && (best == nil || try.total < best.total) {
				best, index = try, i
			}
		}
		if best != nil {
			best.close()
			f := best.found[0]
			d.text = strconv.AppendInt(append(d.text, "; #"...), int64(index), 10)
			d.text = append(d.text, " comes closest: "...)
			if ptr := best.text[f.ptr:f.msg]; len(ptr) > len(d.text[d.found[d.last].ptr:d.found[d.last].msg]) {
				d.text = append(append(d.text, ptr...), ": "...)
			}
			d.text = append(d.text, best.text[f.msg:f.end]...)
		}
		return
	}
	d.text = append(strconv.AppendInt(d.text, int64(len(hits)), 10), " ("...)
	for i, h := range hits {
		if i > 0 {
			d.text = append(d.text, ", "...)
		}
		d.text = strconv.AppendInt(append(d.text, '#'), int64(h), 10)
	}
	d.text = append(d.text, ')')
}

// failUnique records that item j of the current array equals its earlier
// item i: a "uniqueItems" violation at item j, "/tags/2: equals /tags/0".
func (d *Decoder) failUnique(i, j int) {
	d.PushIndex(j)
	defer d.Pop()
	if !d.open("uniqueItems") {
		return
	}
	d.text = append(d.text, "equals "...)
	// The array's pointer is the one just written, without its last token.
	f := d.found[d.last]
	end := f.ptr + bytes.LastIndexByte(d.text[f.ptr:f.msg], '/') + 1
	d.text = append(d.text, d.text[f.ptr:end]...)
	d.text = strconv.AppendInt(d.text, int64(i), 10)
}

// FailShow records a violation whose message is msg followed by the JSON
// type of the value raw and, for a scalar, its (possibly shortened) text:
// "number 5", "string \"x\"", "boolean true", "null", "object", "array".
func (d *Decoder) FailShow(keyword, msg string, raw []byte) {
	if !d.open(keyword) {
		return
	}
	d.text = append(d.text, msg...)
	switch raw[0] {
	case '{':
		d.text = append(d.text, "object"...)
		return
	case '[':
		d.text = append(d.text, "array"...)
		return
	case 'n':
		d.text = append(d.text, "null"...)
		return
	case 't', 'f':
		d.text = append(d.text, "boolean "...)
	case '"':
		d.text = append(d.text, "string "...)
	default:
		d.text = append(d.text, "number "...)
	}
	const max = 64
	if len(raw) <= max {
		d.text = append(d.text, raw...)
		return
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(raw[cut]) {
		cut--
	}
	d.text = append(append(d.text, raw[:cut]...), "..."...)
}

// Missing records that the current object lacks the required property key.
func (d *Decoder) Missing(key string) {
	d.Push(key)
	d.Fail("required", "is required but missing")
	d.Pop()
}

// CheckName checks the name k of a member of the current object with
// check, the schema of "propertyNames": a violation is reported at the
// member, its message starting with the name.
func (d *Decoder) CheckName(k string, check func(*Decoder, any)) {
	d.Push(k)
	d.naming = true
	check(d, k)
	d.naming = false
	d.Pop()
}

// Reject records that the current object may not have the property key,
// whose value is next, and skips that value. With list, the message names
// the allowed properties: for the first member refused in an object.
func (d *Decoder) Reject(key []byte, list bool, allowed string) {
	d.Push(string(key))
	if d.open("additionalProperties") {
		d.text = append(d.text, "is not allowed"...)
		if list {
			d.text = append(append(append(d.text, " (allowed: "...), allowed...), ')')
		}
	}
	d.Pop()
	d.SkipMember(key)
}

// SkipMember skips the value of the member key of the current object.
func (d *Decoder) SkipMember(key []byte) {
	name, copied := "", false
	if len(key) > 0 && len(d.buf) > 0 && &key[0] == &d.buf[0] {
		// The key was unescaped into buf, which the value's strings
		// overwrite.
		name, copied = string(key), true
	}
	d.Skip()
	if d.deep != nil {
		if !copied {
			name = string(key)
		}
		d.deep = append(d.deep, pathSeg{key: name, index: -1})
	}
}

// Mismatch records that the next value is not of the wanted type, msg
// saying which ("must be a string; got "), and skips it.
func (d *Decoder) Mismatch(msg string) {
	start := d.pos
	d.Skip()
	if d.err == nil {
		d.FailShow("type", msg, d.data[start:d.pos])
	}
}
