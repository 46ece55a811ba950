package write

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestLock: one holder at a time; a second Lock waits, then is refused
// with the holder's pid and how to proceed; unlocking removes the file.
func TestLock(t *testing.T) {
	dir := t.TempDir()
	unlock, err := Lock(context.Background(), dir, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, LockFile))
	if err != nil || string(b) != strconv.Itoa(os.Getpid())+"\n" {
		t.Fatalf("lock file: %q, %v", b, err)
	}
	// Another open file of the same process is another holder too.
	_, err = Lock(context.Background(), dir, 10*time.Millisecond)
	var locked *LockedError
	if !errors.As(err, &locked) || locked.PID != os.Getpid() {
		t.Fatalf("second Lock: %v", err)
	}
	want := "another direktiv-fn (process " + strconv.Itoa(os.Getpid()) + ") is changing " + dir + " (waited 10ms for it): wait for it to finish and run this again"
	if err.Error() != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
	// A cancelled wait ends at once.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Lock(ctx, dir, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Lock: %v", err)
	}
	unlock()
	if _, err := os.Stat(filepath.Join(dir, LockFile)); !os.IsNotExist(err) {
		t.Fatalf("unlock left the lock file: %v", err)
	}
}

// TestLockWaits: a Lock that finds the lock held gets it once the holder
// releases it, whether that happens before or while it waits.
func TestLockWaits(t *testing.T) {
	dir := t.TempDir()
	unlock, err := Lock(context.Background(), dir, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(20 * time.Millisecond)
		unlock()
	}()
	unlock2, err := Lock(context.Background(), dir, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	unlock2()
}

// TestLockLeftByKilledRun: the file of a holder that is gone (its pid
// written, its OS lock released with the process) is no obstacle, and the
// file then names the new holder.
func TestLockLeftByKilledRun(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, LockFile)
	// pid 2^22+1 is above Linux's limit: no such process.
	if err := os.WriteFile(name, []byte("4194305 and some more\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	unlock, err := Lock(context.Background(), dir, 0)
	if err != nil {
		t.Fatalf("a lock file without a holder is not taken over: %v", err)
	}
	if b, _ := os.ReadFile(name); string(b) != strconv.Itoa(os.Getpid())+"\n" {
		t.Errorf("lock file: %q", b)
	}
	unlock()
}

// TestLockExcludes: many holders taking and releasing the lock at once
// (each release removes the file, while others have it open) never hold it
// together.
func TestLockExcludes(t *testing.T) {
	dir := t.TempDir()
	var holders, most atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				unlock, err := Lock(context.Background(), dir, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				n := holders.Add(1)
				if n > most.Load() {
					most.Store(n)
				}
				time.Sleep(100 * time.Microsecond) // as if reading and writing
				holders.Add(-1)
				unlock()
			}
		})
	}
	wg.Wait()
	if n := most.Load(); n != 1 {
		t.Errorf("%d holders at once", n)
	}
}
