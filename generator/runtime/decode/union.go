package decode

// Tag looks ahead for the member key of the object at the current
// position, without consuming anything: for a union told apart by a
// discriminator property. It returns the member's raw value (nil when the
// object has no such member, or is malformed before it), and the text of
// that value when it is a string. It reads the object only up to that
// member, so that a discriminator that comes first costs one member.
func (d *Decoder) Tag(key string) (raw, text []byte, isString bool) {
	ahead := Decoder{data: d.data, pos: d.pos, maxDepth: d.maxDepth}
	if ahead.Peek() != '{' || !ahead.enter() {
		return nil, nil, false
	}
	for k, more := ahead.FirstKey(); more; k, more = ahead.NextKey() {
		if string(k) != key {
			ahead.Skip()
			continue
		}
		start := ahead.pos
		if ahead.Peek() == '"' {
			text, isString = ahead.str()
		} else {
			ahead.Skip()
		}
		if ahead.err != nil {
			return nil, nil, false
		}
		return trimSpace(d.data[start:ahead.pos]), text, isString
	}
	return nil, nil, false
}

// trimSpace drops the JSON white space before b.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r') {
		b = b[1:]
	}
	return b
}
