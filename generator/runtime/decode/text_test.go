package decode

import (
	"strconv"
	"strings"
	"testing"
)

// TestText checks that the strings Text returns keep their bytes while
// later strings fill and replace the shared chunks, whatever their sizes,
// and that short strings share chunks.
func TestText(t *testing.T) {
	d := New(nil, 10)
	var want, got []string
	buf := []byte{}
	for i := range 3000 {
		// Sizes from 0 to 300 bytes: empty, chunked and not.
		buf = append(buf[:0], strings.Repeat(strconv.Itoa(i%10), i%301)...)
		want = append(want, string(buf))
		got = append(got, d.Text(buf))
		// The caller's buffer is reused, as the decoder's is.
		for j := range buf {
			buf[j] = '!'
		}
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("string %d: got %q, want %q", i, got[i], want[i])
		}
	}
	allocs := testing.AllocsPerRun(10, func() {
		d := New(nil, 10)
		for range 1000 {
			d.Text([]byte("short"))
		}
	})
	// 5,000 bytes in chunks of 128, 256, ... 4,096 bytes: 7 chunks, and
	// the decoder itself.
	if allocs > 10 {
		t.Errorf("1,000 short strings cost %.0f allocations, want at most 10", allocs)
	}
}

// TestSlabs checks that the pointers NewString, NewBool, NewInt and
// NewFloat hand out are distinct zero values, and that many of them cost
// few allocations.
func TestSlabs(t *testing.T) {
	d := New(nil, 10)
	seen := map[any]bool{}
	for i := range 2000 {
		s, b, n, f := d.NewString(), d.NewBool(), d.NewInt(), d.NewFloat()
		if *s != "" || *b || *n != 0 || *f != 0 {
			t.Fatalf("value %d is not zero", i)
		}
		for _, p := range []any{s, b, n, f} {
			if seen[p] {
				t.Fatalf("pointer %p handed out twice", p)
			}
			seen[p] = true
		}
		*s, *b, *n, *f = "x", true, int64(i), float64(i)
	}
	allocs := testing.AllocsPerRun(10, func() {
		d := New(nil, 10)
		for range 1000 {
			d.NewString()
		}
	})
	// Slabs of 4, 8, ... 256 values, then of 256: 10 slabs.
	if allocs > 12 {
		t.Errorf("1,000 strings cost %.0f allocations, want at most 12", allocs)
	}
}
