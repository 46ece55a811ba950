package regexgen

import (
	"regexp"
	"regexp/syntax"
	"testing"
	"unicode/utf8"
)

// TestRegexpOfLength: a string the pattern matches whole, of a length
// within the bounds, whenever the pattern has one; none when it has not.
func TestRegexpOfLength(t *testing.T) {
	for _, tt := range []struct {
		pattern  string
		min, max int
		ok       bool
	}{
		{`^[a-z]+-[0-9]+$`, 10, 11, true},
		{`^[a-z]+-[0-9]+$`, 3, 3, true},
		{`^[a-z]+-[0-9]+$`, 0, 2, false},
		{`^(ab)+$`, 5, 5, false},
		{`^(ab)+$`, 5, 6, true},
		{`^[A-Z]{2}[0-9]{4,}$`, 9, -1, true},
		{`^[A-Z]{2}[0-9]{4,6}$`, 9, -1, false},
		{`^(red|green|blue)$`, 4, 5, true},
		{`^\d{3}(-\d{4})?$`, 4, 7, false},
		{`^\d{3}(-\d{4})?$`, 4, 8, true},
		{`^x{1000}$`, 1000, 1000, true},
		{`^(a|bc)*d$`, 6, 6, true},
		{`^.{0,100}$`, 50, 60, true},
		{`^$`, 1, -1, false},
		// Long strings through nested and counted repetitions.
		{`^(.{0,30}){0,30}$`, 1000, 1100, false},
		{`^(((a*)*)*)*b$`, 1000, 1100, true},
		{`^([a-z]{1,50}-){1,19}[0-9]{1,40}$`, 1000, 1100, true},
		{`^(x?){500}y{500}$`, 1000, 1100, true},
		{`^(a{0,9}b{0,9}c{0,9}){1,100}$`, 1000, 1100, true},
		{`^((a|bb|ccc){1,20}-){1,50}$`, 1000, 1100, true},
	} {
		re, err := syntax.Parse(tt.pattern, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := OfLength(re.Simplify(), tt.min, tt.max)
		if ok != tt.ok {
			t.Errorf("%s [%d, %d]: got %q, %v; want ok=%v", tt.pattern, tt.min, tt.max, got, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		n := utf8.RuneCountInString(got)
		if !regexp.MustCompile(tt.pattern).MatchString(got) || n < tt.min || tt.max >= 0 && n > tt.max {
			t.Errorf("%s [%d, %d]: %q (%d runes) does not fit", tt.pattern, tt.min, tt.max, got, n)
		}
	}
}
