package cmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestIsolatedFullDisk runs an isolated function on a 256 KiB tmpfs that
// an action file fills by 100 KiB, with a handler that logs a 200 KiB line:
// the log fills the disk, and still the result and done are written, and
// out.log ends with a line saying why it is cut. It needs root, to mount
// the tmpfs (CI runs as root).
func TestIsolatedFullDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a golden project")
	}
	data := t.TempDir()
	if err := syscall.Mount("tmpfs", data, "tmpfs", 0, "size=256k"); err != nil {
		if errors.Is(err, syscall.EPERM) {
			t.Skipf("mounting a 256k tmpfs needs root (CAP_SYS_ADMIN): %v", err)
		}
		t.Fatalf("mount tmpfs: %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(data, 0); err != nil {
			t.Errorf("unmount %s: %v", data, err)
		}
	})
	p := prepareInvoke(t, filepath.Join(goldenDir, "isolated-rich", "want"), testHandlerFor(t, filepath.Join(goldenDir, "isolated-rich", "want"), "ErrInvalidInput"))
	input := `{"name": "nightly-backup", "files": [{"path": "a.txt"}]}`
	if err := os.WriteFile(filepath.Join(data, "input.json"), []byte(input), 0o644); err != nil {
		t.Fatal(err)
	}
	// An action file takes 100 KiB of the disk: what is left cannot hold
	// the 200 KiB line.
	if err := os.MkdirAll(filepath.Join(data, "vars", "out", "instance"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "vars", "given.bin"), bytes.Repeat([]byte{1}, 100<<10), 0o644); err != nil {
		t.Fatal(err)
	}
	run := exec.Command(p.binary)
	run.Env = append(os.Environ(), "DIREKTIV_DATA_DIR="+data, "DIREKTIV_FN_DONE_WINDOW=0", "TEST_BEHAVIOUR=biglog")
	var stderr bytes.Buffer
	run.Stderr = &stderr
	if err := run.Run(); err != nil {
		t.Fatalf("the function failed: %v\n%s", err, tail(stderr.String(), 2000))
	}
	if !strings.Contains(stderr.String(), "no space left on device") {
		t.Errorf("stderr %q: want the failed log write", tail(stderr.String(), 2000))
	}
	if _, err := os.Stat(filepath.Join(data, "done")); err != nil {
		t.Errorf("no done: %v", err)
	}
	out, err := os.ReadFile(filepath.Join(data, "output.json"))
	if err != nil {
		t.Fatalf("no output.json: %v", err)
	}
	var got struct {
		Input struct{ Name string }
	}
	if err := json.Unmarshal(out, &got); err != nil || got.Input.Name != "nightly-backup" {
		t.Errorf("output.json = %s (%v), want the echoed input", out, err)
	}
	log, err := os.ReadFile(filepath.Join(data, "out.log"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(log), "\n"), "\n")
	if want := "[archive: the log is cut here: no space left on device]"; len(lines) != 3 || lines[0] != "behaviour biglog" || lines[2] != want || strings.Trim(lines[1], "x") != "" {
		t.Errorf("out.log has %d lines, the last %q; want the first line, part of the big one, and %q", len(lines), lines[len(lines)-1], want)
	}
	if _, err := os.Stat(filepath.Join(data, ".direktiv-fn-reserve")); err == nil {
		t.Error("the reserve file is left behind")
	}
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}
