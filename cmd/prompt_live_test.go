package cmd

import (
	"testing"

	"github.com/AlecAivazis/survey/v2/terminal"
)

// TestEdit covers the keys the live input re-validates after: typing and
// erasing at the end of the line. Other keys are left to survey.
func TestEdit(t *testing.T) {
	tests := []struct {
		line string
		key  rune
		want string
		ok   bool
	}{
		{"my", '-', "my-", true},
		{"my-", terminal.KeyBackspace, "my", true},
		{"my-", terminal.KeyDelete, "my", true},
		{"", terminal.KeyDelete, "", true},
		{"é", 'ü', "éü", true},
		{"my", terminal.KeyEnter, "my", false},
		{"my", terminal.KeyArrowLeft, "my", false},
		{"my", terminal.KeyInterrupt, "my", false},
		{"ghcr.io/acme/fn", keyKillLine, "", true},
		{"", keyKillLine, "", true},
		{"ghcr.io/acme fn", keyEraseWord, "ghcr.io/acme ", true},
		{"ghcr.io/acme fn  ", keyEraseWord, "ghcr.io/acme ", true},
		{"word", keyEraseWord, "", true},
	}
	for _, tt := range tests {
		got, ok := edit(tt.key, []rune(tt.line))
		if string(got) != tt.want || ok != tt.ok {
			t.Errorf("edit(%q, %q) = %q, %v; want %q, %v", tt.key, tt.line, string(got), ok, tt.want, tt.ok)
		}
	}
}
