package config

import "testing"

func TestGoName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"name", "Name"},
		{"file_name", "FileName"},
		{"dry-run", "DryRun"},
		{"userId", "UserID"},
		{"HTTPServer", "HTTPServer"},
		{"url", "URL"},
		{"2fa", "X2fa"},
		{"", "X"},
		{"$$", "X"},
		{"a.b.c", "ABC"},
		{"maxRetries", "MaxRetries"},
		{"ipv4Address", "Ipv4Address"},
		{"énergie", "XÉnergie"},
		{"STANDARD_IA", "StandardIa"},
		{"US_EAST_1", "UsEast1"},
		{"HTTP_PORT", "HTTPPort"},
		{"MAX", "Max"},
	}
	for _, tt := range tests {
		if got := GoName(tt.in); got != tt.want {
			t.Errorf("GoName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
