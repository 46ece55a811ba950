package decode

import "testing"

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
