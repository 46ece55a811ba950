package formats

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Regex reports whether s is a regular expression of ECMA-262's pattern
// grammar (section 22.2.1), read with the "u" flag as JSON Schema's test
// suite does: no Annex B leniency, so "\a", a lone "{" or "]", a
// quantified lookahead, a backreference to a missing group and a range out
// of order are errors, and so is nesting groups more than 1,000 deep.
// Unicode property escapes (\p{...}) are checked for
// their syntax, not their names. Lookaround and backreferences are valid
// here, although Go's regexp package has neither.
func Regex(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	p := &reParser{src: s, names: map[string]bool{}}
	p.groups, p.ok = p.count(), true
	p.disjunction()
	if p.pos != len(p.src) {
		return false
	}
	for name := range p.refs {
		if !p.names[name] {
			return false
		}
	}
	return p.ok
}

// reParser is a recursive-descent reader of an ECMA-262 pattern; ok turns
// false at the first error. Its depth is bounded by the pattern's length.
type reParser struct {
	src    string
	pos    int
	ok     bool
	depth  int             // the groups open at pos
	groups int             // the capturing groups in the whole pattern
	names  map[string]bool // the group names seen
	refs   map[string]bool // the names \k<name> refers to
}

// count returns the number of capturing groups.
func (p *reParser) count() int {
	n, inClass := 0, false
	for i := 0; i < len(p.src); i++ {
		switch c := p.src[i]; {
		case c == '\\':
			i++
		case c == '[':
			inClass = true
		case c == ']':
			inClass = false
		case c == '(' && !inClass:
			if !strings.HasPrefix(p.src[i+1:], "?") || strings.HasPrefix(p.src[i+1:], "?<") && !strings.HasPrefix(p.src[i+1:], "?<=") && !strings.HasPrefix(p.src[i+1:], "?<!") {
				n++
			}
		}
	}
	return n
}

func (p *reParser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *reParser) eat(prefix string) bool {
	if strings.HasPrefix(p.src[p.pos:], prefix) {
		p.pos += len(prefix)
		return true
	}
	return false
}

func (p *reParser) disjunction() {
	p.alternative()
	for p.ok && p.eat("|") {
		p.alternative()
	}
}

func (p *reParser) alternative() {
	for p.ok && p.pos < len(p.src) && p.peek() != '|' && p.peek() != ')' {
		p.term()
	}
}

func (p *reParser) term() {
	switch {
	case p.eat("^"), p.eat("$"), p.eat(`\b`), p.eat(`\B`):
		return // assertions take no quantifier
	case p.eat("(?="), p.eat("(?!"), p.eat("(?<="), p.eat("(?<!"):
		p.group()
		return
	}
	p.atom()
	if p.ok {
		p.quantifier()
	}
}

// maxGroupDepth bounds the nesting of groups, and so the recursion.
const maxGroupDepth = 1000

// group reads a group's disjunction and its ")". A pattern nesting groups
// deeper than maxGroupDepth is refused.
func (p *reParser) group() {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxGroupDepth {
		p.ok = false
		return
	}
	p.disjunction()
	if !p.eat(")") {
		p.ok = false
	}
}

func (p *reParser) atom() {
	c := p.peek()
	switch {
	case c == '.':
		p.pos++
	case c == '\\':
		p.pos++
		p.atomEscape()
	case c == '[':
		p.pos++
		p.class()
	case p.eat("(?:"):
		p.group()
	case p.eat("(?<"):
		name, ok := p.groupName('>')
		if !ok || p.names[name] {
			p.ok = false
			return
		}
		p.names[name] = true
		p.group()
	case c == '(':
		p.pos++
		p.group()
	case strings.IndexByte("^$\\.*+?()[]{}|", c) >= 0:
		p.ok = false // a quantifier without an atom, or a lone bracket
	default:
		_, n := utf8.DecodeRuneInString(p.src[p.pos:])
		p.pos += n
	}
}

// quantifier reads an optional quantifier and its lazy "?".
func (p *reParser) quantifier() {
	switch p.peek() {
	case '*', '+', '?':
		p.pos++
	case '{':
		p.pos++
		lo, ok := p.decimal()
		if !ok {
			p.ok = false
			return
		}
		if p.eat(",") && p.peek() != '}' {
			hi, ok := p.decimal()
			if !ok || hi < lo {
				p.ok = false
				return
			}
		}
		if !p.eat("}") {
			p.ok = false
			return
		}
	default:
		return
	}
	p.eat("?")
}

// decimal reads 1*DIGIT, saturating at a billion.
func (p *reParser) decimal() (int, bool) {
	start, v := p.pos, 0
	for p.pos < len(p.src) && isDigit(p.src[p.pos]) {
		if v < 1e9 {
			v = v*10 + int(p.src[p.pos]-'0')
		}
		p.pos++
	}
	return v, p.pos > start
}

// atomEscape reads what follows a "\" outside a class.
func (p *reParser) atomEscape() {
	c := p.peek()
	switch {
	case c >= '1' && c <= '9':
		n, _ := p.decimal()
		if n > p.groups {
			p.ok = false
		}
	case c == 'k':
		p.pos++
		if !p.eat("<") {
			p.ok = false
			return
		}
		name, ok := p.groupName('>')
		if !ok {
			p.ok = false
			return
		}
		if p.refs == nil {
			p.refs = map[string]bool{}
		}
		p.refs[name] = true
	default:
		if _, ok := p.classEscape(false); !ok {
			p.ok = false
		}
	}
}

