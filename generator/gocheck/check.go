package gocheck

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// typeError is an error the type checker found in a Go file.
type typeError struct {
	// file is the file's name; line and col locate the error; pos is
	// its offset in the file.
	file      string
	line, col int
	pos       token.Pos
	// msg is the checker's message, with the other declaration of a
	// redeclared name.
	msg string
}

// key identifies an error across two checks of the same user file.
func (e typeError) key() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.file, e.line, e.col, e.msg)
}

// pkg is the repository's root package, parsed.
type pkg struct {
	fset *token.FileSet
	// files are the package's files, the generated ones first (so that a
	// name declared twice is reported at the user's declaration), then
	// the in-package tests; xtest the external test package's.
	files, xtest []*ast.File
	// names maps each parsed file back to its name.
	names map[*ast.File]string
	// errs are the syntax errors.
	errs []typeError
}

// parsePkg parses the Go files of the root package among files (by name)
// that the current platform builds, tests included, as "go test" would.
func parsePkg(files map[string][]byte) *pkg {
	ctx := build.Default
	ctx.OpenFile = func(p string) (io.ReadCloser, error) {
		src, ok := files[filepath.Base(p)]
		if !ok {
			return nil, os.ErrNotExist
		}
		return io.NopCloser(bytes.NewReader(src)), nil
	}
	names := make([]string, 0, len(files))
	for n := range files {
		if ok, err := ctx.MatchFile(".", n); ok && err == nil {
			names = append(names, n)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		gi, gj := isGenerated(files[names[i]]), isGenerated(files[names[j]])
		if gi != gj {
			return gi
		}
		return names[i] < names[j]
	})
	p := &pkg{fset: token.NewFileSet(), names: map[*ast.File]string{}}
	pkgName := ""
	var parsed []*ast.File
	for _, n := range names {
		f, err := parser.ParseFile(p.fset, n, files[n], parser.SkipObjectResolution)
		if list, ok := err.(scanner.ErrorList); ok {
			for _, e := range list {
				p.errs = append(p.errs, typeError{file: n, line: e.Pos.Line, col: e.Pos.Column, msg: e.Msg})
			}
		}
		if f == nil || f.Name == nil {
			continue
		}
		p.names[f] = n
		parsed = append(parsed, f)
		if pkgName == "" && !strings.HasSuffix(n, "_test.go") {
			pkgName = f.Name.Name
		}
	}
	for _, f := range parsed {
		if strings.HasSuffix(p.names[f], "_test.go") && pkgName != "" && f.Name.Name == pkgName+"_test" {
			p.xtest = append(p.xtest, f)
		} else {
			p.files = append(p.files, f)
		}
	}
	return p
}

// imports returns the packages the files import, sorted.
func imports(files ...[]*ast.File) []string {
	set := map[string]bool{}
	for _, fs := range files {
		for _, f := range fs {
			for _, im := range f.Imports {
				if p, err := strconv.Unquote(im.Path.Value); err == nil && p != "C" && p != "unsafe" {
					set[p] = true
				}
			}
		}
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// exportData returns where the compiled export data of each package in
// paths is, and a problem that keeps some from being found (the go
// command missing, a module not downloaded), from one "go list -export"
// run in dir. The go command compiles what its build cache lacks.
func exportData(ctx context.Context, dir string, paths []string) (map[string]string, error) {
	out := map[string]string{}
	if len(paths) == 0 {
		return out, nil
	}
	args := append([]string{"list", "-e", "-export", "-f", "{{.ImportPath}}\t{{.Export}}"}, paths...)
	c := exec.CommandContext(ctx, "go", args...)
	c.Dir = dir
	var stderr bytes.Buffer
	c.Stderr = &stderr
	b, err := c.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return out, fmt.Errorf("go list: %v: %s", err, msg)
		}
		return out, fmt.Errorf("go list: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if p, e, ok := strings.Cut(sc.Text(), "\t"); ok && e != "" {
			out[p] = e
		}
	}
	return out, nil
}

// typeCheck type-checks the package (and its external tests, which may
// import it as module) with the export data of its imports, and returns
// every error, syntax errors included, in file order.
func typeCheck(p *pkg, module string, export map[string]string) []typeError {
	errs := append([]typeError(nil), p.errs...)
	report := func(err error) {
		te, ok := err.(types.Error)
		if !ok {
			return
		}
		at := te.Fset.Position(te.Pos)
		if strings.HasPrefix(te.Msg, "\t") && len(errs) > 0 {
			// The continuation of the previous error: where the other
			// declaration of a name is.
			last := &errs[len(errs)-1]
			last.msg += fmt.Sprintf(" (%s at %s:%d:%d)", strings.TrimSpace(te.Msg), filepath.Base(at.Filename), at.Line, at.Column)
			return
		}
		errs = append(errs, typeError{file: filepath.Base(at.Filename), line: at.Line, col: at.Column, pos: te.Pos, msg: te.Msg})
	}
	gc := importer.ForCompiler(p.fset, "gc", func(path string) (io.ReadCloser, error) {
		e, ok := export[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %q", path)
		}
		return os.Open(e)
	})
	conf := types.Config{Importer: gc, Error: report, FakeImportC: true}
	main, _ := conf.Check(module, p.fset, p.files, nil)
	if len(p.xtest) > 0 {
		conf.Importer = importerFunc(func(path string) (*types.Package, error) {
			if path == module && main != nil {
				return main, nil
			}
			return gc.Import(path)
		})
		conf.Check(module+"_test", p.fset, p.xtest, nil)
	}
	return errs
}

// importerFunc is a types.Importer.
type importerFunc func(path string) (*types.Package, error)

// Import imports the package at path.
func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
