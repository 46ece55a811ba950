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

	"github.com/direktiv-fn/direktiv-fn/generator"
	"github.com/direktiv-fn/direktiv-fn/generator/gocheck"
)

// rootGoFiles returns the Go files of the repository's root folder, by
// name, read through symbolic links. A name that is not a regular file is
// left out.
func rootGoFiles(dir string) (map[string][]byte, error) {
	out := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return out, nil // nothing there yet
	}
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		name := filepath.Join(dir, e.Name())
		info, err := os.Stat(name)
		if errors.Is(err, fs.ErrNotExist) || err == nil && !info.Mode().IsRegular() {
			continue
		}
		if err != nil {
			return nil, err
		}
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out[e.Name()] = b
	}
	return out, nil
}

// goBreaks type-checks the root package of dir as the writer would leave
// it: files written (a file of the user's only where it is missing),
// deletes removed. It returns the places of the user's Go code that would
// no longer compile.
func goBreaks(ctx context.Context, dir string, m gocheck.Change, files []generator.File, deletes []string) (*gocheck.Result, error) {
	before, err := rootGoFiles(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot read the Go files of %s: %w", dir, err)
	}
	after := maps.Clone(before)
	for _, f := range files {
		if strings.Contains(f.Path, "/") || !strings.HasSuffix(f.Path, ".go") {
			continue
		}
		if _, onDisk := before[f.Path]; onDisk && f.Policy == generator.ScaffoldOnce {
			continue
		}
		after[f.Path] = f.Content
	}
	for _, d := range deletes {
		delete(after, d)
	}
	m.Dir, m.Before, m.After = dir, before, after
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
	b.WriteString("To proceed, change your code at those places (in parentheses: what changed in the generated code; a generated name comes from the schema's property names, titles and $defs, or from the error codes), or change the schema or the manifest back, then run the command again")
	if force {
		b.WriteString("; or run it with --force to write anyway, and fix your code afterwards")
	}
	b.WriteString(". Nothing was written.")
	return errors.New(b.String())
}
