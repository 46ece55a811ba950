package write

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
)

// The permissions of everything Write creates. They are set explicitly, so
// the result does not depend on the umask.
const (
	filePerm fs.FileMode = 0o644
	dirPerm  fs.FileMode = 0o755
)

// Plan returns what Write would do with files, and with the files to delete
// in opts.Delete, in dir. It reads the target folder but writes nothing.
// Every problem that can be found without writing (an invalid or duplicate
// path, a folder where a file goes, a file where a folder goes, a read-only
// file that would change or be deleted) is reported, joined into one error.
func Plan(dir string, files []File, opts Options) (*Report, error) {
	if dir == "" {
		return nil, errors.New("no target folder given")
	}
	sorted, deletes, err := checkFiles(files, opts.Delete)
	if err != nil {
		return nil, err
	}
	occupied, err := Occupied(dir)
	if err != nil {
		return nil, err
	}
	if occupied && opts.EmptyOnly && !resumable(dir, sorted, opts.Last) {
		// What a "new" killed while moving the project into an empty
		// folder left is completed, not refused.
		return nil, &NotEmptyError{Dir: dir}
	}
	r := &Report{Dir: dir, Fresh: !occupied, Changes: make([]Change, 0, len(sorted))}
	if !occupied {
		// Nothing to delete in an empty folder.
		for _, f := range sorted {
			r.Changes = append(r.Changes, Change{Path: f.Path, Keep: f.Keep, Action: Created, New: f.Content, mode: filePerm})
		}
		return r, nil
	}
	var errs []error
	for _, f := range sorted {
		c, err := planFile(dir, f, opts)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		r.Changes = append(r.Changes, c)
	}
	for _, p := range deletes {
		c, ok, err := planDelete(dir, p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ok {
			r.Changes = append(r.Changes, c)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.SliceStable(r.Changes, func(i, j int) bool { return r.Changes[i].Path < r.Changes[j].Path })
	return r, nil
}

// Occupied reports whether dir exists and is not empty. The leftovers of a
// killed direktiv-fn (hidden temporary files and folders whose process is
// gone) do not count: the next Write removes them. It fails when dir exists
// and is not a folder, or cannot be read.
func Occupied(dir string) (bool, error) {
	info, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if errors.Is(err, syscall.ENOTDIR) {
		for p := filepath.Dir(filepath.Clean(dir)); p != filepath.Dir(p); p = filepath.Dir(p) {
			if info, err := os.Stat(p); err == nil && !info.IsDir() {
				return false, fmt.Errorf("cannot use %s: %s is a file, not a folder", dir, p)
			}
		}
	}
	if err != nil {
		return false, err
	}
	if !info.IsDir() {
		return false, fmt.Errorf("%s exists and is not a folder: name a folder that is missing or empty", dir)
	}
	d, err := os.Open(dir)
	if err != nil {
		return false, err
	}
	defer d.Close()
	for {
		names, err := d.Readdirnames(64)
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		for _, n := range names {
			if !isLeftover(n) {
				return true, nil
			}
		}
	}
}

// checkFiles refuses invalid and colliding paths, among the files and the
// files to delete, and returns both sorted by path.
func checkFiles(files []File, deletes []string) ([]File, []string, error) {
	sorted := append([]File(nil), files...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	sortedDeletes := append([]string(nil), deletes...)
	sort.Strings(sortedDeletes)
	isFile := make(map[string]bool, len(sorted))
	var errs []error
	valid := func(p string) bool { return fs.ValidPath(p) && p != "." && !strings.Contains(p, `\`) }
	for _, f := range sorted {
		switch {
		case !valid(f.Path):
			errs = append(errs, fmt.Errorf("internal error: invalid output path %q", f.Path))
		case isFile[f.Path]:
			errs = append(errs, fmt.Errorf("internal error: output path %q appears twice", f.Path))
		}
		isFile[f.Path] = true
	}
	isDelete := make(map[string]bool, len(sortedDeletes))
	for _, p := range sortedDeletes {
		switch {
		case !valid(p):
			errs = append(errs, fmt.Errorf("internal error: invalid path to delete %q", p))
		case isFile[p]:
			errs = append(errs, fmt.Errorf("internal error: path %q is both written and deleted", p))
		case isDelete[p]:
			errs = append(errs, fmt.Errorf("internal error: path to delete %q appears twice", p))
		}
		isDelete[p] = true
	}
	for _, f := range sorted {
		for p := path.Dir(f.Path); p != "."; p = path.Dir(p) {
			switch {
			case isFile[p]:
				errs = append(errs, fmt.Errorf("internal error: output path %q is also the folder of %q", p, f.Path))
			case isDelete[p]:
				errs = append(errs, fmt.Errorf("internal error: path to delete %q is the folder of output path %q", p, f.Path))
			}
		}
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	return sorted, sortedDeletes, nil
}

// planDelete decides the fate of a file to delete in an existing folder. It
// reports false when the file does not exist: there is nothing to do.
func planDelete(dir, p string) (Change, bool, error) {
	c := Change{Path: p, Action: Deleted}
	target := filepath.Join(dir, filepath.FromSlash(p))
	info, err := os.Lstat(target)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("cannot delete %s: %w", target, err)
	}
	if !info.Mode().IsRegular() {
		return c, false, fmt.Errorf("cannot delete %s: it is not a regular file (%s)", target, info.Mode().Type())
	}
	if info.Mode().Perm()&0o200 == 0 {
		// As for an update: the user made it read-only, so ask first.
		return c, false, fmt.Errorf("cannot delete %s: it is read-only (chmod u+w %s to let direktiv-fn delete it)", target, target)
	}
	old, err := os.ReadFile(target)
	if err != nil {
		return c, false, fmt.Errorf("cannot delete %s: %w", target, err)
	}
	c.Old, c.mode, c.modTime = old, info.Mode().Perm(), info.ModTime()
	return c, true, nil
}

// planFile decides the fate of one file in an existing, non-empty folder.
func planFile(dir string, f File, opts Options) (Change, error) {
	c := Change{Path: f.Path, Keep: f.Keep, Action: Created, New: f.Content, mode: filePerm}
	target := filepath.Join(dir, filepath.FromSlash(f.Path))
	// Every parent inside dir must be a folder or missing.
	var parents []string
	for p := path.Dir(f.Path); p != "."; p = path.Dir(p) {
		parents = append(parents, p)
	}
	for i := len(parents) - 1; i >= 0; i-- {
		p := filepath.Join(dir, filepath.FromSlash(parents[i]))
		info, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return c, nil
		}
		if err != nil {
			return c, fmt.Errorf("cannot write %s: %w", target, err)
		}
		if !info.IsDir() {
			return c, fmt.Errorf("cannot write %s: %s is a file, not a folder", target, p)
		}
	}
	info, err := os.Lstat(target)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("cannot write %s: %w", target, err)
	}
	if info.IsDir() {
		return c, fmt.Errorf("cannot write %s: a folder is in the way", target)
	}
	if info.Mode().Type() == fs.ModeSymlink {
		return planLink(c, target, f)
	}
	if !info.Mode().IsRegular() {
		return c, fmt.Errorf("cannot write %s: it exists and is not a regular file (%s)", target, info.Mode().Type())
	}
	old, err := os.ReadFile(target)
	if err != nil {
		return c, fmt.Errorf("cannot write %s: %w", target, err)
	}
	c.Old = old
	c.mode = info.Mode().Perm()
	c.modTime = info.ModTime()
	switch {
	case bytes.Equal(old, f.Content):
		c.Action = Unchanged
	case f.Keep && !opts.Force:
		c.Action = Kept
	case info.Mode().Perm()&0o200 == 0:
		// Renaming over it would work, but the user made it read-only:
		// respect that rather than replace it behind their back.
		return c, fmt.Errorf("cannot write %s: it is read-only (chmod u+w %s to let direktiv-fn rewrite it)", target, target)
	default:
		c.Action = Updated
	}
	return c, nil
}

// planLink decides about a target that is a symbolic link. A file of the
// user's (the schema shared with another repository, say) may be one: it is
// read through the link and never written. A generated file is never
// written through a link, nor is the link replaced.
func planLink(c Change, target string, f File) (Change, error) {
	dest, _ := os.Readlink(target)
	info, err := os.Stat(target)
	if err != nil || !info.Mode().IsRegular() {
		return c, fmt.Errorf("cannot write %s: it is a symbolic link to %s, which is not a regular file", target, dest)
	}
	if !f.Keep {
		return c, fmt.Errorf("cannot write %s: it is a symbolic link (to %s), and direktiv-fn does not write generated files through links: replace the link with a copy of the file", target, dest)
	}
	old, err := os.ReadFile(target)
	if err != nil {
		return c, fmt.Errorf("cannot read %s: %w", target, err)
	}
	c.Old = old
	c.Action = Kept
	if bytes.Equal(old, f.Content) {
		c.Action = Unchanged
	}
	return c, nil
}
