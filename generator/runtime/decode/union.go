package decode

import "strconv"

// minRemembered is the size from which Tag remembers where a value it
// skipped ends.
const minRemembered = 256

// Tag looks ahead for the member key of the object at the current
// position, without consuming anything: for a union told apart by a
// discriminator property. It returns the member's raw value (nil when the
// object has no such member, or is malformed before it), and the text of
// that value when it is a string. It reads the object only up to that
// member, so that a discriminator that comes first costs one member. The
// values it skips on the way it remembers by where they start (those of
// minRemembered bytes or more), so that looking up the discriminators of
// the unions nested in them skips nothing twice: however deep the nesting
// and wherever the discriminators are, the input is read ahead once at
// most.
func (d *Decoder) Tag(key string) (raw, text []byte, isString bool) {
	if d.ends == nil {
		d.ends = map[int]int{}
	}
	ahead := Decoder{data: d.data, pos: d.pos, maxDepth: d.maxDepth, ends: d.ends}
	if ahead.Peek() != '{' || !ahead.enter() {
		return nil, nil, false
	}
	for k, more := ahead.FirstKey(); more; k, more = ahead.NextKey() {
		if string(k) != key {
			ahead.skipAhead()
			continue
		}
		start := ahead.pos
		if ahead.Peek() == '"' {
			text, isString = ahead.str()
		} else {
			ahead.skipAhead()
		}
		if ahead.err != nil {
			return nil, nil, false
		}
		return trimSpace(d.data[start:ahead.pos]), text, isString
	}
	return nil, nil, false
}

// skipAhead is Skip for Tag: a value it skipped before is jumped over, and
// where a large value ends is remembered.
func (d *Decoder) skipAhead() {
	c := d.Peek()
	start := d.pos
	if end, ok := d.ends[start]; ok {
		d.pos = end
		return
	}
	switch c {
	case '{':
		if !d.enter() {
			return
		}
		for _, more := d.FirstKey(); more; _, more = d.NextKey() {
			d.skipAhead()
		}
	case '[':
		if !d.enter() {
			return
		}
		for more := d.FirstElem(); more; more = d.NextElem() {
			d.skipAhead()
		}
	default:
		d.Skip()
	}
	if d.err == nil && d.pos-start >= minRemembered {
		d.ends[start] = d.pos
	}
}

// trimSpace drops the JSON white space before b.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r') {
		b = b[1:]
	}
	return b
}

// KeyBranch looks ahead over the member keys of the object at the current
// position, without consuming anything, and picks the branch of a union
// whose branches are told apart by the properties each requires, keys[i]
// being branch i's (no key in two branches): see PickBranch. It reads the
// object's members once, skipping their values as Tag does (remembering
// where large ones end).
func (d *Decoder) KeyBranch(keys [][]string) (int, string) {
	if d.ends == nil {
		d.ends = map[int]int{}
	}
	var buf [32]string
	present := buf[:0]
	ahead := Decoder{data: d.data, pos: d.pos, maxDepth: d.maxDepth, ends: d.ends}
	if ahead.Peek() == '{' && ahead.enter() {
		for k, more := ahead.FirstKey(); more && ahead.err == nil; k, more = ahead.NextKey() {
			for _, ks := range keys {
				for _, key := range ks {
					if string(k) == key {
						present = append(present, key)
					}
				}
			}
			ahead.skipAhead()
		}
	}
	return PickBranch(keys, func(key string) bool {
		for _, p := range present {
			if p == key {
				return true
			}
		}
		return false
	})
}

// PickBranch picks the branch of an object, keys[i] being the keys of
// branch i and has telling which the object has: the one branch whose keys
// it has all of, else the one branch whose keys it has some of (which then
// reports the missing ones). It returns -1 and what the object has instead
// when there is no such branch: "none", or two keys of different branches,
// quoted, as in `"url" and "path"`.
func PickBranch(keys [][]string, has func(string) bool) (int, string) {
	var full, part []int // branch indexes, and the first key of each present
	var fullKey, partKey []string
	for i, ks := range keys {
		all, some := true, ""
		for _, k := range ks {
			if !has(k) {
				all = false
			} else if some == "" {
				some = k
			}
		}
		switch {
		case some != "" && all:
			full, fullKey = append(full, i), append(fullKey, some)
		case some != "":
			part, partKey = append(part, i), append(partKey, some)
		}
	}
	switch {
	case len(full) == 1:
		return full[0], ""
	case len(full) > 1:
		return -1, strconv.Quote(fullKey[0]) + " and " + strconv.Quote(fullKey[1])
	case len(part) == 1:
		return part[0], ""
	case len(part) > 1:
		return -1, strconv.Quote(partKey[0]) + " and " + strconv.Quote(partKey[1])
	}
	return -1, "none"
}
