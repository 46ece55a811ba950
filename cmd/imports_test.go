package cmd

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/direktiv-fn/direktiv-fn"

// packageImports returns, for every package folder of the module, the
// import paths of all its files (tests included), parsed with ImportsOnly.
func packageImports(t *testing.T) map[string][]string {
	t.Helper()
	root := ".."
	imports := map[string]map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "golden") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		pkg := path.Join(module, filepath.ToSlash(rel))
		if imports[pkg] == nil {
			imports[pkg] = map[string]bool{}
		}
		for _, imp := range f.Imports {
			ip, _ := strconv.Unquote(imp.Path.Value)
			imports[pkg][ip] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for pkg, set := range imports {
		for ip := range set {
			out[pkg] = append(out[pkg], ip)
		}
		sort.Strings(out[pkg])
	}
	return out
}

// within reports whether pkg is p or below it.
func within(pkg, p string) bool {
	return pkg == p || strings.HasPrefix(pkg, p+"/")
}

// TestImportDirections holds the layering: nothing imports cmd; generator
// and schema know nothing of the command line or the terminal; schema knows
// nothing of generation; templates holds only files; the writer imports
// nothing of direktiv-fn's.
func TestImportDirections(t *testing.T) {
	var (
		cmdPkg       = module + "/cmd"
		generatorPkg = module + "/generator"
		schemaPkg    = module + "/schema"
		templatesPkg = module + "/templates"
	)
	cli := []string{"github.com/spf13/cobra", "github.com/spf13/pflag", "github.com/AlecAivazis/survey", "golang.org/x/term"}

	all := packageImports(t)
	for _, want := range []string{module, cmdPkg, generatorPkg, generatorPkg + "/write", schemaPkg, templatesPkg} {
		if _, ok := all[want]; !ok {
			t.Errorf("package %s not found: the walk is broken", want)
		}
	}
	for pkg, imps := range all {
		for _, imp := range imps {
			var why string
			switch {
			case within(imp, cmdPkg) && pkg != module && !within(pkg, cmdPkg):
				why = "nothing but main imports cmd"
			case (within(pkg, generatorPkg) || within(pkg, schemaPkg)) && hasPrefixAny(imp, cli):
				why = "generator and schema know nothing of the command line or the terminal"
			case within(pkg, schemaPkg) && (within(imp, generatorPkg) || within(imp, templatesPkg)):
				why = "schema knows nothing of generation"
			case within(pkg, templatesPkg) && within(imp, module):
				why = "templates holds only the embedded files"
			case within(pkg, generatorPkg+"/write") && within(imp, module):
				why = "the writer only carries out what it is given: it imports nothing of direktiv-fn's"
			}
			if why != "" {
				t.Errorf("%s imports %s: %s", pkg, imp, why)
			}
		}
	}
}

// TestTopLevel holds the repository's top level to what was agreed: main,
// and the packages cmd, generator, schema and templates (each free to have
// sub-packages).
func TestTopLevel(t *testing.T) {
	for pkg := range packageImports(t) {
		ok := pkg == module
		for _, top := range []string{"cmd", "generator", "schema", "templates"} {
			ok = ok || within(pkg, module+"/"+top)
		}
		if !ok {
			t.Errorf("package %s is outside main, cmd/, generator/, schema/ and templates/", pkg)
		}
	}
}

func hasPrefixAny(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if within(s, p) {
			return true
		}
	}
	return false
}

// TestFixedDependencies holds the libraries the project's owner chose,
// which no change may drop or replace: each is imported by a package of
// the CLI (not only by a test).
func TestFixedDependencies(t *testing.T) {
	fixed := []string{
		"github.com/spf13/cobra",
		"github.com/AlecAivazis/survey/v2",
		"github.com/Masterminds/sprig/v3",
		"gopkg.in/yaml.v3",
	}
	used := map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != ".." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "golden") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			ip, _ := strconv.Unquote(imp.Path.Value)
			used[ip] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, dep := range fixed {
		if !used[dep] {
			t.Errorf("no package of direktiv-fn imports %s, a dependency fixed by the project's owner: keep using it", dep)
		}
	}
}
