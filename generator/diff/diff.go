// Package diff writes the unified diff of two texts.
package diff

import (
	"fmt"
	"strings"
)

// Unified returns the unified diff (as diff -u prints it, with three
// lines of context) that turns a into b, under the names aName and bName;
// "" when they are equal. It compares lines with Myers' algorithm, which
// finds a shortest edit script.
func Unified(aName, bName string, a, b []byte) string {
	if string(a) == string(b) {
		return ""
	}
	x, y := splitLines(string(a)), splitLines(string(b))
	ops := myers(x, y)
	const context = 3
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", aName, bName)

	// Group the edit script into hunks: runs of changes with at most
	// 2*context equal lines between them.
	i := 0
	for i < len(ops) {
		for i < len(ops) && ops[i].kind == ' ' {
			i++
		}
		if i == len(ops) {
			break
		}
		start := max(i-context, 0)
		for start < i && ops[start].kind != ' ' {
			start++
		}
		end := i
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*context {
				end = min(end+context, run)
				break
			}
			end = run
		}
		writeHunk(&out, ops[start:end], x, y)
		i = end
	}
	return out.String()
}

// op is one step of an edit script: ' ' keeps x[i] (= y[j]), '-' deletes
// x[i], '+' inserts y[j].
type op struct {
	kind byte
	i, j int
}

// writeHunk writes one hunk of a unified diff of x and y: its header and
// the lines of ops.
func writeHunk(out *strings.Builder, ops []op, x, y []string) {
	var ai, an, bi, bn int
	ai, bi = -1, -1
	for _, o := range ops {
		if o.kind != '+' {
			if ai < 0 {
				ai = o.i
			}
			an++
		}
		if o.kind != '-' {
			if bi < 0 {
				bi = o.j
			}
			bn++
		}
	}
	// An empty side starts at the line before the hunk, as diff -u prints it.
	if ai < 0 {
		ai = ops[0].i - 1
	}
	if bi < 0 {
		bi = ops[0].j - 1
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", hunkRange(ai, an), hunkRange(bi, bn))
	for _, o := range ops {
		var line string
		switch o.kind {
		case '+':
			line = y[o.j]
		default:
			line = x[o.i]
		}
		out.WriteByte(o.kind)
		out.WriteString(line)
		if !strings.HasSuffix(line, "\n") {
			out.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// hunkRange formats the range of a hunk header: "start" or "start,n",
// 1-based.
func hunkRange(start, n int) string {
	if n == 1 {
		return fmt.Sprint(start + 1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

// splitLines splits s after each newline; the last line may lack one.
func splitLines(s string) []string {
	var lines []string
	for len(s) > 0 {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			lines = append(lines, s)
			break
		}
		lines = append(lines, s[:i+1])
		s = s[i+1:]
	}
	return lines
}

// myers returns a shortest edit script from x to y (E. Myers, "An O(ND)
// Difference Algorithm and Its Variations", 1986). It keeps the frontier of
// every round to trace the path back.
func myers(x, y []string) []op {
	n, m := len(x), len(y)
	maxD := n + m
	offset := maxD + 1
	v := make([]int, 2*maxD+3) // v[offset+k]: the furthest x on diagonal k
	// trace[d] is v[offset-d-1 : offset+d+2] before round d: the diagonals
	// round d reads. Keeping only those makes the memory O(D²), not O(D·N).
	var trace [][]int
search:
	for d := 0; d <= maxD; d++ {
		if d > maxEdits {
			return replaceAll(n, m)
		}
		trace = append(trace, append([]int(nil), v[offset-d-1:offset+d+2]...))
		for k := -d; k <= d; k += 2 {
			var i int
			if k == -d || (k != d && v[offset+k-1] < v[offset+k+1]) {
				i = v[offset+k+1] // from diagonal k+1: insert y[j-1]
			} else {
				i = v[offset+k-1] + 1 // from diagonal k-1: delete x[i-1]
			}
			j := i - k
			for i < n && j < m && x[i] == y[j] {
				i++
				j++
			}
			v[offset+k] = i
			if i >= n && j >= m {
				break search
			}
		}
	}
	var ops []op
	i, j := n, m
	for d := len(trace) - 1; d >= 0; d-- {
		prev := trace[d]
		at := func(k int) int { return prev[k+d+1] }
		k := i - j
		var pk int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		pi := at(pk)
		pj := pi - pk
		for i > pi && j > pj {
			i--
			j--
			ops = append(ops, op{' ', i, j})
		}
		if d == 0 {
			break
		}
		if i == pi {
			ops = append(ops, op{'+', i, j - 1})
		} else {
			ops = append(ops, op{'-', i - 1, j})
		}
		i, j = pi, pj
	}
	for l, r := 0, len(ops)-1; l < r; l, r = l+1, r-1 {
		ops[l], ops[r] = ops[r], ops[l]
	}
	return ops
}

// maxEdits bounds the search: beyond it (files that share little), the
// diff deletes every old line and inserts every new one, which is correct
// but not minimal, instead of using memory quadratic in the edits.
const maxEdits = 3000

// replaceAll is the edit script that deletes all n lines of x and inserts
// all m lines of y.
func replaceAll(n, m int) []op {
	ops := make([]op, 0, n+m)
	for i := 0; i < n; i++ {
		ops = append(ops, op{'-', i, 0})
	}
	for j := 0; j < m; j++ {
		ops = append(ops, op{'+', n, j})
	}
	return ops
}
