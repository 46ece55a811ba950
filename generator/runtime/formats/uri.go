package formats

import "strings"

// URI reports whether s is a URI (RFC 3986 section 3): a scheme, ":", a
// hierarchical part, an optional query and fragment, every character
// allowed where it stands and every "%" followed by two hexadecimal digits.
func URI(s string) bool {
	i := schemeEnd(s)
	return i > 0 && uriRest(s[i+1:], true)
}

// URIReference reports whether s is a URI-reference (RFC 3986 section
// 4.1): a URI, or a relative reference ("//host/path", "/path", "path",
// "?query", "#fragment", ""), whose first path segment has no ":".
func URIReference(s string) bool {
	if i := schemeEnd(s); i > 0 {
		return uriRest(s[i+1:], true)
	}
	return uriRest(s, false)
}

// schemeEnd returns the index of the ":" ending a valid scheme at the start
// of s (ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )), or -1.
func schemeEnd(s string) int {
	if s == "" || !isAlpha(s[0]) {
		return -1
	}
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == ':':
			return i
		case !isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.':
			return -1
		}
	}
	return -1
}

// uriRest checks what follows the scheme's ":" (hier-part when absolute)
// or a whole relative-ref: [ "//" authority ] path [ "?" query ] [ "#"
// fragment ].
func uriRest(s string, absolute bool) bool {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		if !uriChars(s[i+1:], "/?") {
			return false
		}
		s = s[:i]
	}
	if i := strings.IndexByte(s, '?'); i >= 0 {
		if !uriChars(s[i+1:], "/?") {
			return false
		}
		s = s[:i]
	}
	if rest, ok := strings.CutPrefix(s, "//"); ok {
		end := strings.IndexByte(rest, '/')
		if end < 0 {
			end = len(rest)
		}
		return authority(rest[:end]) && uriChars(rest[end:], "/")
	}
	if !absolute {
		// path-noscheme: the first segment has no ":".
		first, _, _ := strings.Cut(s, "/")
		if strings.IndexByte(first, ':') >= 0 {
			return false
		}
	}
	return uriChars(s, "/")
}

// authority checks [ userinfo "@" ] host [ ":" port ].
func authority(s string) bool {
	if i := strings.IndexByte(s, '@'); i >= 0 {
		if !uriChars(s[:i], ":") {
			return false
		}
		s = s[i+1:]
	}
	host, port := s, ""
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 || !ipLiteral(s[1:end]) {
			return false
		}
		host, port = "", s[end+1:]
		if port != "" {
			if port[0] != ':' {
				return false
			}
			port = port[1:]
		}
	} else if i := strings.IndexByte(s, ':'); i >= 0 {
		host, port = s[:i], s[i+1:]
	}
	for i := 0; i < len(port); i++ {
		if !isDigit(port[i]) {
			return false
		}
	}
	// reg-name (an IPv4address is one too).
	return uriChars(host, "")
}

// ipLiteral checks the inside of an IP-literal: IPv6address or IPvFuture
// ("v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )).
func ipLiteral(s string) bool {
	if len(s) > 0 && (s[0] == 'v' || s[0] == 'V') {
		dot := strings.IndexByte(s, '.')
		if dot < 2 || dot == len(s)-1 {
			return false
		}
		for i := 1; i < dot; i++ {
			if !isHex(s[i]) {
				return false
			}
		}
		for i := dot + 1; i < len(s); i++ {
			if c := s[i]; c == '%' || c == '@' || c == '/' || c == '?' || !uriChar(c) {
				return false
			}
		}
		return true
	}
	return IPv6(s)
}

// uriChars reports whether s holds only unreserved characters,
// sub-delims, ":", "@", percent-encodings and the bytes of extra:
// pchar and extra, or for the userinfo and reg-name, whose extra is ":"
// and "", without "@" (and ":" for reg-name).
func uriChars(s, extra string) bool {
	regName := extra == ""
	userinfo := extra == ":"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
			i += 2
		case strings.IndexByte(extra, c) >= 0:
		case c == '@' && (regName || userinfo), c == ':' && regName:
			return false
		case !uriChar(c):
			return false
		}
	}
	return true
}

// uriChar reports whether c is unreserved, a sub-delim, ":" or "@".
func uriChar(c byte) bool {
	return isAlpha(c) || isDigit(c) || strings.IndexByte("-._~!$&'()*+,;=:@", c) >= 0
}
