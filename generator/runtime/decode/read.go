package decode

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// syntax records a syntax error at the current position and makes every
// further read fail.
func (d *Decoder) syntax(msg string) {
	if d.err != nil {
		return
	}
	if d.pos >= len(d.data) {
		d.pos = len(d.data)
		if !strings.HasPrefix(msg, "unexpected end of input") {
			msg = "unexpected end of input"
		}
	}
	line, col := 1, 1
	for _, c := range d.data[:d.pos] {
		switch {
		case c == '\n':
			line, col = line+1, 1
		case utf8.RuneStart(c):
			col++
		}
	}
	d.err = &SyntaxError{Offset: d.pos, Line: line, Column: col, Msg: msg}
	d.pos = len(d.data)
}

// unexpected records a syntax error for the character at the current position.
func (d *Decoder) unexpected(context string) {
	msg := ""
	if d.pos < len(d.data) {
		r, _ := utf8.DecodeRune(d.data[d.pos:])
		msg = "invalid character " + strconv.QuoteRune(r) + " " + context
	}
	d.syntax(msg)
}

// Peek skips whitespace and returns the next byte without consuming it, or
// 0 at the end of the input.
func (d *Decoder) Peek() byte {
	for d.pos < len(d.data) {
		switch c := d.data[d.pos]; c {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return c
		}
	}
	return 0
}

// Skip consumes the next value, whatever its type, checking its syntax.
func (d *Decoder) Skip() {
	switch c := d.Peek(); {
	case c == '{':
		if !d.enter() {
			return
		}
		for key, more := d.FirstKey(); more; key, more = d.NextKey() {
			d.SkipMember(key)
		}
	case c == '[':
		if !d.enter() {
			return
		}
		for i, more := 0, d.FirstElem(); more; i, more = i+1, d.NextElem() {
			d.Skip()
			if d.deep != nil {
				d.deep = append(d.deep, pathSeg{index: i})
			}
		}
	case c == '"':
		d.str()
	case c == 't':
		d.Literal("true")
	case c == 'f':
		d.Literal("false")
	case c == 'n':
		d.Literal("null")
	case c == '-' || '0' <= c && c <= '9':
		d.number()
	default:
		d.unexpected("looking for a value")
	}
}

// enter consumes the '{' or '[' at the current position, which opens one
// more level of nesting. Beyond d.maxDepth levels, it stops decoding
// instead (see deep) and returns false.
func (d *Decoder) enter() bool {
	if d.depth >= d.maxDepth {
		d.deep = append(make([]pathSeg, 0, len(d.path)+16), d.path...)
		d.deepFrom = len(d.path)
		d.err = &SyntaxError{Offset: d.pos, Msg: "nested too deeply"}
		d.pos = len(d.data)
		return false
	}
	d.depth++
	d.pos++
	return true
}

// Literal consumes the literal lit (true, false or null). Otherwise it
// records a syntax error at the first character that differs from lit.
func (d *Decoder) Literal(lit string) bool {
	if len(d.data)-d.pos >= len(lit) && string(d.data[d.pos:d.pos+len(lit)]) == lit {
		d.pos += len(lit)
		return true
	}
	i := 0
	for d.pos+i < len(d.data) && d.data[d.pos+i] == lit[i] {
		i++
	}
	d.pos += i
	if d.pos >= len(d.data) {
		d.syntax("unexpected end of input in the literal " + lit)
		return false
	}
	d.unexpected("in the literal " + lit + " (expected " + strconv.QuoteRune(rune(lit[i])) + ")")
	return false
}

// BeginObject consumes the '{' of the next value. For any other value, it
// records a type violation, skips the value and returns false.
func (d *Decoder) BeginObject() bool {
	if d.Peek() == '{' {
		return d.enter()
	}
	d.Mismatch("must be an object; got ")
	return false
}

// FirstKey reads the key of an object's first member and the ':' after it,
// or consumes the '}' of an empty object and returns false. The key is valid
// until the next string is read.
func (d *Decoder) FirstKey() ([]byte, bool) {
	if d.Peek() == '}' {
		d.pos++
		d.depth--
		return nil, false
	}
	return d.key()
}

