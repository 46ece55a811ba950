package formats

// UUID reports whether s is a UUID in the string representation of RFC
// 4122 section 3 (RFC 9562 section 4): 8-4-4-4-12 hexadecimal digits of
// either case. The version and variant nibbles are not checked.
func UUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isHex(s[i]) {
				return false
			}
		}
	}
	return true
}

// JSONPointer reports whether s is a JSON Pointer (RFC 6901): empty, or
// reference tokens each after a "/", where "~" is only in "~0" or "~1".
func JSONPointer(s string) bool {
	if s != "" && s[0] != '/' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '~' {
			if i+1 == len(s) || s[i+1] != '0' && s[i+1] != '1' {
				return false
			}
			i++
		}
	}
	return true
}
