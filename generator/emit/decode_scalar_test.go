package emit

import "testing"

func TestCountPhrase(t *testing.T) {
	tests := []struct {
		keyword string
		n       int64
		want    string
	}{
		{"minLength", 1, "must be at least 1 character long"},
		{"maxLength", 3, "must be at most 3 characters long"},
		{"minItems", 0, "must have at least 0 items"},
		{"maxItems", 1, "must have at most 1 item"},
		{"minProperties", 1, "must have at least 1 property"},
		{"maxProperties", 2, "must have at most 2 properties"},
	}
	for _, tt := range tests {
		if got := CountPhrase(tt.keyword, tt.n); got != tt.want {
			t.Errorf("countPhrase(%q, %d) = %q, want %q", tt.keyword, tt.n, got, tt.want)
		}
	}
}
