package cmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/gocheck"
	"github.com/direktiv-fn/direktiv-fn/generator/plan"
)

// snapshot is what a command reads of the repository, once: the files a
// plan needs, and the Go files of the root folder, which the type check
// needs.
type snapshot struct {
	// files are the files read, by path, through symbolic links.
	files plan.Existing
	// goFiles are the Go files of the root folder, by name.
	goFiles map[string][]byte
}

// readSnapshot reads the files at paths under dir and the Go files of its
// root folder. A missing file, or a path that is not a regular file, is
// left out: the writer reports a folder in the way. A missing dir is an
// empty snapshot.
func readSnapshot(dir string, paths []string) (*snapshot, error) {
	s := &snapshot{files: plan.Existing{}, goFiles: map[string][]byte{}}
	read := func(p string) ([]byte, bool, error) {
		name := filepath.Join(dir, filepath.FromSlash(p))
		// Stat follows a symbolic link: a file of the user's may be one.
		info, err := os.Stat(name)
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) || err == nil && !info.Mode().IsRegular() {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("cannot read %s: %w", name, err)
		}
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, false, fmt.Errorf("cannot read %s: %w", name, err)
		}
		return b, true, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
		return nil, fmt.Errorf("cannot read %s: %w", dir, err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		b, ok, err := read(e.Name())
		if err != nil {
			return nil, err
		}
		if ok {
			s.goFiles[e.Name()] = b
		}
	}
	for _, p := range paths {
		if b, ok := s.goFiles[p]; ok {
			s.files[p] = b
			continue
		}
		b, ok, err := read(p)
		if err != nil {
			return nil, err
		}
		if ok {
			s.files[p] = b
		}
	}
	return s, nil
}

// goBreaks type-checks the root package as the writer would leave it,
// from the snapshot: files written (a file of the user's only where it is
// missing), deletes removed. It returns the places of the user's Go code
// that would no longer compile.
func goBreaks(ctx context.Context, snap *snapshot, m gocheck.Change, files []config.File, deletes []string) (*gocheck.Result, error) {
	before := snap.goFiles
	after := maps.Clone(before)
	for _, f := range files {
		if strings.Contains(f.Path, "/") || !strings.HasSuffix(f.Path, ".go") {
			continue
		}
		if _, onDisk := before[f.Path]; onDisk && f.Policy == config.ScaffoldOnce {
			continue
		}
		after[f.Path] = f.Content
	}
	for _, d := range deletes {
		delete(after, d)
	}
	m.Before, m.After = before, after
	return gocheck.Breaks(ctx, m)
}

// goBreakError refuses a generation that would leave the user's code not
// compiling, naming each place. force says whether --force would write
// anyway.
func goBreakError(r *gocheck.Result, force bool) error {
	var b strings.Builder
	b.WriteString("your Go code would no longer compile with the generated files:\n")
	for _, br := range r.Breaks {
		fmt.Fprintf(&b, "  %s\n", br)
	}
	if r.Partial != "" {
		fmt.Fprintf(&b, "(some imports could not be loaded, so code that uses them was not checked: %s)\n", r.Partial)
	}
	b.WriteString(outputTypeHint(r.Breaks))
	b.WriteString("To proceed, change your code at those places (in parentheses: what changed in the generated code; a generated name comes from the schema's property names, titles and $defs, or from the error codes), or change the schema or the manifest back, then run the command again")
	if force {
		b.WriteString("; or run it with --force to write anyway, and fix your code afterwards")
	}
	b.WriteString(". Nothing was written.")
	return errors.New(b.String())
}
