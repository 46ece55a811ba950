//go:build !unix && !windows

package write

import (
	"errors"
	"os"
	"runtime"
)

// tryLock fails: this system has no file locks that Lock knows of.
func tryLock(*os.File) (bool, error) {
	return false, errors.New("file locks are not supported on " + runtime.GOOS)
}

// unlockFile does nothing.
func unlockFile(*os.File) {}

// release closes f and removes the lock file.
func release(f *os.File, name string) {
	f.Close()
	os.Remove(name)
}
