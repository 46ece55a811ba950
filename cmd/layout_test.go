package cmd

import (
	"bytes"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// generatorStages are generator's packages in pipeline order: each imports
// only the stages before it. config describes a function; manifest reads
// and writes direktiv-fn.yaml; model turns the schema into the Go view;
// emit writes the decoder from the model; sample builds values and test
// cases; generator renders the output table; plan decides what a command
// does on disk; gocheck type-checks the user's code against a plan.
var generatorStages = []string{
	"generator/config",
	"generator/manifest",
	"generator/model",
	"generator/emit",
	"generator/sample",
	"generator",
	"generator/plan",
	"generator/gocheck",
}

// generatorLeaves are generator's packages that any stage may import and
// that import nothing of direktiv-fn's: the table of Direktiv's eras, the
// text diff, the strings a regular expression matches, and the writer
// (which only carries out the plan it is given).
var generatorLeaves = []string{"generator/direktiv", "generator/diff", "generator/regexgen", "generator/write"}

// TestGeneratorStages holds the generator's layout: stages import only
// earlier stages, leaves nothing of direktiv-fn's, the runtime copied into
// function repositories only the standard library, and every package is
// one of these (generator/internal holds test support).
func TestGeneratorStages(t *testing.T) {
	rank := map[string]int{}
	for i, s := range generatorStages {
		rank[module+"/"+s] = i
	}
	leaf := map[string]bool{}
	for _, s := range generatorLeaves {
		leaf[module+"/"+s] = true
	}
	runtimePkgs := module + "/generator/runtime"
	internal := module + "/generator/internal"
	for pkg, imps := range packageImports(t) {
		if !within(pkg, module+"/generator") || within(pkg, internal) {
			continue
		}
		_, stage := rank[pkg]
		if !stage && !leaf[pkg] && !within(pkg, runtimePkgs) {
			t.Errorf("%s is neither a stage nor a leaf of the generator: add it to generatorStages or generatorLeaves", pkg)
			continue
		}
		for _, imp := range imps {
			var why string
			switch {
			case within(pkg, runtimePkgs) && strings.Contains(strings.Split(imp, "/")[0], "."):
				why = "the runtime copied into function repositories imports only the standard library"
			case leaf[pkg] && within(imp, module):
				why = "a leaf of the generator imports nothing of direktiv-fn's"
			case stage && rank[imp] >= rank[pkg] && imp != pkg && slices.Contains(generatorStages, strings.TrimPrefix(imp, module+"/")):
				why = "a stage imports only earlier stages (" + strings.Join(generatorStages, " < ") + ")"
			}
			if why != "" {
				t.Errorf("%s imports %s: %s", pkg, imp, why)
			}
		}
	}
}

// Size limits: a file a reader can hold in mind, a package a reader can
// learn. Generated files (the committed decoders of the benchmarks and
// hostile tests) are exempt, and so is cmd, the command line's one package.
const (
	maxFileLines    = 600
	maxPackageLines = 2500
)

// TestSizeLimits holds every hand-written non-test Go file of the module
// to maxFileLines lines, and every package under generator/ and schema/
// to maxPackageLines lines of them.
func TestSizeLimits(t *testing.T) {
	perPackage := map[string]int{}
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != ".." && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "golden") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.Contains(src, []byte("\n// Code generated ")) || bytes.HasPrefix(src, []byte("// Code generated ")) {
			return nil
		}
		lines := bytes.Count(src, []byte("\n"))
		if lines > maxFileLines {
			t.Errorf("%s has %d lines, more than %d: split it by concern", p, lines, maxFileLines)
		}
		rel, _ := filepath.Rel("..", filepath.Dir(p))
		perPackage[path.Join(module, filepath.ToSlash(rel))] += lines
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for pkg, lines := range perPackage {
		if (within(pkg, module+"/generator") || within(pkg, module+"/schema")) && lines > maxPackageLines {
			t.Errorf("package %s has %d lines, more than %d: split it by job", pkg, lines, maxPackageLines)
		}
	}
}
