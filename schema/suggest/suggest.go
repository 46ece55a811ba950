// Package suggest finds the likely intended name for a misspelt one, for
// "did you mean" hints in diagnostics. The schema parser and the workflow
// checker share it, so that both hint alike.
package suggest

import "strings"

// Nearest returns the candidate closest to name, compared case-insensitively,
// if it is a likely typo: at most two edits away, and fewer edits than name
// has characters less one, so that a short name such as "foo" is not taken
// for "not". An exact match (ignoring case) other than name itself counts
// (zero edits). It returns "" when no candidate is close enough; among
// equally close candidates the first wins.
func Nearest(name string, candidates []string) string {
	best, bestDist := "", min(3, len(name)-1)
	lower := strings.ToLower(name)
	for _, c := range candidates {
		if c == name {
			continue
		}
		if d := Distance(lower, strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// Distance is the Levenshtein edit distance between a and b, counted in
// bytes.
func Distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Hint returns ` (did you mean "x"?)` for the candidate Nearest finds, or
// "" when there is none.
func Hint(name string, candidates []string) string {
	if near := Nearest(name, candidates); near != "" {
		return ` (did you mean "` + near + `"?)`
	}
	return ""
}
