package decode

import (
	"cmp"
	"math/big"
)

// Rat returns the exact value of a number of the schema.
func Rat(lit string) *big.Rat {
	r, _ := new(big.Rat).SetString(lit)
	return r
}

// numValue is the exact value of a JSON number literal lit:
// (-1 if neg) × m × 10^exp, where m is the natural number written by the
// digits of lit[first:last+1], the decimal point left out, without leading
// or trailing zeros. The number is zero when first > last. Numbers are
// read this way, never through float64, wherever the exact value counts:
// integers, bounds, multipleOf, enum, const and uniqueItems.
type numValue struct {
	neg         bool
	first, last int
	// point is the index of the decimal point, or the end of the digits
	// when there is none.
	point int
	// exp is the power of ten of m's last digit, and digits the number of
	// m's digits. A literal's exponent is saturated at 10^15, far beyond
	// what the length of any literal can make up for.
	exp, digits int64
}

// parseNumber returns the exact value of lit, a valid JSON number.
func parseNumber[T ~string | ~[]byte](lit T) numValue {
	var x numValue
	i := 0
	if lit[0] == '-' {
		x.neg, i = true, 1
	}
	end := i
	for end < len(lit) && lit[end] != 'e' && lit[end] != 'E' {
		end++
	}
	x.point, x.first, x.last = end, -1, -2
	for j := i; j < end; j++ {
		switch c := lit[j]; {
		case c == '.':
			x.point = j
		case c != '0':
			if x.first < 0 {
				x.first = j
			}
			x.last = j
		}
	}
	if x.first < 0 {
		x.first, x.last = 1, 0
		return x
	}
	x.digits = int64(x.last - x.first + 1)
	if x.first < x.point && x.point < x.last {
		x.digits--
	}
	if x.last < x.point {
		x.exp = int64(x.point - x.last - 1)
	} else {
		x.exp = -int64(x.last - x.point)
	}
	if end < len(lit) {
		j, sign := end+1, int64(1)
		if lit[j] == '+' || lit[j] == '-' {
			if lit[j] == '-' {
				sign = -1
			}
			j++
		}
		var e int64
		for ; j < len(lit); j++ {
			if e < 1e15 {
				e = e*10 + int64(lit[j]-'0')
			}
		}
		x.exp += sign * e
	}
	return x
}

// zero reports whether the number is zero.
func (x numValue) zero() bool { return x.first > x.last }

// sign returns -1, 0 or +1.
func (x numValue) sign() int {
	switch {
	case x.zero():
		return 0
	case x.neg:
		return -1
	}
	return 1
}

// digitAt returns the i-th digit of m, from 0, as a character: '0'
// beyond its last.
func digitAt[T ~string | ~[]byte](lit T, x numValue, i int64) byte {
	j := int64(x.first) + i
	if x.first < x.point && j >= int64(x.point) {
		j++
	}
	if j > int64(x.last) {
		return '0'
	}
	return lit[j]
}

// intOf returns the value of lit, a valid JSON number, whether it is an
// integer (1.0 and 1e2 are, 1.5 is not), and whether that integer fits in
// an int64.
func intOf[T ~string | ~[]byte](lit T) (n int64, integer, fits bool) {
	x := parseNumber(lit)
	switch {
	case x.zero():
		return 0, true, true
	case x.exp < 0:
		return 0, false, false
	case x.digits+x.exp > 19:
		return 0, true, false
	}
	var u uint64 // below 10^19, within the range of uint64
	for i := int64(0); i < x.digits; i++ {
		u = u*10 + uint64(digitAt(lit, x, i)-'0')
	}
	for e := x.exp; e > 0; e-- {
		u *= 10
	}
	switch {
	case x.neg && u <= 1<<63:
		return int64(-u), true, true
	case !x.neg && u < 1<<63:
		return int64(u), true, true
	}
	return 0, true, false
}

// Compare compares the exact values of two valid JSON number
// literals: -1 when a < b, 0 when they are equal, +1 when a > b.
func Compare[A, B ~string | ~[]byte](a A, b B) int {
	x, y := parseNumber(a), parseNumber(b)
	sx, sy := x.sign(), y.sign()
	if sx != sy || sx == 0 {
		return cmp.Compare(sx, sy)
	}
	// Both have the same sign: the magnitude with the higher leading
	// digit position is larger, then the first digit that differs decides.
	c := cmp.Compare(x.digits+x.exp, y.digits+y.exp)
	for i := int64(0); c == 0 && (i < x.digits || i < y.digits); i++ {
		c = cmp.Compare(digitAt(a, x, i), digitAt(b, y, i))
	}
	return c * sx
}

// NumIn reports whether the number lit equals one of values exactly.
func NumIn(lit []byte, values ...string) bool {
	for _, v := range values {
		if Compare(lit, v) == 0 {
			return true
		}
	}
	return false
}

// Multiple reports whether the number lit is an integer multiple of
// k > 0, exactly. The work grows with the length of lit, not with its
// exponent: 1e1000000000 costs no more than 1e1.
func Multiple[T ~string | ~[]byte](lit T, k *big.Rat) bool {
	x := parseNumber(lit)
	if x.zero() {
		return true
	}
	// lit / k = m × 10^exp × q / p, with k = p/q in lowest terms.
	p, q := k.Num(), k.Denom()
	var d, pow big.Int
	if x.exp >= 0 {
		// p divides m × 10^exp exactly when it divides m × 10^e for an e
		// at least the exponents of 2 and 5 in p, such as its bit length.
		e := min(x.exp, int64(p.BitLen()))
		pow.Exp(big.NewInt(10), big.NewInt(e), nil)
		d.Set(p)
		r := mod(lit, x, &d)
		return r.Mod(r.Mul(r, &pow), &d).Sign() == 0
	}
	// p × 10^-exp must divide m × q. As m does not end with a zero, 10^-exp
	// can divide m × q only if 2^-exp or 5^-exp divides q.
	e := -x.exp
	if e >= int64(q.BitLen()) {
		return false
	}
	pow.Exp(big.NewInt(10), big.NewInt(e), nil)
	d.Mul(p, &pow)
	r := mod(lit, x, &d)
	return r.Mod(r.Mul(r, q), &d).Sign() == 0
}

// mod returns m mod d, m being the digits of x in lit, read 18 at a time.
func mod[T ~string | ~[]byte](lit T, x numValue, d *big.Int) *big.Int {
	r, chunk, scale := new(big.Int), new(big.Int), new(big.Int)
	for i := int64(0); i < x.digits; {
		var v, s uint64 = 0, 1
		for j := 0; j < 18 && i < x.digits; j, i = j+1, i+1 {
			v = v*10 + uint64(digitAt(lit, x, i)-'0')
			s *= 10
		}
		r.Mul(r, scale.SetUint64(s))
		r.Add(r, chunk.SetUint64(v))
		r.Mod(r, d)
	}
	return r
}

// Unique checks "uniqueItems" on the items s of the current array: each
// item equal to an earlier one is a violation at that item, naming the
// first item it equals ("/tags/2: equals /tags/0"). A map from each value
// to its first index makes it linear in the length of s.
func Unique[T comparable](d *Decoder, s []T) {
	if len(s) < 2 {
		return
	}
	seen := make(map[T]int, len(s))
	for j, x := range s {
		if i, ok := seen[x]; ok {
			d.failUnique(i, j)
			continue
		}
		seen[x] = j
	}
}
