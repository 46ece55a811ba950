package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// switchModeIn edits the manifest of the project in dir to the mode to, as
// a user does.
func switchModeIn(t *testing.T, dir, from, to string) {
	t.Helper()
	name := filepath.Join(dir, "direktiv-fn.yaml")
	b := read(t, name)
	if !strings.Contains(b, "mode: "+from+"\n") {
		t.Fatalf("the manifest lacks mode: %s", from)
	}
	if err := os.WriteFile(name, []byte(strings.Replace(b, "mode: "+from+"\n", "mode: "+to+"\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// exists reports whether the file name exists.
func exists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// TestGenerateModeChangeDeletesOldGlue: after the manifest's mode changes,
// generate deletes the old mode's generated files, which would otherwise
// give package main two main functions.
func TestGenerateModeChangeDeletesOldGlue(t *testing.T) {
	dir := newProject(t)
	switchModeIn(t, dir, "knative-workflow", "isolated")

	r := run{args: []string{"generate", "--check", "--dir", "fn"}}.exec(t)
	if r.code != ExitFailure {
		t.Fatalf("--check: exit %d, want %d\n%s", r.code, ExitFailure, r.stderr)
	}
	wantContains(t, "--check stderr", r.stderr, "isolated.gen.go, isolated.gen_test.go, server.gen.go, server.gen_test.go, workflow.yaml)")

	r = run{args: []string{"generate", "--dry-run", "--dir", "fn"}}.exec(t)
	wantContains(t, "--dry-run", r.stdout, "delete     server.gen.go (no longer generated)\n", "delete     server.gen_test.go (no longer generated)\n")

	r = run{args: []string{"generate", "--diff", "--dir", "fn"}}.exec(t)
	wantContains(t, "--diff", r.stdout, "--- a/fn/server.gen.go\n+++ /dev/null\n@@ -1,")

	r = run{args: []string{"generate", "--dir", "fn"}}.exec(t)
	if r.code != 0 {
		t.Fatalf("generate: exit %d\n%s", r.code, r.stderr)
	}
	wantContains(t, "stdout", r.stdout,
		"  deleted  server.gen.go (no longer generated)\n",
		"  deleted  server.gen_test.go (no longer generated)\n",
		"  created  isolated.gen.go\n",
		", 4 deleted, ")
	for _, p := range []string{"server.gen.go", "server.gen_test.go"} {
		if exists(filepath.Join(dir, p)) {
			t.Errorf("%s is still there", p)
		}
	}
	if got := read(t, filepath.Join(dir, "direktiv-fn.yaml")); strings.Contains(got, "server.gen") {
		t.Errorf("the manifest still records the old glue:\n%s", got)
	}
	r = run{args: []string{"generate", "--check", "--dir", "fn"}}.exec(t)
	if r.code != 0 {
		t.Errorf("--check after generate: exit %d\n%s", r.code, r.stderr)
	}
}

// TestGenerateKeepsHandEditedStaleFile: a stale generated file edited by
// hand is kept and reported at every run, with the way out, until it is
// deleted by hand or with --force.
func TestGenerateKeepsHandEditedStaleFile(t *testing.T) {
	dir := newProject(t)
	server := filepath.Join(dir, "server.gen.go")
	if err := os.WriteFile(server, []byte(read(t, server)+"// mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	switchModeIn(t, dir, "knative-workflow", "isolated")
	const kept = "  kept     server.gen.go (no longer generated, but edited by hand: delete it, or run again with --force to delete it)\n"

	r := run{args: []string{"generate", "--dir", "fn"}}.exec(t)
	if r.code != 0 {
		t.Fatalf("generate: exit %d\n%s", r.code, r.stderr)
	}
	wantContains(t, "stdout", r.stdout, "  deleted  server.gen_test.go (no longer generated)\n", kept)
	if !exists(server) || !strings.HasSuffix(read(t, server), "// mine\n") {
		t.Fatal("the hand-edited stale file is gone or changed")
	}

	before := state(t, dir)
	r = run{args: []string{"generate", "--dir", "fn"}}.exec(t)
	want := kept + "fn is up to date (function \"fn\", isolated): nothing was written.\n"
	if r.code != 0 || r.stdout != want {
		t.Errorf("again: exit %d\nstdout:\n%s\nwant:\n%s%s", r.code, r.stdout, want, r.stderr)
	}
	r = run{args: []string{"generate", "--dry-run", "--dir", "fn"}}.exec(t)
	wantContains(t, "--dry-run", r.stdout, "keep       server.gen.go (no longer generated, but edited by hand: ")
	r = run{args: []string{"generate", "--diff", "--dir", "fn"}}.exec(t)
	if want := "# server.gen.go is no longer generated, but was edited by hand: generate keeps it; --force deletes it\n"; r.stdout != want {
		t.Errorf("--diff:\n%s\nwant:\n%s", r.stdout, want)
	}
	// generate would not change anything: --check passes.
	r = run{args: []string{"generate", "--check", "--dir", "fn"}}.exec(t)
	if r.code != 0 {
		t.Errorf("--check: exit %d\n%s", r.code, r.stderr)
	}
	sameState(t, before, state(t, dir))

	r = run{args: []string{"generate", "--force", "--dry-run", "--dir", "fn"}}.exec(t)
	wantContains(t, "--force --dry-run", r.stdout, "delete     server.gen.go (no longer generated, edited by hand; --force deletes it)\n")
	r = run{args: []string{"generate", "--force", "--dir", "fn"}}.exec(t)
	if r.code != 0 {
		t.Fatalf("--force: exit %d\n%s", r.code, r.stderr)
	}
	wantContains(t, "--force stdout", r.stdout, "  deleted  server.gen.go (no longer generated; its hand edit discarded: --force)\n")
	if exists(server) {
		t.Error("--force left the stale file")
	}
	if got := read(t, filepath.Join(dir, "direktiv-fn.yaml")); strings.Contains(got, "server.gen") {
		t.Errorf("the manifest still records server.gen.go:\n%s", got)
	}
}

// TestNewForceOverAnotherMode: "new --force" in another mode over an
// existing function deletes the old mode's unmodified generated files and
// keeps (and reports) those edited by hand.
func TestNewForceOverAnotherMode(t *testing.T) {
	root := inTempDir(t)
	if res := (run{args: []string{"new", "hello", "--no-input"}}).exec(t); res.code != 0 {
		t.Fatalf("new: exit %d: %s", res.code, res.stderr)
	}
	dir := filepath.Join(root, "hello")
	serverTest := filepath.Join(dir, "server.gen_test.go")
	if err := os.WriteFile(serverTest, []byte(read(t, serverTest)+"// mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := run{args: []string{"new", "hello", "--force", "--mode", "isolated", "--no-input"}}.exec(t)
	if res.code != 0 {
		t.Fatalf("new --force: exit %d: %s", res.code, res.stderr)
	}
	wantContains(t, "stdout", res.stdout,
		", 3 deleted, ",
		"  deleted  server.gen.go (no longer generated)\n",
		`  kept     server.gen_test.go (no longer generated, but edited by hand: delete it, or run "direktiv-fn generate --force" to delete it)`)
	if exists(filepath.Join(dir, "server.gen.go")) || !exists(filepath.Join(dir, "isolated.gen.go")) || !exists(serverTest) {
		t.Fatal("want server.gen.go deleted, isolated.gen.go created, the edited server.gen_test.go kept")
	}

	// The new manifest keeps the kept file's record: generate reports it,
	// and --force deletes it.
	res = run{args: []string{"generate", "--dir", "hello"}}.exec(t)
	wantContains(t, "generate", res.stdout, "  kept     server.gen_test.go (no longer generated, but edited by hand:")
	res = run{args: []string{"generate", "--force", "--dir", "hello"}}.exec(t)
	if res.code != 0 || exists(serverTest) {
		t.Errorf("generate --force: exit %d, server.gen_test.go still there: %v\n%s", res.code, exists(serverTest), res.stderr)
	}
}
