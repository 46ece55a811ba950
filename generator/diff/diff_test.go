package diff

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestUnifiedDiff(t *testing.T) {
	for _, tt := range []struct {
		name, a, b, want string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"change", "a\nb\nc\n", "a\nB\nc\n", "--- a\n+++ b\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{"from empty", "", "x\ny\n", "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n"},
		{"to empty", "x\n", "", "--- a\n+++ b\n@@ -1 +0,0 @@\n-x\n"},
		{"no newline", "a\nb", "a\nc", "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"},
		{"two hunks",
			"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
			"1\nX\n3\n4\n5\n6\n7\n8\n9\n10\nY\n12\n",
			"--- a\n+++ b\n@@ -1,5 +1,5 @@\n 1\n-2\n+X\n 3\n 4\n 5\n@@ -8,5 +8,5 @@\n 8\n 9\n 10\n-11\n+Y\n 12\n"},
	} {
		if got := Unified("a", "b", []byte(tt.a), []byte(tt.b)); got != tt.want {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", tt.name, got, tt.want)
		}
	}
}

// TestUnifiedDiffMatchesDiff compares random edits with GNU diff -u, and
// checks that applying each hunk turns a into b.
func TestUnifiedDiffMatchesDiff(t *testing.T) {
	diff, err := exec.LookPath("diff")
	if err != nil {
		t.Skip("no diff installed")
	}
	r := rand.New(rand.NewSource(1))
	dir := t.TempDir()
	words := []string{"a\n", "b\n", "c\n", "d\n", "}\n", "\n"}
	gen := func() string {
		var b strings.Builder
		for n := r.Intn(30); n > 0; n-- {
			b.WriteString(words[r.Intn(len(words))])
		}
		return b.String()
	}
	for i := 0; i < 300; i++ {
		a := gen()
		lines := splitLines(a)
		for e := r.Intn(4); e > 0 && len(lines) > 0; e-- {
			k := r.Intn(len(lines))
			switch r.Intn(3) {
			case 0:
				lines = append(lines[:k], lines[k+1:]...)
			case 1:
				lines[k] = words[r.Intn(len(words))]
			default:
				lines = append(lines[:k], append([]string{words[r.Intn(len(words))]}, lines[k:]...)...)
			}
		}
		b := []byte(strings.Join(lines, ""))
		got := Unified("a", "b", []byte(a), b)
		if applied := apply(t, a, got); applied != string(b) {
			t.Fatalf("case %d: the diff does not turn a into b:\n%s", i, got)
		}
		pa, pb := filepath.Join(dir, "a"), filepath.Join(dir, "b")
		os.WriteFile(pa, []byte(a), 0o644)
		os.WriteFile(pb, b, 0o644)
		out, _ := exec.Command(diff, "-u", "--label", "a", "--label", "b", pa, pb).Output()
		// Both are shortest scripts, which may differ in shape: compare the
		// hunk headers' counts of changed lines.
		if count(got) != count(string(out)) {
			t.Fatalf("case %d: %d changed lines, diff -u has %d\nours:\n%s\ndiff -u:\n%s", i, count(got), count(string(out)), got, out)
		}
	}
}

func count(d string) int {
	n := 0
	for _, l := range strings.Split(d, "\n") {
		if (strings.HasPrefix(l, "+") && !strings.HasPrefix(l, "+++")) || (strings.HasPrefix(l, "-") && !strings.HasPrefix(l, "---")) {
			n++
		}
	}
	return n
}

// hunkHeader matches "@@ -a[,n] +b[,m] @@".
var hunkHeader = regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n$`)

// apply applies a unified diff to a.
func apply(t *testing.T, a, d string) string {
	t.Helper()
	if d == "" {
		return a
	}
	src := splitLines(a)
	var out []string
	pos := 0
	lines := strings.SplitAfter(d, "\n")
	for i := 2; i < len(lines) && lines[i] != ""; i++ {
		l := lines[i]
		if m := hunkHeader.FindStringSubmatch(l); m != nil {
			start, _ := strconv.Atoi(m[1])
			if m[2] != "0" {
				start-- // 1-based first line; for an empty range, the line before
			}
			out = append(out, src[pos:start]...)
			pos = start
			continue
		}
		switch l[0] {
		case '\\':
			if strings.HasPrefix(lines[i-1], "+") {
				out[len(out)-1] = strings.TrimSuffix(out[len(out)-1], "\n")
			}
		case ' ':
			out = append(out, src[pos])
			pos++
		case '-':
			pos++
		case '+':
			out = append(out, l[1:])
		default:
			t.Fatalf("bad diff line %q", l)
		}
	}
	out = append(out, src[pos:]...)
	return strings.Join(out, "")
}

// TestUnifiedDiffLarge: files that share nothing give a correct diff
// without quadratic memory.
func TestUnifiedDiffLarge(t *testing.T) {
	var a, b strings.Builder
	for i := 0; i < 4000; i++ {
		fmt.Fprintf(&a, "a%d\n", i)
		fmt.Fprintf(&b, "b%d\n", i)
	}
	d := Unified("a", "b", []byte(a.String()), []byte(b.String()))
	if got := apply(t, a.String(), d); got != b.String() {
		t.Fatal("the diff does not turn a into b")
	}
	if !strings.HasPrefix(d, "--- a\n+++ b\n@@ -1,4000 +1,4000 @@\n-a0\n") {
		t.Errorf("diff starts:\n%.80s", d)
	}
}
