//go:build !linux

package sidecar

import (
	"os"
	"path/filepath"
	"time"
)

// createPoll is how often watchCreates looks at the file without inotify.
const createPoll = 5 * time.Millisecond

// watchCreates calls onCreate each time dir/name is created, as Direktiv
// v0.6.0's sidecar sees it through inotify on Linux. Without inotify it
// polls: a creation is the file appearing, or appearing as another file
// (another inode, or another modification time) than at the last look, so
// a creation and a removal between two looks are not seen. stop looks a
// last time, then stops: onCreate is not called after it returns.
func watchCreates(dir, name string, onCreate func()) (stop func(), err error) {
	path := filepath.Join(dir, name)
	last, _ := os.Stat(path)
	look := func() {
		fi, err := os.Stat(path)
		if err != nil {
			last = nil
			return
		}
		if last == nil || !os.SameFile(last, fi) || !last.ModTime().Equal(fi.ModTime()) {
			onCreate()
		}
		last = fi
	}
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(createPoll)
		defer t.Stop()
		for {
			select {
			case <-quit:
				look()
				return
			case <-t.C:
				look()
			}
		}
	}()
	return func() {
		close(quit)
		<-done
	}, nil
}