// NextKey reads the ',' and key of the object's next member, or consumes
// its closing '}' and returns false.
func (d *Decoder) NextKey() ([]byte, bool) {
	switch d.Peek() {
	case ',':
		d.pos++
		return d.key()
	case '}':
		d.pos++
		d.depth--
		return nil, false
	}
	d.unexpected("after an object member")
	return nil, false
}

// key reads a member's key and the ':' after it.
func (d *Decoder) key() ([]byte, bool) {
	if d.Peek() != '"' {
		d.unexpected("looking for an object key")
		return nil, false
	}
	k, ok := d.str()
	if !ok {
		return nil, false
	}
	if d.Peek() != ':' {
		d.unexpected("after an object key")
		return nil, false
	}
	d.pos++
	return k, true
}

// BeginArray consumes the '[' of the next value. For any other value, it
// records a type violation, skips the value and returns false.
func (d *Decoder) BeginArray() bool {
	if d.Peek() == '[' {
		return d.enter()
	}
	d.Mismatch("must be an array; got ")
	return false
}

// FirstElem reports whether an array has a first element, or consumes the
// ']' of an empty array and returns false.
func (d *Decoder) FirstElem() bool {
	if d.Peek() == ']' {
		d.pos++
		d.depth--
		return false
	}
	return d.err == nil
}

// NextElem consumes the ',' before the array's next element, or its closing
// ']' and returns false.
func (d *Decoder) NextElem() bool {
	switch d.Peek() {
	case ',':
		d.pos++
		return true
	case ']':
		d.pos++
		d.depth--
		return false
	}
	d.unexpected("after an array element")
	return false
}

// ReadString reads a string and returns its unescaped bytes, valid until
// the next string is read. For any other value, it records a type
// violation, skips the value and returns false.
func (d *Decoder) ReadString() ([]byte, bool) {
	if d.Peek() != '"' {
		d.Mismatch("must be a string; got ")
		return nil, false
	}
	return d.str()
}

// plainByte marks the bytes that stand for themselves in a JSON string.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// str reads the string at the current position and returns its unescaped
// content, which aliases the input or d.buf.
func (d *Decoder) str() ([]byte, bool) {
	data := d.data
	start := d.pos + 1
	i := start
	for i < len(data) && plainByte[data[i]] {
		i++
	}
	if i < len(data) && data[i] == '"' {
		d.pos = i + 1
		return data[start:i], true
	}
	return d.strSlow(start, i)
}

// strSlow continues str at i, for strings with escapes or non-ASCII text.
func (d *Decoder) strSlow(start, i int) ([]byte, bool) {
	data := d.data
	d.buf = append(d.buf[:0], data[start:i]...)
	for i < len(data) {
		c := data[i]
		switch {
		case c == '"':
			d.pos = i + 1
			return d.buf, true
		case c == '\\':
			if i+1 >= len(data) {
				d.pos = len(data)
				d.syntax("")
				return nil, false
			}
			i += 2
			switch data[i-1] {
			case '"', '\\', '/':
				d.buf = append(d.buf, data[i-1])
			case 'b':
				d.buf = append(d.buf, '\b')
			case 'f':
				d.buf = append(d.buf, '\f')
			case 'n':
				d.buf = append(d.buf, '\n')
			case 'r':
				d.buf = append(d.buf, '\r')
			case 't':
				d.buf = append(d.buf, '\t')
			case 'u':
				r, ok := hex4(data, i)
				if !ok {
					d.pos = i
					d.syntax("invalid \\u escape in a string")
					return nil, false
				}
				i += 4
				if 0xD800 <= r && r < 0xDC00 {
					if lo, ok := hex4(data, i+2); ok && data[i] == '\\' && data[i+1] == 'u' && 0xDC00 <= lo && lo < 0xE000 {
						r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
						i += 6
					}
				}
				// Lone surrogates become U+FFFD, as encoding/json does.
				d.buf = utf8.AppendRune(d.buf, r)
			default:
				d.pos = i - 1
				d.unexpected("in a string escape")
				return nil, false
			}
		case c < 0x20:
			d.pos = i
			d.syntax("control character in a string")
			return nil, false
		case c < 0x80:
			d.buf = append(d.buf, c)
			i++
		default:
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n == 1 {
				d.pos = i
				d.syntax("invalid UTF-8 in a string")
				return nil, false
			}
			d.buf = append(d.buf, data[i:i+n]...)
			i += n
		}
	}
	d.pos = len(data)
	d.syntax("")
	return nil, false
}

