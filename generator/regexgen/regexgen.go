// Package regexgen writes strings that a regular expression matches: the
// sampler's values for a "pattern", a property name for a
// "patternProperties", and strings of a length within bounds for a
// "pattern" with "minLength" and "maxLength".
package regexgen

import (
	"regexp/syntax"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxRegexpLen bounds the length of the strings OfLength builds: a
// "minLength" beyond it is not fitted to a pattern.
const maxRegexpLen = 1100

// maxRegexpNodes bounds the nodes of a pattern whose lengths are
// computed; a larger pattern gets the other candidates only.
const maxRegexpNodes = 2000

// regexpLengths builds strings that a parsed regular expression matches
// whole, of a length chosen within bounds: a "pattern" combined with
// "minLength" and "maxLength". It computes, for each node of the
// expression, the set of the lengths (in runes, up to cap) of the strings
// it matches, then writes a string of one length, splitting it among
// concatenations and repetitions so that every part can be matched.
type regexpLengths struct {
	cap int
	// sets holds each node's lengths: sets[re][l] is true when re matches
	// a string of l runes.
	sets map[*syntax.Regexp][]bool
	// copies holds, for a repetition, the lengths of exactly c copies of
	// its sub-expression, c from 0 to its maximum (at most cap).
	copies map[*syntax.Regexp][][]bool
	nodes  int
	// work counts the steps of the length sums, which maxRegexpWork bounds.
	work int
	b    strings.Builder
}

// maxRegexpWork bounds the steps of the length sums of one pattern.
const maxRegexpWork = 1 << 24

// OfLength returns a string of at least min and at most max runes
// (max < 0: no bound) that re matches whole, the shortest such; false when
// there is none within maxRegexpLen, or re is too large to search.
func OfLength(re *syntax.Regexp, min, max int) (string, bool) {
	lim := min + 64
	if max >= 0 && max < lim {
		lim = max
	}
	if lim > maxRegexpLen {
		lim = maxRegexpLen
	}
	if min > lim {
		return "", false
	}
	g := &regexpLengths{cap: lim, sets: map[*syntax.Regexp][]bool{}, copies: map[*syntax.Regexp][][]bool{}}
	set := g.lengths(re)
	if set == nil {
		return "", false
	}
	for l := min; l <= lim; l++ {
		if set[l] {
			g.gen(re, l)
			if g.work > maxRegexpWork || utf8.RuneCountInString(g.b.String()) != l {
				// The sums ran out of steps while writing.
				return "", false
			}
			return g.b.String(), true
		}
	}
	return "", false
}

// lengths returns the set of the lengths re matches, up to g.cap; nil when
// re is too large to search.
func (g *regexpLengths) lengths(re *syntax.Regexp) []bool {
	if s, ok := g.sets[re]; ok {
		return s
	}
	if g.nodes++; g.nodes > maxRegexpNodes {
		return nil
	}
	s := make([]bool, g.cap+1)
	switch re.Op {
	case syntax.OpNoMatch:
	case syntax.OpLiteral:
		if n := len(re.Rune); n <= g.cap {
			s[n] = true
		}
	case syntax.OpCharClass:
		if len(re.Rune) > 0 && g.cap >= 1 {
			s[1] = true
		}
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		if g.cap >= 1 {
			s[1] = true
		}
	case syntax.OpCapture:
		sub := g.lengths(re.Sub[0])
		if sub == nil {
			return nil
		}
		copy(s, sub)
	case syntax.OpConcat:
		s[0] = true
		for _, sub := range re.Sub {
			ss := g.lengths(sub)
			if ss == nil {
				return nil
			}
			s = g.sum(s, ss)
		}
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			ss := g.lengths(sub)
			if ss == nil {
				return nil
			}
			for l, ok := range ss {
				s[l] = s[l] || ok
			}
		}
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		cs := g.repeatCopies(re)
		if cs == nil {
			return nil
		}
		min, _ := repeatBounds(re)
		for c := min; c < len(cs); c++ {
			for l, ok := range cs[c] {
				s[l] = s[l] || ok
			}
		}
	default:
		// Empty matches and assertions match the empty string.
		s[0] = true
	}
	if g.work > maxRegexpWork {
		return nil
	}
	g.sets[re] = s
	return s
}

// sum returns the lengths of a string of a length in a followed by one of
// a length in b, up to g.cap.
func (g *regexpLengths) sum(a, b []bool) []bool {
	out := make([]bool, g.cap+1)
	var bs []int
	for j, ok := range b {
		if ok {
			bs = append(bs, j)
		}
	}
	g.work += len(a)
	for i, ok := range a {
		if !ok || g.work > maxRegexpWork {
			continue
		}
		g.work += len(bs)
		for _, j := range bs {
			if i+j > g.cap {
				break
			}
			out[i+j] = true
		}
	}
	return out
}

// repeatBounds returns the least and most copies a repetition matches; max
// is -1 for no bound.
func repeatBounds(re *syntax.Regexp) (min, max int) {
	switch re.Op {
	case syntax.OpStar:
		return 0, -1
	case syntax.OpPlus:
		return 1, -1
	case syntax.OpQuest:
		return 0, 1
	}
	return re.Min, re.Max
}

