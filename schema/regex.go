package schema

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// ecmaSpace is ECMA-262's \s: white space and line terminators, which is
// wider than Go's \s ([\t\n\f\r ]).
const ecmaSpace = `\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}`

// pattern checks and translates the ECMA-262 regular expression src (the
// value of "pattern" or a "patternProperties" key at node n).
func (p *parser) pattern(n *yaml.Node, src, ptr string) *Pattern {
	goSrc, err := translateRegexp(src)
	var unsupported *unsupportedRegexp
	switch {
	case errors.As(err, &unsupported):
		p.errorf(n, ptr, "pattern %q cannot be used: it has a %s, and Go's RE2 engine has no lookaround or backreferences: rewrite the pattern without it", src, unsupported.what)
		return nil
	case err != nil:
		p.errorf(n, ptr, "pattern %q is not a valid regular expression: %v", src, err)
		return nil
	}
	if _, err := regexp.Compile(goSrc); err != nil {
		p.errorf(n, ptr, "pattern %q is not a valid regular expression: %v", src, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		return nil
	}
	return &Pattern{Source: src, Go: goSrc, Pos: pos(n)}
}

// translateRegexp rewrites an ECMA-262 pattern into Go regexp syntax with the
// same meaning where the two differ: ".", "\s", "\S", "\d", "\w", "\uXXXX",
// "\cX", "\/" and "[^]". Constructs RE2 lacks are reported.
func translateRegexp(src string) (string, error) {
	var b strings.Builder
	rs := []rune(src)
	inClass := false
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == '\\':
			if i+1 >= len(rs) {
				return "", fmt.Errorf("trailing backslash")
			}
			i++
			e := rs[i]
			switch {
			case e == 's' && inClass:
				b.WriteString(ecmaSpace)
			case e == 's':
				b.WriteString("[" + ecmaSpace + "]")
			case e == 'S' && !inClass:
				b.WriteString("[^" + ecmaSpace + "]")
			case e == 'S':
				return "", fmt.Errorf(`\S inside a character class is not supported`)
			case e == 'u' && i+4 < len(rs) && isHex(rs[i+1:i+5]):
				fmt.Fprintf(&b, `\x{%s}`, string(rs[i+1:i+5]))
				i += 4
			case e == 'u' && i+1 < len(rs) && rs[i+1] == '{':
				end := strings.IndexRune(string(rs[i:]), '}')
				if end < 0 {
					return "", fmt.Errorf(`unterminated \u{...}`)
				}
				hex := string(rs[i+2 : i+end])
				fmt.Fprintf(&b, `\x{%s}`, hex)
				i += end
			case e == 'c' && i+1 < len(rs) && isASCIILetter(rs[i+1]):
				fmt.Fprintf(&b, `\x{%x}`, rs[i+1]%32)
				i++
			case e >= '1' && e <= '9':
				return "", &unsupportedRegexp{fmt.Sprintf("backreference \\%c", e)}
			case e == 'k':
				return "", &unsupportedRegexp{`named backreference \k`}
			case e == '/' || e == '-':
				b.WriteString(regexp.QuoteMeta(string(e)))
			case e == '0':
				b.WriteString(`\x00`)
			default:
				b.WriteRune('\\')
				b.WriteRune(e)
			}
		case inClass:
			if c == ']' {
				inClass = false
			}
			if c == '[' {
				b.WriteString(`\[`)
				continue
			}
			b.WriteRune(c)
		case c == '[':
			if strings.HasPrefix(string(rs[i:]), "[^]") {
				b.WriteString(`[\x{0}-\x{10FFFF}]`)
				i += 2
				continue
			}
			if strings.HasPrefix(string(rs[i:]), "[]") {
				b.WriteString(`[^\x{0}-\x{10FFFF}]`)
				i++
				continue
			}
			inClass = true
			b.WriteRune(c)
			if i+1 < len(rs) && rs[i+1] == '^' {
				b.WriteRune('^')
				i++
			}
			if i+1 < len(rs) && rs[i+1] == ']' {
				// A leading ']' is a literal in Go but ends the class in ECMA.
				return "", fmt.Errorf("empty character class")
			}
		case c == '.':
			b.WriteString(`[^\n\r\x{2028}\x{2029}]`)
		case c == '(' && strings.HasPrefix(string(rs[i:]), "(?=") || strings.HasPrefix(string(rs[i:]), "(?!"):
			return "", &unsupportedRegexp{fmt.Sprintf("lookahead %q", string(rs[i:i+3]))}
		case c == '(' && (strings.HasPrefix(string(rs[i:]), "(?<=") || strings.HasPrefix(string(rs[i:]), "(?<!")):
			return "", &unsupportedRegexp{fmt.Sprintf("lookbehind %q", string(rs[i:i+4]))}
		default:
			b.WriteRune(c)
		}
	}
	if inClass {
		return "", errors.New("missing closing ]")
	}
	return b.String(), nil
}

// unsupportedRegexp is a valid ECMA-262 construct that RE2 lacks.
type unsupportedRegexp struct{ what string }

// Error names the construct.
func (e *unsupportedRegexp) Error() string { return e.what }

// isHex reports whether every rune of rs is a hexadecimal digit.
func isHex(rs []rune) bool {
	for _, r := range rs {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

// isASCIILetter reports whether r is a letter of the ASCII alphabet.
func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