// hex4 decodes the four hexadecimal digits at data[i:].
func hex4(data []byte, i int) (rune, bool) {
	if i+4 > len(data) {
		return 0, false
	}
	var r rune
	for _, c := range data[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// number reads the number at the current position and returns its text and
// whether it is written without fraction and exponent.
func (d *Decoder) number() ([]byte, bool) {
	data := d.data
	start, i := d.pos, d.pos
	if i < len(data) && data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && '1' <= data[i] && data[i] <= '9':
		i = skipDigits(data, i)
	default:
		d.pos = i
		d.unexpected("in a number")
		return nil, false
	}
	plain := true
	if i < len(data) && data[i] == '.' {
		plain = false
		if i++; i == len(data) || data[i] < '0' || data[i] > '9' {
			d.pos = i
			d.unexpected("after the decimal point in a number")
			return nil, false
		}
		i = skipDigits(data, i)
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		plain = false
		if i++; i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i == len(data) || data[i] < '0' || data[i] > '9' {
			d.pos = i
			d.unexpected("in the exponent of a number")
			return nil, false
		}
		i = skipDigits(data, i)
	}
	d.pos = i
	d.num = data[start:i]
	return data[start:i], plain
}

// skipDigits returns the index of the first non-digit at or after i.
func skipDigits(data []byte, i int) int {
	for i < len(data) && '0' <= data[i] && data[i] <= '9' {
		i++
	}
	return i
}

// smallInt parses the text of a plain number (no fraction or exponent)
// of at most 18 digits.
func smallInt(b []byte) int64 {
	neg := b[0] == '-'
	if neg {
		b = b[1:]
	}
	var n int64
	for _, c := range b {
		n = n*10 + int64(c-'0')
	}
	if neg {
		return -n
	}
	return n
}

// ReadInt reads an integer; 1.0 and 1e2 are integers too. For any other
// value, or an integer out of the int64 range, it records a type violation,
// skips the value and returns false.
func (d *Decoder) ReadInt() (int64, bool) {
	if c := d.Peek(); c != '-' && (c < '0' || c > '9') {
		d.Mismatch("must be an integer; got ")
		return 0, false
	}
	b, plain := d.number()
	if d.err != nil {
		return 0, false
	}
	if plain && len(b) <= 18 {
		return smallInt(b), true
	}
	n, integer, fits := intOf(b)
	switch {
	case !integer:
		d.FailShow("type", "must be an integer; got ", b)
	case !fits:
		d.FailShow("type", "must be an integer from -9223372036854775808 to 9223372036854775807; got ", b)
	default:
		return n, true
	}
	return 0, false
}

// ReadFloat reads a number. For any other value, or a number out of the
// float64 range, it records a type violation, skips the value and returns
// false.
func (d *Decoder) ReadFloat() (float64, bool) {
	if c := d.Peek(); c != '-' && (c < '0' || c > '9') {
		d.Mismatch("must be a number; got ")
		return 0, false
	}
	b, plain := d.number()
	if d.err != nil {
		return 0, false
	}
	if plain && len(b) <= 15 {
		return float64(smallInt(b)), true
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		d.FailShow("type", "must be a number within the range of a 64-bit float; got ", b)
		return 0, false
	}
	return f, true
}

// ReadBool reads a boolean. For any other value, it records a type
// violation, skips the value and returns false.
func (d *Decoder) ReadBool() (v, ok bool) {
	switch d.Peek() {
	case 't':
		return true, d.Literal("true")
	case 'f':
		return false, d.Literal("false")
	}
	d.Mismatch("must be a boolean; got ")
	return false, false
}