// repeatCopies returns, for the repetition re, the lengths of exactly c
// copies of its sub-expression for c from 0 to its maximum, at most g.cap
// copies beyond its minimum (more copies of a sub-expression that matches
// only the empty string add nothing; of one that matches more, exceed the
// cap); nil when re is too large to search.
func (g *regexpLengths) repeatCopies(re *syntax.Regexp) [][]bool {
	if cs, ok := g.copies[re]; ok {
		return cs
	}
	sub := g.lengths(re.Sub[0])
	if sub == nil {
		return nil
	}
	min, max := repeatBounds(re)
	if min > g.cap+1 {
		min = g.cap + 1
	}
	last := min + g.cap
	if max >= 0 && max < last {
		last = max
	}
	zero := make([]bool, g.cap+1)
	zero[0] = true
	cs := [][]bool{zero}
	for c := 1; c <= last && g.work <= maxRegexpWork; c++ {
		next := g.sum(cs[c-1], sub)
		if c > min && (!slices.Contains(next, true) || slices.Equal(next, cs[c-1])) {
			// More copies match nothing new within the cap.
			break
		}
		cs = append(cs, next)
	}
	g.copies[re] = cs
	return cs
}

// gen writes a string of exactly l runes that re matches; l is in
// g.lengths(re).
func (g *regexpLengths) gen(re *syntax.Regexp, l int) {
	switch re.Op {
	case syntax.OpLiteral:
		g.b.WriteString(string(re.Rune))
	case syntax.OpCharClass:
		g.b.WriteRune(ClassRune(re.Rune))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		g.b.WriteRune('a')
	case syntax.OpCapture:
		g.gen(re.Sub[0], l)
	case syntax.OpConcat:
		// rest[i] holds the lengths of the concatenation of the subs from i.
		rest := make([][]bool, len(re.Sub)+1)
		rest[len(re.Sub)] = make([]bool, g.cap+1)
		rest[len(re.Sub)][0] = true
		for i := len(re.Sub) - 1; i >= 0; i-- {
			rest[i] = g.sum(g.sets[re.Sub[i]], rest[i+1])
		}
		for i, sub := range re.Sub {
			for k, ok := range g.sets[sub] {
				if ok && k <= l && rest[i+1][l-k] {
					g.gen(sub, k)
					l -= k
					break
				}
			}
		}
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			if g.sets[sub][l] {
				g.gen(sub, l)
				return
			}
		}
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		cs := g.copies[re]
		min, _ := repeatBounds(re)
		n := min
		for n < len(cs) && !cs[n][l] {
			n++
		}
		sub := g.sets[re.Sub[0]]
		for c := n; c > 0; c-- {
			for k, ok := range sub {
				if ok && k <= l && cs[c-1][l-k] {
					g.gen(re.Sub[0], k)
					l -= k
					break
				}
			}
		}
	}
}

// Sample returns a string matched by re, repeating its loops until
// the string has at least need characters where that is possible.
func Sample(re *syntax.Regexp, need int) (string, bool) {
	g := &regexpGen{need: need}
	ok := g.gen(re)
	return g.b.String(), ok
}

// regexpGen writes a string that a parsed regular expression matches.
type regexpGen struct {
	b    strings.Builder
	need int
}

// gen writes a match of re; it returns false if re matches nothing.
func (g *regexpGen) gen(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpNoMatch:
		return false
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			g.write(r)
		}
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return false
		}
		g.write(ClassRune(re.Rune))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		g.write('a')
	case syntax.OpCapture:
		return g.gen(re.Sub[0])
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if !g.gen(sub) {
				return false
			}
		}
	case syntax.OpAlternate:
		return g.gen(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		return g.repeat(re)
	}
	// Empty matches and assertions write nothing.
	return true
}

// repeat writes the minimal number of repetitions of a loop, and more while
// characters are still needed.
func (g *regexpGen) repeat(re *syntax.Regexp) bool {
	min, max := re.Min, re.Max
	switch re.Op {
	case syntax.OpStar:
		min, max = 0, -1
	case syntax.OpPlus:
		min, max = 1, -1
	case syntax.OpQuest:
		min, max = 0, 1
	}
	for i := 0; i < min; i++ {
		if !g.gen(re.Sub[0]) {
			return false
		}
	}
	for i := min; g.need > 0 && (max < 0 || i < max); i++ {
		before := g.b.Len()
		if !g.gen(re.Sub[0]) || g.b.Len() == before {
			break
		}
	}
	return true
}

// write appends r.
func (g *regexpGen) write(r rune) {
	g.b.WriteRune(r)
	g.need--
}

// ClassRune picks a readable rune of a character class given as ranges.
func ClassRune(ranges []rune) rune {
	for _, want := range "a0A-_ " {
		for i := 0; i+1 < len(ranges); i += 2 {
			if ranges[i] <= want && want <= ranges[i+1] {
				return want
			}
		}
	}
	return ranges[0]
}
