package write

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLock: one holder at a time, a lock of a live process refuses with
// its pid and how to proceed, a lock of a dead process is taken over, and
// unlocking removes the file.
func TestLock(t *testing.T) {
	dir := t.TempDir()
	unlock, err := Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Our own pid counts as alive: a second Lock is refused.
	_, err = Lock(dir)
	var locked *LockedError
	if !errors.As(err, &locked) || locked.PID != os.Getpid() || !strings.Contains(err.Error(), "wait for it to finish") {
		t.Fatalf("second Lock: %v", err)
	}
	unlock()
	if _, err := os.Stat(filepath.Join(dir, LockFile)); !os.IsNotExist(err) {
		t.Fatalf("unlock left the lock file: %v", err)
	}
	// A lock left by a process that is gone (pid 2^22 is above Linux's limit).
	if err := os.WriteFile(filepath.Join(dir, LockFile), []byte("4194305\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	unlock, err = Lock(dir)
	if err != nil {
		t.Fatalf("a stale lock is not taken over: %v", err)
	}
	unlock()
}
