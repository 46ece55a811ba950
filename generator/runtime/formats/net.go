package formats

import "strings"

// IPv4 reports whether s is an IPv4 address in dotted-quad notation (RFC
// 2673 section 3.2): four decimal octets 0-255 without leading zeros.
func IPv4(s string) bool {
	parts := 0
	for rest, more := s, true; more; parts++ {
		var octet string
		octet, rest, more = strings.Cut(rest, ".")
		if len(octet) == 0 || len(octet) > 3 || len(octet) > 1 && octet[0] == '0' {
			return false
		}
		v, ok := digits(octet, 0, len(octet))
		if !ok || v > 255 || parts == 4 {
			return false
		}
	}
	return parts == 4
}

// IPv6 reports whether s is an IPv6 address in the text forms of RFC 4291
// section 2.2: eight groups of 1 to 4 hexadecimal digits, "::" once for one
// or more groups of zeros, the last two groups possibly an embedded IPv4
// address. A zone ("%eth0"), a prefix length or brackets are not part of an
// address.
func IPv6(s string) bool {
	head, tail, double := strings.Cut(s, "::")
	if !double {
		n, ok := ipv6Groups(s, true)
		return ok && n == 8
	}
	if strings.Contains(tail, "::") {
		return false
	}
	h, ok1 := ipv6Groups(head, false)
	t, ok2 := ipv6Groups(tail, true)
	return ok1 && ok2 && h+t <= 7
}

// ipv6Groups counts the colon-separated groups of part ("" has none), the
// last of which may be an IPv4 address (two groups) when v4 is true; false
// for a group that is not 1 to 4 hexadecimal digits.
func ipv6Groups(part string, v4 bool) (int, bool) {
	if part == "" {
		return 0, true
	}
	n := 0
	for rest, more := part, true; more; {
		var g string
		g, rest, more = strings.Cut(rest, ":")
		if !more && v4 && strings.IndexByte(g, '.') >= 0 {
			return n + 2, IPv4(g)
		}
		if len(g) == 0 || len(g) > 4 || n == 8 {
			return 0, false
		}
		for i := 0; i < len(g); i++ {
			if !isHex(g[i]) {
				return 0, false
			}
		}
		n++
	}
	return n, true
}

// Hostname reports whether s is an Internet host name (RFC 1123 section
// 2.1): dot-separated labels of 1 to 63 letters, digits and hyphens, not
// starting or ending with a hyphen, at most 253 characters in all, no
// trailing dot. A label starting with "xn--" must be an IDNA 2008 A-label
// (RFC 5890, 5891, 5892): see aLabel.
func Hostname(s string) bool {
	if len(s) == 0 || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if !ldhLabel(label) {
			return false
		}
		if len(label) >= 4 && strings.EqualFold(label[:4], "xn--") && !aLabel(label[4:]) {
			return false
		}
	}
	return true
}

// ldhLabel reports whether label is 1 to 63 letters, digits and hyphens,
// neither starting nor ending with a hyphen.
func ldhLabel(label string) bool {
	if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
		return false
	}
	for i := 0; i < len(label); i++ {
		if c := label[i]; !isAlpha(c) && !isDigit(c) && c != '-' {
			return false
		}
	}
	return true
}

// Email reports whether s is an e-mail address as RFC 5321 section 4.1.2
// writes a Mailbox: a local part (a dot-string of atoms, or a quoted
// string) of at most 64 octets, "@", and a domain: a host name, or an
// address literal "[192.0.2.1]" or "[IPv6:2001:db8::1]".
func Email(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at > 64 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	if !dotString(local) && !quotedString(local) {
		return false
	}
	if strings.HasPrefix(domain, "[") && strings.HasSuffix(domain, "]") {
		lit := domain[1 : len(domain)-1]
		if v6, ok := strings.CutPrefix(lit, "IPv6:"); ok {
			return IPv6(v6)
		}
		return IPv4(lit)
	}
	return Hostname(domain)
}

// dotString reports whether s is Atom *("." Atom) of RFC 5321.
func dotString(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '.' && !isAlpha(c) && !isDigit(c) && strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) < 0 {
			return false
		}
	}
	return true
}

// quotedString reports whether s is an RFC 5321 Quoted-string: printable
// ASCII between double quotes, a quote or backslash escaped by a backslash.
func quotedString(s string) bool {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		c := s[i]
		switch {
		case c == '\\':
			i++
			if i == len(s)-1 || s[i] < 32 || s[i] > 126 {
				return false
			}
		case c == '"' || c < 32 || c > 126:
			return false
		}
	}
	return true
}
