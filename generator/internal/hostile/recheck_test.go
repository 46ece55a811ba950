package hostile

import (
	"strings"
	"testing"
)

// forest returns an input whose forest nests levels Checked nodes, the
// innermost being leaf.
func forest(levels int, leaf string) string {
	return `{"forest":` + strings.Repeat(`{"children":[`, levels) + leaf + strings.Repeat(`]}`, levels) + `}`
}

// TestRecheckLinear: a Checked node is decoded typed, then read again as a
// generic value for its anyOf, and its children array for uniqueItems. At
// every level of a deep tree, that reading again reuses the values read
// for the levels below: a 1 MB leaf under 499 levels is read a few times,
// not 998 (which allocated 548 MB and took 6 s).
func TestRecheckLinear(t *testing.T) {
	in := []byte(forest(499, `{"name":"`+strings.Repeat("x", 1<<20)+`"}`))
	alloc, err := decodeMeasured(in)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d bytes: %d bytes allocated", len(in), alloc)
	if alloc > 16<<20 {
		t.Errorf("decoding allocated %d bytes, want at most 16 MiB", alloc)
	}
}

// TestRecheckVerdicts: the values reused are those of the right places: a
// violation of anyOf or uniqueItems deep in the tree is found where it is.
func TestRecheckVerdicts(t *testing.T) {
	deep := "/forest" + strings.Repeat("/children/0", 300)
	for _, tt := range []struct{ in, want string }{
		{forest(300, `{"name":"a"},{"children":[]}`), "ok"},
		{forest(300, `{}`), deep + " anyOf: must match at least one of the anyOf schemas; it matches none"},
		{forest(300, `{"name":"a"},{"name":"a"}`), deep[:len(deep)-2] + "/1 uniqueItems: equals " + deep[:len(deep)-2] + "/0"},
		{forest(300, `{"name":"a","children":[{"name":"b"}]},{"children":[{"name":"b"}],"name":"a"}`), deep[:len(deep)-2] + "/1 uniqueItems: equals " + deep[:len(deep)-2] + "/0"},
		{forest(300, `{"name":"a","children":[{"name":"b"}]},{"name":"a","children":[{"name":"c"}]}`), "ok"},
	} {
		if got := verdict(t, tt.in); got != tt.want {
			t.Errorf("%.80s...:\ngot  %.200s\nwant %.200s", tt.in, got, tt.want)
		}
	}
}
