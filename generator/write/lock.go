package write

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// LockFile is the name of the lock a command holds in a repository while it
// reads, plans and writes it.
const LockFile = ".direktiv-fn.lock"

// LockedError says that another direktiv-fn holds the repository's lock.
type LockedError struct {
	// Dir is the repository's folder; PID the process holding the lock.
	Dir string
	PID int
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("another direktiv-fn (process %d) is changing %s: wait for it to finish and run this again (if no such process runs, delete %s)",
		e.PID, e.Dir, filepath.Join(e.Dir, LockFile))
}

// Lock takes the lock of the repository in dir, so that two commands never
// interleave their reads and writes (each would undo the other's work). A
// lock left by a process that is gone is taken over. The returned function
// releases the lock.
func Lock(dir string) (unlock func(), err error) {
	name := filepath.Join(dir, LockFile)
	for range 2 {
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, err = fmt.Fprintf(f, "%d\n", os.Getpid())
			if closeErr := f.Close(); err == nil {
				err = closeErr
			}
			if err != nil {
				os.Remove(name)
				return nil, fmt.Errorf("cannot lock %s: %w", dir, err)
			}
			return func() { os.Remove(name) }, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("cannot lock %s: %w", dir, unwrapPath(err))
		}
		b, _ := os.ReadFile(name)
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 && alive(pid) {
			return nil, &LockedError{Dir: dir, PID: pid}
		}
		// Left by a run that was killed: take it over.
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("cannot lock %s: %w", dir, unwrapPath(err))
		}
	}
	return nil, fmt.Errorf("cannot lock %s: %s keeps coming back", dir, name)
}
