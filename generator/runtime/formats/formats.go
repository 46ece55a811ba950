package formats

// Lookup returns the checker of a format name, or false when the package
// does not check that format.
func Lookup(format string) (func(string) bool, bool) {
	var f func(string) bool
	switch format {
	case "date-time":
		f = DateTime
	case "date":
		f = Date
	case "time":
		f = Time
	case "duration":
		f = Duration
	case "email":
		f = Email
	case "hostname":
		f = Hostname
	case "ipv4":
		f = IPv4
	case "ipv6":
		f = IPv6
	case "uri":
		f = URI
	case "uri-reference":
		f = URIReference
	case "uuid":
		f = UUID
	case "regex":
		f = Regex
	case "json-pointer":
		f = JSONPointer
	}
	return f, f != nil
}

// digits returns the value of the n ASCII digits at s[i:], or false.
func digits(s string, i, n int) (int, bool) {
	if i+n > len(s) {
		return 0, false
	}
	v := 0
	for _, c := range []byte(s[i : i+n]) {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// isHex reports whether c is an ASCII hexadecimal digit.
func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// isAlpha reports whether c is an ASCII letter.
func isAlpha(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// isDigit reports whether c is an ASCII digit.
func isDigit(c byte) bool {
	return '0' <= c && c <= '9'
}