// classEscape reads a CharacterClassEscape or CharacterEscape (and in a
// class "\b" and "\-"), returning the character it stands for, or -1 for
// a class of characters.
func (p *reParser) classEscape(inClass bool) (rune, bool) {
	if p.pos >= len(p.src) {
		return 0, false
	}
	c := p.src[p.pos]
	p.pos++
	switch {
	case strings.IndexByte("dDsSwW", c) >= 0:
		return -1, true
	case c == 'p' || c == 'P':
		if !p.eat("{") {
			return 0, false
		}
		end := strings.IndexByte(p.src[p.pos:], '}')
		if end <= 0 {
			return 0, false
		}
		name, value, hasValue := strings.Cut(p.src[p.pos:p.pos+end], "=")
		p.pos += end + 1
		return -1, propertyWord(name) && (!hasValue || propertyWord(value))
	case c == 'f':
		return '\f', true
	case c == 'n':
		return '\n', true
	case c == 'r':
		return '\r', true
	case c == 't':
		return '\t', true
	case c == 'v':
		return '\v', true
	case c == 'b' && inClass:
		return '\b', true
	case c == '-' && inClass:
		return '-', true
	case c == 'c':
		if l := p.peek(); isAlpha(l) {
			p.pos++
			return rune(l % 32), true
		}
		return 0, false
	case c == '0':
		if isDigit(p.peek()) {
			return 0, false
		}
		return 0, true
	case c == 'x':
		if p.pos+2 <= len(p.src) && isHex(p.src[p.pos]) && isHex(p.src[p.pos+1]) {
			p.pos += 2
			return rune(hexValue(p.src[p.pos-2 : p.pos])), true
		}
		return 0, false
	case c == 'u':
		return p.unicodeEscape()
	case strings.IndexByte("^$\\.*+?()[]{}|/", c) >= 0:
		return rune(c), true
	}
	return 0, false
}

// unicodeEscape reads what follows "\u": XXXX (a surrogate pair
// "\uD83D\uDE00" stands for one character) or {X...} up to 10FFFF.
func (p *reParser) unicodeEscape() (rune, bool) {
	if p.eat("{") {
		end := strings.IndexByte(p.src[p.pos:], '}')
		if end <= 0 {
			return 0, false
		}
		hex := p.src[p.pos : p.pos+end]
		p.pos += end + 1
		for i := 0; i < len(hex); i++ {
			if !isHex(hex[i]) {
				return 0, false
			}
		}
		hex = strings.TrimLeft(hex, "0")
		if len(hex) > 6 || hexValue(hex) > unicode.MaxRune {
			return 0, false
		}
		return rune(hexValue(hex)), true
	}
	four := func() (int, bool) {
		if p.pos+4 > len(p.src) {
			return 0, false
		}
		h := p.src[p.pos : p.pos+4]
		for i := 0; i < 4; i++ {
			if !isHex(h[i]) {
				return 0, false
			}
		}
		p.pos += 4
		return hexValue(h), true
	}
	hi, ok := four()
	if !ok {
		return 0, false
	}
	if 0xD800 <= hi && hi <= 0xDBFF && strings.HasPrefix(p.src[p.pos:], `\u`) {
		save := p.pos
		p.pos += 2
		if lo, ok := four(); ok && 0xDC00 <= lo && lo <= 0xDFFF {
			return rune(0x10000 + (hi-0xD800)<<10 + (lo - 0xDC00)), true
		}
		p.pos = save
	}
	return rune(hi), true
}

// class reads a character class after its "[".
func (p *reParser) class() {
	p.eat("^")
	for p.ok {
		if p.pos >= len(p.src) {
			p.ok = false
			return
		}
		if p.eat("]") {
			return
		}
		lo := p.classAtom()
		if p.ok && p.peek() == '-' && p.pos+1 < len(p.src) && p.src[p.pos+1] != ']' {
			p.pos++
			hi := p.classAtom()
			if lo < 0 || hi < 0 || hi < lo {
				p.ok = false // a range needs two characters in order
			}
		}
	}
}

// classAtom reads one class atom: its character, or -1 for a class escape.
func (p *reParser) classAtom() rune {
	if p.eat(`\`) {
		r, ok := p.classEscape(true)
		if !ok {
			p.ok = false
		}
		return r
	}
	r, n := utf8.DecodeRuneInString(p.src[p.pos:])
	p.pos += n
	return r
}

// groupName reads a group name up to the byte end: an identifier.
func (p *reParser) groupName(end byte) (string, bool) {
	i := strings.IndexByte(p.src[p.pos:], end)
	if i <= 0 {
		return "", false
	}
	name := p.src[p.pos : p.pos+i]
	p.pos += i + 1
	for j, r := range name {
		if !(r == '$' || r == '_' || unicode.IsLetter(r) || j > 0 && (unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) || unicode.Is(unicode.Pc, r))) {
			return "", false
		}
	}
	return name, true
}

// propertyWord reports whether s is a non-empty run of letters, digits and
// underscores, as Unicode property names and values are.
func propertyWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlpha(c) && !isDigit(c) && c != '_' {
			return false
		}
	}
	return true
}

// hexValue returns the value of a string of at most 7 hexadecimal digits.
func hexValue(h string) int {
	v := 0
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case isDigit(c):
			v = v*16 + int(c-'0')
		case c >= 'a':
			v = v*16 + int(c-'a'+10)
		default:
			v = v*16 + int(c-'A'+10)
		}
	}
	return v
}
