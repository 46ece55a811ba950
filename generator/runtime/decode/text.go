package decode

import "strings"

// The strings of a decoded input of at most maxChunked bytes are copied
// into shared chunks, the first of minChunk bytes, each next one twice as
// large up to maxChunk: the many small strings of an input then cost an
// allocation per chunk, not one each, and a small input little memory.
// A chunk stays in memory as long as one of its strings does.
const (
	minChunk   = 128
	maxChunk   = 4 << 10
	maxChunked = 256
)

// Text returns the string b, read by ReadString or a key function, as a
// string of its own that no later reading changes.
func (d *Decoder) Text(b []byte) string {
	switch {
	case len(b) == 0:
		return ""
	case len(b) > maxChunked:
		return string(b)
	}
	if d.chunk.Cap()-d.chunk.Len() < len(b) {
		// A Builder never changes the bytes of a string it returned:
		// starting a new one leaves the strings of the old one as they
		// are, and writing within its capacity only adds bytes after
		// them.
		size := min(max(2*d.chunk.Cap(), minChunk), maxChunk)
		d.chunk = strings.Builder{}
		d.chunk.Grow(max(size, len(b)))
	}
	start := d.chunk.Len()
	d.chunk.Write(b)
	return d.chunk.String()[start:]
}
