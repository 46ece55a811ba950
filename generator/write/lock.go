package write

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// LockFile is the name of the lock a command holds in a repository while it
// reads, plans and writes it.
const LockFile = ".direktiv-fn.lock"

// LockedError says that another direktiv-fn holds the repository's lock.
type LockedError struct {
	// Dir is the repository's folder; PID the process holding the lock (0
	// when it could not be read).
	Dir string
	PID int
	// Waited is how long Lock waited for it.
	Waited time.Duration
}

func (e *LockedError) Error() string {
	who := "another direktiv-fn"
	if e.PID > 0 {
		who = fmt.Sprintf("another direktiv-fn (process %d)", e.PID)
	}
	return fmt.Sprintf("%s is changing %s (waited %s for it): wait for it to finish and run this again", who, e.Dir, e.Waited)
}

// lockPoll is how often Lock tries again while another process holds the
// lock.
const lockPoll = 20 * time.Millisecond

// Lock takes the lock of the repository in dir, so that two commands never
// interleave their reads and writes (each would undo the other's work). The
// lock is an operating system lock (flock, LockFileEx) on the file LockFile:
// it is released when the holder exits, however it ends, so a killed run
// leaves nothing to clean up. While another process holds it, Lock tries
// again until wait has passed, then fails with a *LockedError naming the
// holder's process id. The returned function releases the lock and removes
// the file.
func Lock(ctx context.Context, dir string, wait time.Duration) (unlock func(), err error) {
	name := filepath.Join(dir, LockFile)
	start := time.Now()
	for {
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("cannot lock %s: %w", dir, unwrapPath(err))
		}
		held, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("cannot lock %s: %w", dir, err)
		}
		if held {
			// The holder before us may have removed the file after we
			// opened it: a lock on a file that is no longer at name
			// excludes nobody. Try again with the file that is there.
			if same, err := isAt(f, name); err != nil || !same {
				unlockFile(f)
				f.Close()
				if err != nil {
					return nil, fmt.Errorf("cannot lock %s: %w", dir, err)
				}
				continue
			}
			if err := writePID(f); err != nil {
				unlockFile(f)
				f.Close()
				return nil, fmt.Errorf("cannot lock %s: %w", dir, err)
			}
			return func() { release(f, name) }, nil
		}
		f.Close()
		waited := time.Since(start)
		if waited >= wait {
			return nil, &LockedError{Dir: dir, PID: readPID(name), Waited: wait}
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(min(lockPoll, wait-waited)):
		}
	}
}

// isAt reports whether the open file f is the file at name.
func isAt(f *os.File, name string) (bool, error) {
	open, err := f.Stat()
	if err != nil {
		return false, err
	}
	there, err := os.Stat(name)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return os.SameFile(open, there), nil
}

// writePID records the holder's process id in the lock file, for the
// message of a run that finds it held.
func writePID(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return err
}

// readPID returns the process id recorded in the lock file at name; 0 when
// there is none.
func readPID(name string) int {
	b, err := os.ReadFile(name)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}
