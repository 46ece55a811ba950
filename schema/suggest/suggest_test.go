package suggest

import "testing"

func TestNearest(t *testing.T) {
	words := []string{"required", "minLength", "type", "if", "not", "transition"}
	tests := []struct{ name, want string }{
		{"requried", "required"},
		{"minlength", "minLength"},
		{"tpye", "type"},
		{"iff", "if"},
		{"transiton", "transition"},
		{"foo", ""},
		{"ab", ""},
		{"x", ""},
		{"type", ""},
		{"completelyDifferent", ""},
	}
	for _, tt := range tests {
		if got := Nearest(tt.name, words); got != tt.want {
			t.Errorf("Nearest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
	if got := Hint("tpye", words); got != ` (did you mean "type"?)` {
		t.Errorf("Hint = %q", got)
	}
	if got := Hint("zzz", words); got != "" {
		t.Errorf("Hint = %q, want none", got)
	}
}

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"a", "", 1}, {"kitten", "sitting", 3}, {"abc", "acb", 2}} {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
