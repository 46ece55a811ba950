package write

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
)

// Every temporary file and folder Write makes is named
// stagePrefix + <pid> + "-" + <random>, so that a later Write can tell the
// leftovers of a killed run (whose process is gone) from the files of a run
// that is still going, and remove them.

// tempPID is the process id in the names of the temporary files (a test
// sets another, to play a killed run).
var tempPID = os.Getpid()

// tempPattern is the pattern for os.CreateTemp and os.MkdirTemp.
func tempPattern() string {
	return stagePrefix + strconv.Itoa(tempPID) + "-"
}

// isLeftover reports whether name is a temporary file or folder of a
// direktiv-fn run that no longer runs.
func isLeftover(name string) bool {
	rest, ok := strings.CutPrefix(name, stagePrefix)
	if !ok {
		return false
	}
	p, _, ok := strings.Cut(rest, "-")
	if !ok {
		return false
	}
	pid, err := strconv.Atoi(p)
	if err != nil || pid <= 0 {
		return false
	}
	return !alive(pid)
}

// alive reports whether a process with the id runs. It errs on the side of
// "alive": a leftover that is kept costs a hidden file, one that is removed
// under a running direktiv-fn costs that run.
func alive(pid int) bool {
	if pid == os.Getpid() {
		return true
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false // Windows: no such process
	}
	defer p.Release()
	if runtime.GOOS == "windows" {
		return true
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

// removeLeftovers removes, from the folder dir, the temporary files and
// folders of direktiv-fn runs that were killed. It is best effort: what
// cannot be removed stays, hidden and ignored.
func removeLeftovers(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if isLeftover(e.Name()) {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

// removeAllLeftovers removes the leftovers of killed runs from every
// folder this Write writes into: dir (or, when dir is missing, its parent,
// where a new project is staged) and the existing folders of the changes.
func removeAllLeftovers(dir string, changes []Change) {
	if _, err := os.Stat(dir); err != nil {
		removeLeftovers(filepath.Dir(filepath.Clean(dir)))
		return
	}
	done := map[string]bool{}
	for _, c := range changes {
		for p := path.Dir(c.Path); !done[p]; p = path.Dir(p) {
			done[p] = true
			removeLeftovers(filepath.Join(dir, filepath.FromSlash(p)))
			if p == "." {
				break
			}
		}
	}
	if !done["."] {
		removeLeftovers(dir)
	}
}

// errStop ends a walk early.
var errStop = errors.New("stop")

// resumable reports whether the non-empty folder dir holds only part of
// what files would put there, as a "new" killed while moving the project
// into an empty folder leaves it: besides the leftovers of killed runs,
// only files among files, with the same content, in folders of theirs, and
// no manifest (which is moved last, so its presence means the project was
// complete and may have been changed since).
func resumable(dir string, files []File, last string) bool {
	want := make(map[string][]byte, len(files))
	folders := map[string]bool{}
	for _, f := range files {
		want[f.Path] = f.Content
		for p := path.Dir(f.Path); p != "."; p = path.Dir(p) {
			folders[p] = true
		}
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		if isLeftover(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if !folders[rel] {
				return errStop
			}
			return nil
		}
		content, ok := want[rel]
		if !ok || rel == last || !d.Type().IsRegular() {
			return errStop
		}
		b, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(b, content) {
			return errStop
		}
		return nil
	})
	return err == nil
}
