package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestNewcomerPath follows the README as a new user would: its first command
// (the quick start, run with "go run" from this repository), then the next
// steps that command printed, in order, up to the local invoke (the rest
// needs a Docker engine; the Dockerfile is checked by its own test), and
// "go generate" in the new function. GOBIN is a fresh folder on PATH, as
// after installing Go, so nothing installed earlier is used.
func TestNewcomerPath(t *testing.T) {
	if testing.Short() {
		t.Skip("builds direktiv-fn and the function: not in -short")
	}
	if runtime.GOOS == "windows" {
		t.Skip("the README's commands are POSIX shell")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(readme), "```sh\n")
	if !ok {
		t.Fatal("README.md has no sh block")
	}
	quickStart, _, _ := strings.Cut(block, "\n")
	if !strings.Contains(quickStart, " new ") {
		t.Fatalf("the README's first command is not the quick start: %q", quickStart)
	}

	gobin := t.TempDir()
	tmp := t.TempDir()
	env := append(os.Environ(), "GOBIN="+gobin, "PATH="+gobin+string(os.PathListSeparator)+os.Getenv("PATH"), "TMPDIR="+tmp)
	shell := func(dir, script string) string {
		t.Helper()
		c := exec.Command("bash", "-e", "-c", script)
		c.Dir = dir
		c.Env = env
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("in %s:\n%s\n%v\n%s", dir, script, err, out)
		}
		return string(out)
	}

	out := shell(root, quickStart)
	_, steps, ok := strings.Cut(out, "Next steps:\n")
	if !ok {
		t.Fatalf("the quick start printed no next steps:\n%s", out)
	}
	var script []string
	for line := range strings.Lines(steps) {
		script = append(script, strings.TrimSpace(line))
		if strings.Contains(line, " invoke ") {
			break
		}
	}
	if last := script[len(script)-1]; !strings.Contains(last, " invoke ") {
		t.Fatalf("the next steps never invoke the function:\n%s", steps)
	}
	if !strings.HasPrefix(script[0], "go -C ") || !strings.Contains(script[0], " install .") {
		t.Errorf("the next steps of a \"go run\" start with %q, want the install of direktiv-fn", script[0])
	}
	script = append(script, "go generate ./...", "git init -q . 2>/dev/null || true", "direktiv-fn generate --check")
	got := shell(root, strings.Join(script, "\n"))
	for _, want := range []string{"ok  \t", ".return"} {
		if !strings.Contains(got, want) {
			t.Errorf("the next steps' output lacks %q:\n%s", want, got)
		}
	}
	if _, err := os.Stat(filepath.Join(gobin, "direktiv-fn")); err != nil {
		t.Errorf("direktiv-fn was not installed into GOBIN: %v", err)
	}
}
