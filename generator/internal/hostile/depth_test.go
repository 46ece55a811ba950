package hostile

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator/runtime/decode"
)

// deepTree returns a valid JSON input of the given size at least whose tree
// nests {"children":[ ... ]} until the size is reached.
func deepTree(size int) []byte {
	const open, close = `{"children":[`, `]}`
	levels := size / (len(open) + len(close))
	var b strings.Builder
	b.Grow(levels*(len(open)+len(close)) + 16)
	b.WriteString(`{"tree":`)
	for i := 0; i < levels; i++ {
		b.WriteString(open)
	}
	for i := 0; i < levels; i++ {
		b.WriteString(close)
	}
	b.WriteString(`}`)
	return []byte(b.String())
}

// treePointer is the pointer of the array or object at the given level of
// a deepTree input: the input's object is level 1, the tree level 2.
func treePointer(level int) string {
	p := "/tree"
	for l := 3; l <= level; l++ {
		if l%2 == 1 {
			p += "/children"
		} else {
			p += "/0"
		}
	}
	return p
}

// decodeMeasured decodes in and returns the error and the bytes the
// decoding allocated.
func decodeMeasured(in []byte) (uint64, error) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := DecodeInput(in)
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, err
}

// onlyViolation returns the violation of err, which must be a
// *decode.ValidationError with exactly one.
func onlyViolation(t *testing.T, err error) decode.Violation {
	t.Helper()
	var verr *decode.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("got %v, want a *decode.ValidationError", err)
	}
	if len(verr.Violations) != 1 || verr.Total != 1 {
		t.Fatalf("got %d violations of %d, want 1: %v", len(verr.Violations), verr.Total, err)
	}
	return verr.Violations[0]
}

// TestDepthTyped decodes 120 MB of nested {"children":[ through the typed,
// recursive decoder of Node: a "maxDepth" violation at the array or object
// that opens level 1001, and decoding stops there: what it allocates does
// not grow with the input.
func TestDepthTyped(t *testing.T) {
	for _, size := range []int{150 << 10, 120 << 20} {
		in := deepTree(size)
		alloc, err := decodeMeasured(in)
		v := onlyViolation(t, err)
		if v.Keyword != "maxDepth" || v.Pointer != treePointer(1001) {
			t.Errorf("%d bytes: got %s %s, want maxDepth at %s", len(in), v.Keyword, v.Pointer, treePointer(1001))
		}
		if want := "must not nest arrays and objects more than 1000 levels deep; decoding stopped here"; v.Message != want {
			t.Errorf("message %q, want %q", v.Message, want)
		}
		t.Logf("%d bytes: %d bytes allocated", len(in), alloc)
		if alloc > 256<<10 {
			t.Errorf("%d bytes: decoding allocated %d bytes, want at most 256 KiB", len(in), alloc)
		}
	}
}

// TestDepthBoundary: 1000 levels are read, 1001 are not, on the generic
// path (readAny) and on the skipped one (skip).
func TestDepthBoundary(t *testing.T) {
	nest := func(key string, arrays int) []byte {
		return []byte(`{"` + key + `":` + strings.Repeat("[", arrays) + strings.Repeat("]", arrays) + `}`)
	}
	// The input's object is level 1: 999 arrays inside reach level 1000.
	if _, err := DecodeInput(nest("payload", 999)); err != nil {
		t.Errorf("1000 levels: %v", err)
	}
	zeros := "/payload" + strings.Repeat("/0", 999)
	v := onlyViolation(t, func() error { _, err := DecodeInput(nest("payload", 1000)); return err }())
	if v.Keyword != "maxDepth" || v.Pointer != zeros {
		t.Errorf("1001 levels, generic: got %s at %s, want maxDepth at %s", v.Keyword, v.Pointer, zeros)
	}
	// An unknown property is refused, and its value skipped up to the limit.
	_, err := DecodeInput(nest(`a~b/c\u0041`, 5000))
	var verr *decode.ValidationError
	if !errors.As(err, &verr) || len(verr.Violations) != 2 {
		t.Fatalf("got %v, want two violations", err)
	}
	want := []string{"/a~0b~1cA additionalProperties", "/a~0b~1cA" + strings.Repeat("/0", 999) + " maxDepth"}
	for i, v := range verr.Violations {
		if got := v.Pointer + " " + v.Keyword; got != want[i] {
			t.Errorf("violation %d: %s, want %s", i, got, want[i])
		}
	}
}

// TestDepthMixed: the pointer of a limit reached in a value skipped inside
// the typed tree has the typed part, then the skipped part, escaped keys
// unescaped.
func TestDepthMixed(t *testing.T) {
	const levels = 300 // tree levels: 2 each
	in := `{"tree":` + strings.Repeat(`{"children":[`, levels) + `{"x\"y": {"k": ` + strings.Repeat("[", 1000) + strings.Repeat("]", 1000) + `}}` + strings.Repeat(`]}`, levels) + `}`
	_, err := DecodeInput([]byte(in))
	var verr *decode.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("got %v", err)
	}
	last := verr.Violations[len(verr.Violations)-1]
	// Levels: input 1, tree 2, then 2 per tree level, the node of x 2+2*300,
	// x's object one more, k's arrays from there.
	nodeLevel := 2 + 2*levels
	want := treePointer(nodeLevel) + `/x"y/k` + strings.Repeat("/0", 1001-(nodeLevel+2))
	if last.Keyword != "maxDepth" || last.Pointer != want {
		t.Errorf("got %s at %s\nwant maxDepth at %s", last.Keyword, last.Pointer, want)
	}
}

// BenchmarkDeep measures the decoding of 120 MB of nesting: a fast
// "maxDepth" violation.
func BenchmarkDeep(b *testing.B) {
	in := deepTree(120 << 20)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeInput(in); err == nil {
			b.Fatal("accepted")
		}
	}
}
