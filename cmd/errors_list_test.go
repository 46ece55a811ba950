package cmd

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestErrorsJSON: "errors --json" lists the built-in codes, then the user's,
// as one JSON array a script can read.
func TestErrorsJSON(t *testing.T) {
	dir := newProject(t)
	if r := (run{args: []string{"add-error", "quotaExceeded", "--dir", dir, "--description", "The quota is used up."}}).exec(t); r.code != 0 {
		t.Fatalf("add-error: exit %d\n%s", r.code, r.stderr)
	}
	r := run{args: []string{"errors", "--json", "--dir", dir}}.exec(t)
	if r.code != 0 {
		t.Fatalf("errors --json: exit %d\n%s", r.code, r.stderr)
	}
	var got []listedError
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("errors --json printed no JSON array: %v\n%s", err, r.stdout)
	}
	want := []listedError{
		{Code: "fn.invalidInput", Name: "invalidInput", Constant: "ErrInvalidInput", BuiltIn: true},
		{Code: "fn.failed", Name: "failed", Constant: "ErrFailed", BuiltIn: true},
		{Code: "fn.panic", Name: "panic", Constant: "ErrPanic", BuiltIn: true},
		{Code: "fn.quotaExceeded", Name: "quotaExceeded", Constant: "ErrQuotaExceeded", Description: "The quota is used up."},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d codes, want %d:\n%s", len(got), len(want), r.stdout)
	}
	for i := range want {
		g := got[i]
		if want[i].Description == "" {
			g.Description = "" // the built-in descriptions are the generator's to word
		}
		if g != want[i] {
			t.Errorf("code %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestDirFromEnvironment: DIREKTIV_FN_DIR names the repository for every
// command that takes --dir, and --dir beats it.
func TestDirFromEnvironment(t *testing.T) {
	dir := newProject(t)
	t.Chdir(t.TempDir()) // no manifest here or above
	for _, args := range [][]string{
		{"errors"},
		{"generate", "--check"},
		{"add-error", "viaEnv", "--dry-run"},
		{"lint"},
	} {
		r := run{args: args, env: map[string]string{envDir: dir}}.exec(t)
		if r.code != 0 {
			t.Errorf("%s with %s=%s: exit %d\n%s%s", strings.Join(args, " "), envDir, dir, r.code, r.stdout, r.stderr)
		}
	}
	r := run{args: []string{"errors", "--dir", "nowhere"}, env: map[string]string{envDir: dir}}.exec(t)
	if r.code == 0 || !strings.Contains(r.stderr, "nowhere") {
		t.Errorf("--dir nowhere beside %s: exit %d, want a failure naming nowhere\n%s", envDir, r.code, r.stderr)
	}
}
