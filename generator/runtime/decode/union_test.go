package decode

import (
	"strings"
	"testing"
)

// TestTag finds the discriminator ahead, wherever it is in the object,
// consuming nothing; and nothing in what is no object or lacks it.
func TestTag(t *testing.T) {
	for _, tt := range []struct {
		in, raw, text string
		isString      bool
	}{
		{`{"kind": "circle", "r": 1}`, `"circle"`, "circle", true},
		{`{"r": {"kind": "inner"}, "kind" : "c\u0069rcle"}`, `"c\u0069rcle"`, "circle", true},
		{`{"r": [1, {"x": 2}], "kind": 5}`, "5", "", false},
		{`{"r": 1}`, "", "", false},
		{`[{"kind": "x"}]`, "", "", false},
		{`{"r": 1, "kind": "x`, "", "", false},
	} {
		d := New([]byte(tt.in), 100)
		raw, text, isString := d.Tag("kind")
		if string(raw) != tt.raw || string(text) != tt.text || isString != tt.isString {
			t.Errorf("%s: Tag = %q, %q, %v; want %q, %q, %v", tt.in, raw, text, isString, tt.raw, tt.text, tt.isString)
		}
		if d.Offset() != 0 {
			t.Errorf("%s: Tag consumed %d bytes", tt.in, d.Offset())
		}
	}
}

// nestedTags is an object nested depth levels deep through "args", each
// with its "kind" last, and a string of pad bytes at the bottom.
func nestedTags(depth, pad int) string {
	inner := `{"pad": "` + strings.Repeat("x", pad) + `", "kind": "leaf"}`
	for i := 0; i < depth; i++ {
		inner = `{"args": [` + inner + `], "kind": "k` + string(rune('a'+i%26)) + `"}`
	}
	return inner
}

// TestTagNested looks up the discriminators of nested objects after their
// parents', as a decoder of nested unions does: the values remembered on
// the way give the same answers.
func TestTagNested(t *testing.T) {
	data := nestedTags(30, 1000)
	d := New([]byte(data), 1000)
	for i := 30; i >= 0; i-- {
		_, text, _ := d.Tag("kind")
		want := "leaf"
		if i > 0 {
			want = "k" + string(rune('a'+(i-1)%26))
		}
		if string(text) != want {
			t.Fatalf("level %d: Tag = %q, want %q", 30-i, text, want)
		}
		// Into the first element of "args".
		next := strings.Index(data[d.Offset()+1:], `{`)
		if i > 0 {
			d.Rewind(d.Offset() + 1 + next)
		}
	}
	if len(d.ends) == 0 {
		t.Error("no skipped value was remembered")
	}
}

// BenchmarkTagNested looks up the discriminators of 200 nested objects
// whose discriminator comes last, above 256 KiB: with the values remembered,
// each lookup skips what is new to it only.
func BenchmarkTagNested(b *testing.B) {
	data := []byte(nestedTags(200, 256<<10))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		d := New(data, 1000)
		for i := 0; i <= 200; i++ {
			d.Tag("kind")
			if i < 200 {
				d.Rewind(d.Offset() + 10) // `{"args": [` is 10 bytes
			}
		}
	}
}
