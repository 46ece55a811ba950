package write

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// stagePrefix starts the name of every temporary file and folder Write
// makes; the process id follows (see tempPattern).
const stagePrefix = ".direktiv-fn-tmp-"

// ErrManifestChanged is returned when Options.Manifest is set and the
// manifest on disk changed since the caller read it.
var ErrManifestChanged = errors.New("changed while this command ran (another direktiv-fn?): nothing was written; run it again")

// ManifestChanged returns ErrManifestChanged for the manifest at path.
func ManifestChanged(path string) error { return fmt.Errorf("%s %w", path, ErrManifestChanged) }

// beforeRename, when set (by tests), is called before each file or folder
// is renamed into place in the target, with the target's path.
var beforeRename func(target string)

// Write puts files into dir, deletes the files named in opts.Delete, and
// reports what it did to each. It does what Plan reports: on any error
// nothing in dir has changed, and every temporary file or folder it made,
// and every parent folder it created, is removed.
//
// The manifest (opts.Last) is renamed into place last, so that
// a run killed part-way leaves the old manifest, whose digests still
// describe the files not yet renamed, and no manifest in a new project. The
// temporary files and folders such a run leaves are removed by the next
// Write into the same folders.
func Write(dir string, files []File, opts Options) (*Report, error) {
	r, err := Plan(dir, files, opts)
	if err != nil {
		return nil, err
	}
	if err := checkManifest(dir, opts.Last, opts.Manifest); err != nil {
		return nil, err
	}
	removeAllLeftovers(dir, r.Changes)
	if r.Fresh {
		err = writeFresh(dir, r.Changes, opts.Last)
	} else {
		err = writeInPlace(dir, r.Changes, opts.Last, opts.Manifest)
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// writeFresh stages the whole project and moves it into place: by renaming
// the staging folder to dir when dir is missing, or by moving each top-level
// entry into dir when dir is an empty folder (which keeps dir itself, so that
// a shell whose working folder it is stays in it).
func writeFresh(dir string, changes []Change, last string) (err error) {
	dir = filepath.Clean(dir)
	_, statErr := os.Stat(dir)
	exists := statErr == nil

	var made []string // parent folders created here, outermost first
	stageParent := dir
	if !exists {
		stageParent = filepath.Dir(dir)
		made, err = mkdirs(stageParent)
		if err != nil {
			return fmt.Errorf("cannot create %s: %w", stageParent, unwrapPath(err))
		}
	}
	defer func() {
		if err != nil {
			removeMade(made)
		}
	}()

	stage, err := os.MkdirTemp(stageParent, tempPattern())
	if err != nil {
		return fmt.Errorf("cannot write into %s: %w", stageParent, unwrapPath(err))
	}
	defer func() {
		if err != nil {
			os.RemoveAll(stage)
		}
	}()
	for _, c := range changes {
		p := filepath.Join(stage, filepath.FromSlash(c.Path))
		if _, err := mkdirs(filepath.Dir(p)); err != nil {
			return fmt.Errorf("cannot write %s: %w", filepath.Join(dir, c.Path), unwrapPath(err))
		}
		if err := writeFile(p, c.New, c.mode); err != nil {
			return fmt.Errorf("cannot write %s: %w", filepath.Join(dir, c.Path), unwrapPath(err))
		}
	}

	if !exists {
		if err := os.Chmod(stage, dirPerm); err != nil {
			return err
		}
		if beforeRename != nil {
			beforeRename(dir)
		}
		if err := os.Rename(stage, dir); err != nil {
			return fmt.Errorf("cannot create %s: %w", dir, unwrapPath(err))
		}
		return nil
	}

	// dir exists and is empty: move the staged entries up, one by one, the
	// manifest last, so that a run killed in between leaves no manifest
	// (and "new" completes the project when run again).
	entries, err := os.ReadDir(stage)
	if err != nil {
		return err
	}
	sort.SliceStable(entries, func(i, j int) bool {
		return entries[i].Name() != last && entries[j].Name() == last
	})
	var moved []string
	for _, e := range entries {
		to := filepath.Join(dir, e.Name())
		if beforeRename != nil {
			beforeRename(to)
		}
		if err := os.Rename(filepath.Join(stage, e.Name()), to); err != nil {
			for _, m := range moved {
				os.RemoveAll(m)
			}
			return fmt.Errorf("cannot write %s: %w", to, unwrapPath(err))
		}
		moved = append(moved, to)
	}
	return os.Remove(stage)
}

// pending is a file written to a temporary name, waiting to be renamed.
type pending struct {
	change Change
	target string
	temp   string
	done   bool
}

// aside is a file to delete, moved to a temporary name next to it until
// every write has succeeded.
type aside struct {
	target string
	temp   string
}

// writeInPlace updates an existing project: every changed file is first
// written to a temporary name in its own folder, every file to delete is
// moved aside to a temporary name in its own folder, and only then are the
// written files renamed into place; the files moved aside are removed last,
// once nothing can fail any more. On a failure, every step is undone. The
// manifest is renamed last; when manifest is not nil, the manifest on disk
// is compared with it just before (or, when the manifest is not written,
// before the first rename).
func writeInPlace(dir string, changes []Change, last string, manifest []byte) (err error) {
	var made []string
	var todo []*pending
	var asides []aside
	defer func() {
		if err == nil {
			return
		}
		for i := len(todo) - 1; i >= 0; i-- {
			p := todo[i]
			if !p.done {
				os.Remove(p.temp)
				continue
			}
			// Already renamed: undo it.
			if p.change.Action == Created {
				os.Remove(p.target)
			} else if restoreErr := replaceFile(p.target, p.change.Old, p.change.mode); restoreErr != nil {
				err = errors.Join(err, fmt.Errorf("restoring %s: %w", p.target, restoreErr))
			} else {
				os.Chtimes(p.target, time.Time{}, p.change.modTime)
			}
		}
		for i := len(asides) - 1; i >= 0; i-- {
			// A rename keeps the file's content, mode and modification time.
			a := asides[i]
			if restoreErr := os.Rename(a.temp, a.target); restoreErr != nil {
				err = errors.Join(err, fmt.Errorf("restoring %s (its content is in %s): %w", a.target, a.temp, unwrapPath(restoreErr)))
			}
		}
		removeMade(made)
	}()

	for _, c := range changes {
		if !c.Action.Writes() {
			continue
		}
		target := filepath.Join(dir, filepath.FromSlash(c.Path))
		m, err := mkdirs(filepath.Dir(target))
		made = append(made, m...)
		if err != nil {
			return fmt.Errorf("cannot write %s: %w", target, unwrapPath(err))
		}
		temp, err := writeTemp(filepath.Dir(target), c.New, c.mode)
		if err != nil {
			return fmt.Errorf("cannot write %s: %w", target, unwrapPath(err))
		}
		todo = append(todo, &pending{change: c, target: target, temp: temp})
	}
	for _, c := range changes {
		if c.Action != Deleted {
			continue
		}
		target := filepath.Join(dir, filepath.FromSlash(c.Path))
		temp, err := moveAside(target)
		if err != nil {
			return fmt.Errorf("cannot delete %s: %w", target, unwrapPath(err))
		}
		asides = append(asides, aside{target: target, temp: temp})
	}
	// The manifest last: a run killed part-way leaves the old one, whose
	// digests describe the files not renamed yet, so that running it again
	// completes the update instead of taking them for hand edits.
	isManifest := func(p *pending) bool { return last != "" && p.change.Path == last }
	sort.SliceStable(todo, func(i, j int) bool { return !isManifest(todo[i]) && isManifest(todo[j]) })
	if len(todo) == 0 || !isManifest(todo[len(todo)-1]) {
		if err := checkManifest(dir, last, manifest); err != nil {
			return err
		}
	}
	for _, p := range todo {
		if beforeRename != nil {
			beforeRename(p.target)
		}
		if isManifest(p) {
			if err := checkManifest(dir, last, manifest); err != nil {
				return err
			}
		}
		if err := os.Rename(p.temp, p.target); err != nil {
			return fmt.Errorf("cannot write %s: %w", p.target, unwrapPath(err))
		}
		p.done = true
	}
	// Everything is in place. Removing a file moved aside can hardly fail
	// (its folder was just written to); if it does, the project is still
	// whole, and only a hidden temporary file is left behind.
	for _, a := range asides {
		os.Remove(a.temp)
	}
	return nil
}

// checkManifest returns ErrManifestChanged when want is not nil and the
// manifest in dir (at the slash-separated path last) does not have that
// content (or is gone).
func checkManifest(dir, last string, want []byte) error {
	if want == nil {
		return nil
	}
	got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(last)))
	if err != nil || !bytes.Equal(got, want) {
		return ManifestChanged(last)
	}
	return nil
}

