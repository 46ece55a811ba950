package decode

import (
	"errors"
	"strconv"
	"testing"
)

// decodeAny decodes input as a value of any type, as the decoder of a
// schema that accepts every value does.
func decodeAny(input string, maxDepth int) (any, error) {
	d := New([]byte(input), maxDepth)
	v := d.ReadAny()
	return v, d.Finish()
}

func TestSyntaxError(t *testing.T) {
	for _, input := range []string{"", " ", "{", "[1,]", `"abc`, `{"a" 1}`, "nul", "1 2", "{}}", "\"\x01\"", "\"\xff\"", `"\x"`, "01", "-", "1.", "1e"} {
		_, err := decodeAny(input, 10)
		var serr *SyntaxError
		if !errors.As(err, &serr) {
			t.Errorf("decoding %q: got error %v, want a *SyntaxError", input, err)
		}
	}
	// A malformed literal is reported at its first wrong character.
	for input, want := range map[string]string{
		"tru":      "invalid JSON at line 1, column 4 (offset 3): unexpected end of input in the literal true",
		"nulx":     "invalid JSON at line 1, column 4 (offset 3): invalid character 'x' in the literal null (expected 'l')",
		"fase":     "invalid JSON at line 1, column 3 (offset 2): invalid character 's' in the literal false (expected 'l')",
		"[1,\n é}": "invalid JSON at line 2, column 2 (offset 5): invalid character 'é' looking for a value",
	} {
		if _, err := decodeAny(input, 10); err == nil || err.Error() != want {
			t.Errorf("decoding %q: got error %v, want %s", input, err, want)
		}
	}
}

func TestValidationErrorMessage(t *testing.T) {
	err := &ValidationError{Violations: []Violation{
		{Pointer: "", Keyword: "type", Message: "must be an object; got number 1"},
		{Pointer: "/a/0", Keyword: "enum", Message: `must be one of "x", "y"; got "z"`},
	}}
	want := `(root): must be an object; got number 1; /a/0: must be one of "x", "y"; got "z"`
	if got := err.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	err.Total = 5
	if got := err.Error(); got != want+"; and 3 more violations" {
		t.Errorf("Error() = %q, want %q", got, want+"; and 3 more violations")
	}
	err = &ValidationError{Total: 1}
	if got := err.Error(); got != "and 1 more violation" {
		t.Errorf("Error() = %q, want %q", got, "and 1 more violation")
	}
}

// TestViolationCap records more violations than MaxViolations: the first
// ones are kept, the others only counted, unless shallower.
func TestViolationCap(t *testing.T) {
	d := New(nil, 10)
	for i := 0; i < MaxViolations+7; i++ {
		d.Fail("type", "must be "+strconv.Itoa(i))
	}
	var verr *ValidationError
	if err := d.Finish(); !errors.As(err, &verr) {
		t.Fatalf("got error %v, want a *ValidationError", err)
	}
	if len(verr.Violations) != MaxViolations || verr.Total != MaxViolations+7 {
		t.Errorf("got %d violations of %d, want %d of %d", len(verr.Violations), verr.Total, MaxViolations, MaxViolations+7)
	}
	if got := verr.Violations[MaxViolations-1].Message; got != "must be "+strconv.Itoa(MaxViolations-1) {
		t.Errorf("last violation kept: %q", got)
	}
	// Beyond the cap, a shallower violation replaces the last of the
	// deepest ones.
	d = New(nil, 10)
	d.Push("a")
	for i := 0; i < MaxViolations; i++ {
		d.Fail("type", "deep "+strconv.Itoa(i))
	}
	d.Pop()
	d.Fail("type", "shallow")
	if err := d.Finish(); !errors.As(err, &verr) {
		t.Fatalf("got error %v, want a *ValidationError", err)
	}
	first, last := verr.Violations[0], verr.Violations[MaxViolations-1]
	if first.Message != "shallow" || last.Message != "deep "+strconv.Itoa(MaxViolations-2) || verr.Total != MaxViolations+1 {
		t.Errorf("got %q first, %q last, of %d", first.Message, last.Message, verr.Total)
	}
}

// TestViolationOrder checks the order of violations: by pointer, token by
// token, array indexes as numbers, a pointer before those below it.
func TestViolationOrder(t *testing.T) {
	sorted := []string{"", "/a", "/a/2", "/a/2/x", "/a/10", "/a/b", "/a-b", "/a~1b", "/b", "/b/01", "/b/1"}
	for i, a := range sorted {
		for j, b := range sorted {
			got := comparePointers(a, b)
			if (got < 0) != (i < j) || (got == 0) != (i == j) {
				t.Errorf("comparePointers(%q, %q) = %d", a, b, got)
			}
		}
	}
	// Violations recorded out of order come back sorted, keys escaped.
	d := New(nil, 10)
	for _, p := range []string{"b", "a/b", "a~b"} {
		d.Push(p)
		d.Fail("type", "bad")
		d.Pop()
	}
	d.PushIndex(10)
	d.Fail("type", "bad")
	d.Pop()
	d.PushIndex(2)
	d.Fail("type", "bad")
	d.Pop()
	var verr *ValidationError
	if err := d.Finish(); !errors.As(err, &verr) {
		t.Fatalf("got error %v, want a *ValidationError", err)
	}
	var got []string
	for _, v := range verr.Violations {
		got = append(got, v.Pointer)
	}
	want := []string{"/2", "/10", "/a~0b", "/a~1b", "/b"}
	if len(got) != len(want) {
		t.Fatalf("pointers %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("pointers %q, want %q", got, want)
		}
	}
}

// TestMaxDepth decodes an input nested one level deeper than the limit:
// a "maxDepth" violation at the innermost array or object read, not a
// syntax error, and nothing beyond is read.
func TestMaxDepth(t *testing.T) {
	_, err := decodeAny(`{"a": [[{"b": [1]}]]}`, 4)
	var verr *ValidationError
	if !errors.As(err, &verr) || len(verr.Violations) != 1 {
		t.Fatalf("got %v, want one violation", err)
	}
	v := verr.Violations[0]
	if v.Keyword != "maxDepth" || v.Pointer != "/a/0/0/b" || v.Message != "must not nest arrays and objects more than 4 levels deep; decoding stopped here" {
		t.Errorf("got %+v", v)
	}
	if _, err := decodeAny(`{"a": [[{"b": 1}]]}`, 4); err != nil {
		t.Errorf("4 levels deep: %v", err)
	}
}
