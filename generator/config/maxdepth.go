package config

import "fmt"

// DefaultMaxDepth is the deepest nesting of arrays and objects that a
// generated DecodeInput reads unless the manifest sets input.maxDepth. A
// deeper input is a "maxDepth" violation, reported at the array or object
// where the limit was reached, and decoding stops there.
//
// encoding/json allows 10,000 levels; a function needs far fewer. Real
// inputs nest a handful of levels, a deliberately recursive one (a tree)
// tens. At 1,000 the worst case stays small: the typed decoders recurse one
// Go call or two per level, a violation's pointer has at most 1,000 tokens,
// and a schema whose every level is checked again as a generic value
// (anyOf, not, if... on a recursive type) reads each byte at most once per
// level above it.
const DefaultMaxDepth = 1000

// MaxMaxDepth is the largest input.maxDepth the manifest may set: the
// nesting encoding/json allows.
const MaxMaxDepth = 10000

// ValidateMaxDepth checks an input.maxDepth setting.
func ValidateMaxDepth(n int) error {
	if n < 1 || n > MaxMaxDepth {
		return fmt.Errorf("input.maxDepth %d: want a whole number from 1 to %d (default %d), the deepest nesting of arrays and objects an input may have", n, MaxMaxDepth, DefaultMaxDepth)
	}
	return nil
}
