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

// TestKeyBranch picks the branch by the keys the object has, wherever they
// are and whatever values come before them, consuming nothing: the branch
// whose keys it has all of, else the one whose keys it has some of; and
// says what it has when no branch is picked.
func TestKeyBranch(t *testing.T) {
	keys := [][]string{{"url"}, {"path", "mode"}, {"cmd"}}
	for _, tt := range []struct {
		in     string
		branch int
		has    string
	}{
		{`{"url": "x"}`, 0, ""},
		{`{"timeout": {"url": 1, "cmd": [2]}, "mode": "r", "path": "/a"}`, 1, ""},
		{`{"url": "x", "mode": "r"}`, 0, ""}, // "path" missing: only branch 0 can match
		{`{"mode": "r"}`, 1, ""},             // branch 1, to report "path" missing
		{`{"p\u0061th": "/a", "mode": "r", "x": [{"cmd": 1}]}`, 1, ""},
		{`{"url": "x", "cmd": "ls"}`, -1, `"url" and "cmd"`},
		{`{"mode": "r", "url": "x", "path": "/a"}`, -1, `"url" and "path"`},
		{`{"timeout": 1}`, -1, "none"},
		{`{}`, -1, "none"},
		{`["url"]`, -1, "none"},
		{`{"x": "unterminated`, -1, "none"},
	} {
		d := New([]byte(tt.in), 100)
		branch, has := d.KeyBranch(keys)
		if branch != tt.branch || has != tt.has {
			t.Errorf("%s: KeyBranch = %d, %q; want %d, %q", tt.in, branch, has, tt.branch, tt.has)
		}
		if d.Offset() != 0 {
			t.Errorf("%s: KeyBranch consumed %d bytes", tt.in, d.Offset())
		}
	}
}

// TestKeyBranchNested picks the branches of nested objects after their
// parents', as a decoder of nested unions does: the values remembered on
// the way give the same answers.
func TestKeyBranchNested(t *testing.T) {
	data := nestedTags(30, 1000) // each level has "args" but for the leaf
	d := New([]byte(data), 1000)
	for i := 30; i >= 0; i-- {
		branch, _ := d.KeyBranch([][]string{{"args"}, {"pad"}})
		if want := map[bool]int{true: 0, false: 1}[i > 0]; branch != want {
			t.Fatalf("level %d: KeyBranch = %d, want %d", 30-i, branch, want)
		}
		next := strings.Index(data[d.Offset()+1:], `{`)
		if i > 0 {
			d.Rewind(d.Offset() + 1 + next)
		}
	}
	if len(d.ends) == 0 {
		t.Error("no skipped value was remembered")
	}
}
