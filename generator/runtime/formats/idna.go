package formats

import (
	"strings"
	"unicode"
)

// aLabel reports whether the part of an "xn--" label after its prefix is
// the Punycode (RFC 3492) of a valid IDNA 2008 U-label (RFC 5891 section
// 5.4): it decodes, holds a character beyond ASCII, has no hyphens in its
// third and fourth positions and none at its ends, does not start with a
// combining mark, and each character is PVALID, or CONTEXTJ or CONTEXTO
// with its context rule met (RFC 5892).
//
// Derived properties are computed from Go's Unicode tables with two
// approximations, since the standard library has no normalization data: a
// character is "unstable" (DISALLOWED) when case folding changes it or it is
// in the Halfwidth and Fullwidth Forms block, rather than whenever NFKC
// changes it; and the Bidi rule (RFC 5893) is not checked.
func aLabel(puny string) bool {
	u, ok := punyDecode(strings.ToLower(puny))
	if !ok || len(u) == 0 {
		return false
	}
	ascii := true
	for _, r := range u {
		if r >= 0x80 {
			ascii = false
		}
	}
	if ascii || u[0] == '-' || u[len(u)-1] == '-' || len(u) >= 4 && u[2] == '-' && u[3] == '-' || unicode.Is(unicode.M, u[0]) {
		return false
	}
	for i, r := range u {
		switch idnaProperty(r) {
		case pvalid:
		case contextJ:
			if !contextJOK(u, i) {
				return false
			}
		case contextO:
			if !contextOOK(u, i) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// punyDecode decodes Punycode (RFC 3492 section 6.2), bounded by its input.
func punyDecode(s string) ([]rune, bool) {
	const (
		base, tmin, tmax, skew, damp = 36, 1, 26, 38, 700
		initialBias, initialN        = 72, 128
		maxInt                       = 1<<31 - 1
	)
	var out []rune
	if d := strings.LastIndexByte(s, '-'); d >= 0 {
		for i := 0; i < d; i++ {
			if s[i] >= 0x80 {
				return nil, false
			}
			out = append(out, rune(s[i]))
		}
		s = s[d+1:]
		if s == "" {
			return nil, false
		}
	}
	n, bias, i := initialN, initialBias, 0
	for p := 0; p < len(s); {
		oldi, w := i, 1
		for k := base; ; k += base {
			if p == len(s) {
				return nil, false
			}
			c := s[p]
			p++
			var digit int
			switch {
			case 'a' <= c && c <= 'z':
				digit = int(c - 'a')
			case '0' <= c && c <= '9':
				digit = int(c-'0') + 26
			default:
				return nil, false
			}
			if digit > (maxInt-i)/w {
				return nil, false
			}
			i += digit * w
			t := k - bias
			if t < tmin {
				t = tmin
			} else if t > tmax {
				t = tmax
			}
			if digit < t {
				break
			}
			if w > maxInt/(base-t) {
				return nil, false
			}
			w *= base - t
		}
		// adapt the bias (section 6.1).
		delta, first := i-oldi, oldi == 0
		if first {
			delta /= damp
		} else {
			delta /= 2
		}
		delta += delta / (len(out) + 1)
		k := 0
		for delta > ((base-tmin)*tmax)/2 {
			delta /= base - tmin
			k += base
		}
		bias = k + (base-tmin+1)*delta/(delta+skew)
		n += i / (len(out) + 1)
		i %= len(out) + 1
		if n > unicode.MaxRune || n < initialN || 0xd800 <= n && n <= 0xdfff {
			return nil, false
		}
		out = append(out[:i], append([]rune{rune(n)}, out[i:]...)...)
		i++
	}
	return out, true
}

// The IDNA 2008 derived properties (RFC 5892 section 2) a label checks.
const (
	disallowed = iota
	pvalid
	contextJ
	contextO
)

// idnaProperty computes the derived property of r (RFC 5892 section 3),
// with the approximation aLabel documents.
func idnaProperty(r rune) int {
	switch r {
	case 0x00DF, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x3007: // Exceptions (F): PVALID
		return pvalid
	case 0x00B7, 0x0375, 0x05F3, 0x05F4, 0x30FB: // Exceptions (F): CONTEXTO
		return contextO
	case 0x0640, 0x07FA, 0x302E, 0x302F, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303B: // Exceptions (F): DISALLOWED
		return disallowed
	case 0x200C, 0x200D: // JoinControl (H)
		return contextJ
	}
	switch {
	case 0x0660 <= r && r <= 0x0669 || 0x06F0 <= r && r <= 0x06F9: // Exceptions (F): CONTEXTO
		return contextO
	case r < 0x80: // LDH (K); the other ASCII is DISALLOWED
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-' {
			return pvalid
		}
		return disallowed
	case unicode.ToLower(r) != r || unicode.IsUpper(r) || unicode.IsTitle(r) || 0xFF00 <= r && r <= 0xFFEF: // Unstable (B), approximated
		return disallowed
	case unicode.In(r, unicode.White_Space, unicode.Noncharacter_Code_Point, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector, unicode.Cf): // IgnorableProperties (C)
		return disallowed
	case 0x20D0 <= r && r <= 0x20FF || 0x1D100 <= r && r <= 0x1D24F: // IgnorableBlocks (D)
		return disallowed
	case 0x1100 <= r && r <= 0x11FF || 0xA960 <= r && r <= 0xA97F || 0xD7B0 <= r && r <= 0xD7FF: // OldHangulJamo (I)
		return disallowed
	case unicode.In(r, unicode.Ll, unicode.Lo, unicode.Nd, unicode.Lm, unicode.Mn, unicode.Mc): // LetterDigits (A)
		return pvalid
	}
	return disallowed // Unassigned (J) and the rest
}

// contextJOK checks the CONTEXTJ rules (RFC 5892 appendix A.1, A.2) of the
// joiner at u[i].
func contextJOK(u []rune, i int) bool {
	if i > 0 && unicode.Is(virama, u[i-1]) {
		return true
	}
	if u[i] == 0x200D {
		return false
	}
	// ZERO WIDTH NON-JOINER: (L|D) T* ZWNJ T* (R|D).
	left := false
	for j := i - 1; j >= 0; j-- {
		if jt := joiningType(u[j]); jt != 'T' {
			left = jt == 'L' || jt == 'D'
			break
		}
	}
	right := false
	for j := i + 1; j < len(u); j++ {
		if jt := joiningType(u[j]); jt != 'T' {
			right = jt == 'R' || jt == 'D'
			break
		}
	}
	return left && right
}

// contextOOK checks the CONTEXTO rules (RFC 5892 appendix A.3-A.9) of u[i].
func contextOOK(u []rune, i int) bool {
	r := u[i]
	switch {
	case r == 0x00B7: // MIDDLE DOT: between two l.
		return i > 0 && i+1 < len(u) && u[i-1] == 'l' && u[i+1] == 'l'
	case r == 0x0375: // GREEK LOWER NUMERAL SIGN: followed by Greek.
		return i+1 < len(u) && unicode.Is(unicode.Greek, u[i+1])
	case r == 0x05F3 || r == 0x05F4: // HEBREW GERESH, GERSHAYIM: after Hebrew.
		return i > 0 && unicode.Is(unicode.Hebrew, u[i-1])
	case r == 0x30FB: // KATAKANA MIDDLE DOT: a Hiragana, Katakana or Han in the label.
		for _, c := range u {
			if c != 0x30FB && unicode.In(c, unicode.Hiragana, unicode.Katakana, unicode.Han) {
				return true
			}
		}
		return false
	case 0x0660 <= r && r <= 0x0669: // ARABIC-INDIC DIGITS: not mixed with extended ones.
		for _, c := range u {
			if 0x06F0 <= c && c <= 0x06F9 {
				return false
			}
		}
		return true
	case 0x06F0 <= r && r <= 0x06F9: // EXTENDED ARABIC-INDIC DIGITS: not mixed with the others.
		for _, c := range u {
			if 0x0660 <= c && c <= 0x0669 {
				return false
			}
		}
		return true
	}
	return false
}

// joiningType approximates the Unicode Joining_Type of r, which Go's
// tables lack: T (transparent) for marks and format characters, R for the
// right-joining Arabic letters, D for the other letters of the cursive
// scripts, and U (non-joining) for everything else.
func joiningType(r rune) byte {
	switch {
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) && r != 0x200C && r != 0x200D:
		return 'T'
	case unicode.Is(arabicRight, r):
		return 'R'
	case unicode.IsLetter(r) && unicode.In(r, unicode.Arabic, unicode.Syriac, unicode.Nko, unicode.Mongolian, unicode.Mandaic, unicode.Manichaean, unicode.Psalter_Pahlavi, unicode.Adlam, unicode.Hanifi_Rohingya, unicode.Sogdian, unicode.Old_Uyghur, unicode.Chorasmian):
		return 'D'
	}
	return 'U'
}

// arabicRight are the right-joining (Joining_Type R) Arabic letters.
var arabicRight = &unicode.RangeTable{R16: []unicode.Range16{
	{Lo: 0x0622, Hi: 0x0625, Stride: 1},
	{Lo: 0x0627, Hi: 0x0629, Stride: 2},
	{Lo: 0x062F, Hi: 0x0632, Stride: 1},
	{Lo: 0x0648, Hi: 0x0648, Stride: 1},
	{Lo: 0x0671, Hi: 0x0673, Stride: 1},
	{Lo: 0x0675, Hi: 0x0677, Stride: 1},
	{Lo: 0x0688, Hi: 0x0699, Stride: 1},
	{Lo: 0x06C0, Hi: 0x06C0, Stride: 1},
	{Lo: 0x06C3, Hi: 0x06CB, Stride: 1},
	{Lo: 0x06CD, Hi: 0x06CF, Stride: 2},
	{Lo: 0x06D2, Hi: 0x06D3, Stride: 1},
	{Lo: 0x06D5, Hi: 0x06D5, Stride: 1},
	{Lo: 0x06EE, Hi: 0x06EF, Stride: 1},
	{Lo: 0x0759, Hi: 0x075B, Stride: 1},
	{Lo: 0x076B, Hi: 0x076C, Stride: 1},
	{Lo: 0x0771, Hi: 0x0771, Stride: 1},
	{Lo: 0x0773, Hi: 0x0774, Stride: 1},
	{Lo: 0x0778, Hi: 0x0779, Stride: 1},
}}

// virama are the characters of Canonical_Combining_Class Virama (9),
// which Go's tables lack.
var virama = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x094D, Hi: 0x0CCD, Stride: 0x80},
		{Lo: 0x0D3B, Hi: 0x0D3C, Stride: 1},
		{Lo: 0x0D4D, Hi: 0x0D4D, Stride: 1},
		{Lo: 0x0DCA, Hi: 0x0DCA, Stride: 1},
		{Lo: 0x0E3A, Hi: 0x0E3A, Stride: 1},
		{Lo: 0x0EBA, Hi: 0x0EBA, Stride: 1},
		{Lo: 0x0F84, Hi: 0x0F84, Stride: 1},
		{Lo: 0x1039, Hi: 0x103A, Stride: 1},
		{Lo: 0x1714, Hi: 0x1715, Stride: 1},
		{Lo: 0x1734, Hi: 0x1734, Stride: 1},
		{Lo: 0x17D2, Hi: 0x17D2, Stride: 1},
		{Lo: 0x1A60, Hi: 0x1A60, Stride: 1},
		{Lo: 0x1B44, Hi: 0x1B44, Stride: 1},
		{Lo: 0x1BAA, Hi: 0x1BAB, Stride: 1},
		{Lo: 0x1BF2, Hi: 0x1BF3, Stride: 1},
		{Lo: 0x2D7F, Hi: 0x2D7F, Stride: 1},
		{Lo: 0xA806, Hi: 0xA806, Stride: 1},
		{Lo: 0xA82C, Hi: 0xA82C, Stride: 1},
		{Lo: 0xA8C4, Hi: 0xA8C4, Stride: 1},
		{Lo: 0xA953, Hi: 0xA953, Stride: 1},
		{Lo: 0xA9C0, Hi: 0xA9C0, Stride: 1},
		{Lo: 0xAAF6, Hi: 0xAAF6, Stride: 1},
		{Lo: 0xABED, Hi: 0xABED, Stride: 1},
	},
	R32: []unicode.Range32{
		{Lo: 0x10A3F, Hi: 0x10A3F, Stride: 1},
		{Lo: 0x11046, Hi: 0x11046, Stride: 1},
		{Lo: 0x11070, Hi: 0x11070, Stride: 1},
		{Lo: 0x1107F, Hi: 0x1107F, Stride: 1},
		{Lo: 0x110B9, Hi: 0x110B9, Stride: 1},
		{Lo: 0x11133, Hi: 0x11134, Stride: 1},
		{Lo: 0x111C0, Hi: 0x111C0, Stride: 1},
		{Lo: 0x11235, Hi: 0x11235, Stride: 1},
		{Lo: 0x112EA, Hi: 0x112EA, Stride: 1},
		{Lo: 0x1134D, Hi: 0x1134D, Stride: 1},
		{Lo: 0x11442, Hi: 0x11442, Stride: 1},
		{Lo: 0x114C2, Hi: 0x114C2, Stride: 1},
		{Lo: 0x115BF, Hi: 0x115BF, Stride: 1},
		{Lo: 0x1163F, Hi: 0x1163F, Stride: 1},
		{Lo: 0x116B6, Hi: 0x116B6, Stride: 1},
		{Lo: 0x1172B, Hi: 0x1172B, Stride: 1},
		{Lo: 0x11839, Hi: 0x11839, Stride: 1},
		{Lo: 0x1193D, Hi: 0x1193E, Stride: 1},
		{Lo: 0x119E0, Hi: 0x119E0, Stride: 1},
		{Lo: 0x11A34, Hi: 0x11A34, Stride: 1},
		{Lo: 0x11A47, Hi: 0x11A47, Stride: 1},
		{Lo: 0x11A99, Hi: 0x11A99, Stride: 1},
		{Lo: 0x11C3F, Hi: 0x11C3F, Stride: 1},
		{Lo: 0x11D44, Hi: 0x11D45, Stride: 1},
		{Lo: 0x11D97, Hi: 0x11D97, Stride: 1},
		{Lo: 0x11F41, Hi: 0x11F42, Stride: 1},
	},
}