// moveAside renames path to a new temporary name in its folder and returns
// that name.
func moveAside(path string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), tempPattern())
	if err != nil {
		return "", err
	}
	temp := f.Name()
	f.Close()
	if err := os.Rename(path, temp); err != nil {
		os.Remove(temp)
		return "", err
	}
	return temp, nil
}

// replaceFile atomically replaces path with content.
func replaceFile(path string, content []byte, perm fs.FileMode) error {
	temp, err := writeTemp(filepath.Dir(path), content, perm)
	if err != nil {
		return err
	}
	if err := os.Rename(temp, path); err != nil {
		os.Remove(temp)
		return err
	}
	return nil
}

// writeTemp writes content to a new temporary file in dir and returns its name.
func writeTemp(dir string, content []byte, perm fs.FileMode) (string, error) {
	f, err := os.CreateTemp(dir, tempPattern())
	if err != nil {
		return "", err
	}
	if err := fill(f, content, perm, true); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// writeFile creates path, which must not exist, with content. It is used
// only inside a staging folder for a new project, where nothing of the
// user's is at stake, so it does not flush to disk: scaffolding a project
// of twenty files costs about 5 ms less.
func writeFile(path string, content []byte, perm fs.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	return fill(f, content, perm, false)
}

// fill writes content to f, flushes it to disk when sync is set (before it
// is renamed over a file of the user's), sets its permissions and closes it.
func fill(f *os.File, content []byte, perm fs.FileMode, sync bool) error {
	_, err := f.Write(content)
	if err == nil && sync {
		err = f.Sync()
	}
	if err == nil {
		err = f.Chmod(perm)
	}
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	return err
}

// mkdirs creates dir and its missing parents with dirPerm and returns the
// folders it created, outermost first.
func mkdirs(dir string) ([]string, error) {
	var missing []string
	for p := filepath.Clean(dir); ; p = filepath.Dir(p) {
		info, err := os.Stat(p)
		if err == nil {
			if !info.IsDir() {
				return nil, &fs.PathError{Op: "mkdir", Path: p, Err: errors.New("a file is in the way")}
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		missing = append(missing, p)
		if filepath.Dir(p) == p {
			break
		}
	}
	var made []string
	for i := len(missing) - 1; i >= 0; i-- {
		if err := os.Mkdir(missing[i], dirPerm); err != nil {
			removeMade(made)
			return nil, err
		}
		made = append(made, missing[i])
		if err := os.Chmod(missing[i], dirPerm); err != nil {
			removeMade(made)
			return nil, err
		}
	}
	return made, nil
}

// removeMade removes folders created by mkdirs, innermost first. Only empty
// folders are removed.
func removeMade(made []string) {
	sorted := append([]string(nil), made...)
	sort.Slice(sorted, func(i, j int) bool { return len(sorted[i]) > len(sorted[j]) })
	for _, d := range sorted {
		os.Remove(d)
	}
}

// unwrapPath drops the operation and the (temporary) path of a
// *fs.PathError, whose path would name a staging file the user never sees.
// Messages around it name the real target.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && strings.Contains(pe.Path, stagePrefix) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
