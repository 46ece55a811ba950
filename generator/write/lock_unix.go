//go:build unix

package write

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// tryLock takes an exclusive lock on f without waiting; false when another
// open file holds it.
func tryLock(f *os.File) (bool, error) {
	err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	if errors.Is(err, unix.EWOULDBLOCK) {
		return false, nil
	}
	return err == nil, err
}

// unlockFile releases the lock on f.
func unlockFile(f *os.File) { unix.Flock(int(f.Fd()), unix.LOCK_UN) }

// release removes the lock file, then releases the lock: whoever waits on
// the removed file sees that it is gone and locks a new one.
func release(f *os.File, name string) {
	os.Remove(name)
	unlockFile(f)
	f.Close()
}
