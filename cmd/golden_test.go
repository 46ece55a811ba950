package cmd

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under golden/ and delete stale ones")

// goldenDir holds one folder per case: its inputs, the command line in "args"
// (one argument per line, the program name left out), and either the
// expected tree in "want/" (the command must write into "--dir out") or, for
// a case that must fail, the expected "stderr.txt" and "exit" code. A case
// may also hold "existing/", copied to "out/" before the command runs.
//
// A sequence case holds "steps/" instead: folders run in name order against
// the same "out/", each like a case (its own inputs, "args", "want/" or
// "stderr.txt" and "exit"), plus the expected "stdout.txt", and optionally
// "_edit/" (files copied into "out/" before the step: the user's edits; the
// underscore keeps go build ./... out of it), "replace" (edits in place
// before the step, one per line: a path under "out/", the text to find and
// its replacement, separated by tabs; the text must be there) and "remove"
// (paths deleted from "out/" before the step, one per line). A failing step
// must leave "out/" exactly as the edits left it.
const goldenDir = "../golden"

// goldenCase is one folder under golden/.
type goldenCase struct {
	name string
	dir  string
	// testFails, for a project tree, is what "go test" must fail with: a
	// sequence step's "test-fails" file holds it, for a step that leaves the
	// project knowingly stale (the schema edited, not yet regenerated).
	testFails string
}

func goldenCases(t *testing.T) []goldenCase {
	root, err := filepath.Abs(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	for _, e := range entries {
		if e.IsDir() {
			cases = append(cases, goldenCase{name: e.Name(), dir: filepath.Join(root, e.Name())})
		}
	}
	if len(cases) == 0 {
		t.Fatal("no golden cases")
	}
	return cases
}

// TestGolden runs every golden case and compares what it wrote, or what it
// printed to stderr, with the expected files.
func TestGolden(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			runGolden(t, c)
		})
	}
}

func runGolden(t *testing.T, c goldenCase) {
	if _, err := os.Stat(filepath.Join(c.dir, "steps")); err == nil {
		runSequence(t, c)
		return
	}
	argsText, err := os.ReadFile(filepath.Join(c.dir, "args"))
	if err != nil {
		t.Fatalf("every golden case needs an args file: %v", err)
	}
	args := strings.Split(strings.TrimSpace(string(argsText)), "\n")

	work := t.TempDir()
	if err := copyInputs(c.dir, work); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(c.dir, "existing")); err == nil {
		if err := os.CopyFS(filepath.Join(work, "out"), os.DirFS(filepath.Join(c.dir, "existing"))); err != nil {
			t.Fatal(err)
		}
	}
	for _, env := range os.Environ() {
		if name, _, _ := strings.Cut(env, "="); strings.HasPrefix(name, "DIREKTIV_FN_") {
			t.Setenv(name, "")
			os.Unsetenv(name)
		}
	}
	t.Chdir(work)

	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(""), &stdout, &stderr)

	wantExit := 0
	if b, err := os.ReadFile(filepath.Join(c.dir, "exit")); err == nil {
		wantExit, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	_, wantsTree := os.Stat(filepath.Join(c.dir, "want"))
	failing := wantExit != 0

	if *update {
		if failing {
			writeFile(t, filepath.Join(c.dir, "stderr.txt"), stderr.Bytes())
		} else {
			if err := os.RemoveAll(filepath.Join(c.dir, "want")); err != nil {
				t.Fatal(err)
			}
			if err := os.CopyFS(filepath.Join(c.dir, "want"), os.DirFS(filepath.Join(work, "out"))); err != nil {
				t.Fatal(err)
			}
		}
	}

	if code != wantExit {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, wantExit, stdout.String(), stderr.String())
	}
	if failing {
		want, err := os.ReadFile(filepath.Join(c.dir, "stderr.txt"))
		if err != nil {
			t.Fatalf("a failing case needs stderr.txt (run with -update): %v", err)
		}
		if got := stderr.String(); got != string(want) {
			t.Errorf("stderr differs:\n--- want\n%s\n--- got\n%s", want, got)
		}
		// A refused command writes nothing: out/ is exactly what existed before.
		compareTrees(t, filepath.Join(c.dir, "existing"), filepath.Join(work, "out"))
		return
	}
	if wantsTree != nil {
		t.Fatalf("a succeeding case needs want/ (run with -update)")
	}
	compareTrees(t, filepath.Join(c.dir, "want"), filepath.Join(work, "out"))
}

// copyInputs copies the case's input files (all but the expectations) to dst.
func copyInputs(src, dst string) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		switch e.Name() {
		case "want", "existing", "args", "stderr.txt", "stdout.txt", "exit", "_edit", "replace", "remove", "test-fails":
			continue
		}
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// readTree returns every file under dir by slash path; a missing dir is empty.
func readTree(t *testing.T, dir string) map[string]string {
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && p == dir {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// compareTrees reports missing, extra and differing files.
func compareTrees(t *testing.T, wantDir, gotDir string) {
	t.Helper()
	want, got := readTree(t, wantDir), readTree(t, gotDir)
	var names []string
	for n := range want {
		names = append(names, n)
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		w, inWant := want[n]
		g, inGot := got[n]
		switch {
		case !inGot:
			t.Errorf("missing file %s", n)
		case !inWant:
			t.Errorf("extra file %s", n)
		case w != g:
			t.Errorf("%s differs (run go test ./cmd -run TestGolden -update to accept):\n%s", n, lineDiff(w, g))
		}
	}
}

// lineDiff shows the first differing lines of want and got.
func lineDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n-want " + w + "\n+got  " + g
		}
	}
	return "(trailing difference)"
}

func writeFile(t *testing.T, name string, b []byte) {
	t.Helper()
	if err := os.WriteFile(name, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestGoldenProjectsBuild copies every golden project to a temporary folder
// and runs go vet, go build and go test there (and staticcheck when it is
// installed): a golden that does not build or pass is a failure.
func TestGoldenProjectsBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every golden project")
	}
	for _, c := range goldenProjects(t) {
		want := c.dir
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(want)); err != nil {
				t.Fatal(err)
			}
			steps := [][]string{
				{"go", "vet", "./..."},
				{"go", "build", "./..."},
				{"go", "test", "-count=1", "./..."},
			}
			if sc, err := exec.LookPath("staticcheck"); err == nil {
				steps = append(steps, []string{sc, "./..."})
			} else if os.Getenv("CI") != "" {
				t.Error("staticcheck is not installed; .ci/run installs it")
			}
			for _, step := range steps {
				cmd := exec.Command(step[0], step[1:]...)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
				out, err := cmd.CombinedOutput()
				if c.testFails != "" && step[1] == "test" {
					if err == nil || !strings.Contains(string(out), c.testFails) {
						t.Errorf("%s: %v, want a failure with %q\n%s", strings.Join(step, " "), err, c.testFails, out)
					}
					continue
				}
				if err != nil {
					t.Errorf("%s: %v\n%s", strings.Join(step, " "), err, out)
				}
			}
			checkIsolatedDeps(t, dir)
		})
	}
}

// checkIsolatedDeps holds an isolated function's binary small and its start
// fast: nothing of the network stack may be linked into it.
func checkIsolatedDeps(t *testing.T, dir string) {
	manifest, err := os.ReadFile(filepath.Join(dir, "direktiv-fn.yaml"))
	if err != nil || !strings.Contains(string(manifest), "\nmode: isolated\n") {
		return
	}
	list := exec.Command("go", "list", "-deps", ".")
	list.Dir = dir
	list.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := list.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if pkg == "net" || strings.HasPrefix(pkg, "net/") {
			t.Errorf("the isolated function links %s: its glue must not use the network", pkg)
		}
	}
}

// goldenProjects returns every expected tree that is a Go project: each
// case's want/ and each sequence step's want/. A step whose tree is the same
// as an earlier one's is left out.
func goldenProjects(t *testing.T) []goldenCase {
	var out []goldenCase
	seen := map[string]bool{}
	add := func(name, want string) {
		if _, err := os.Stat(filepath.Join(want, "go.mod")); err != nil {
			return
		}
		key := treeKey(t, want)
		if seen[key] {
			return
		}
		seen[key] = true
		fails, _ := os.ReadFile(filepath.Join(filepath.Dir(want), "test-fails"))
		out = append(out, goldenCase{name: name, dir: want, testFails: strings.TrimSpace(string(fails))})
	}
	for _, c := range goldenCases(t) {
		add(c.name, filepath.Join(c.dir, "want"))
		steps, _ := os.ReadDir(filepath.Join(c.dir, "steps"))
		for _, s := range steps {
			add(c.name+"/"+s.Name(), filepath.Join(c.dir, "steps", s.Name(), "want"))
		}
	}
	return out
}

// treeKey returns a string that is equal for equal trees.
func treeKey(t *testing.T, dir string) string {
	files := readTree(t, dir)
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		b.WriteString(n + "\x00" + files[n] + "\x00")
	}
	return b.String()
}

// runSequence runs the steps of a sequence case against one project.
func runSequence(t *testing.T, c goldenCase) {
	stepsDir := filepath.Join(c.dir, "steps")
	entries, err := os.ReadDir(stepsDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, env := range os.Environ() {
		if name, _, _ := strings.Cut(env, "="); strings.HasPrefix(name, "DIREKTIV_FN_") {
			t.Setenv(name, "")
			os.Unsetenv(name)
		}
	}
	work := t.TempDir()
	t.Chdir(work)
	out := filepath.Join(work, "out")
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		step := filepath.Join(stepsDir, e.Name())
		ok := t.Run(e.Name(), func(t *testing.T) { runStep(t, step, work, out) })
		if !ok {
			t.Fatalf("step %s failed: the later steps depend on it", e.Name())
		}
	}
}

// runStep runs one step of a sequence in work, whose project is out.
func runStep(t *testing.T, step, work, out string) {
	argsText, err := os.ReadFile(filepath.Join(step, "args"))
	if err != nil {
		t.Fatalf("every step needs an args file: %v", err)
	}
	args := strings.Split(strings.TrimSpace(string(argsText)), "\n")
	if err := copyInputs(step, work); err != nil {
		t.Fatal(err)
	}
	if err := copyOver(filepath.Join(step, "_edit"), out); err != nil {
		t.Fatal(err)
	}
	if err := replaceIn(filepath.Join(step, "replace"), out); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(step, "remove")); err == nil {
		for _, p := range strings.Fields(string(b)) {
			if err := os.Remove(filepath.Join(out, filepath.FromSlash(p))); err != nil {
				t.Fatal(err)
			}
		}
	}
	before := readTree(t, out)

	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(""), &stdout, &stderr)

	wantExit := 0
	if b, err := os.ReadFile(filepath.Join(step, "exit")); err == nil {
		wantExit, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	failing := wantExit != 0
	if *update {
		writeFile(t, filepath.Join(step, "stdout.txt"), stdout.Bytes())
		if failing {
			writeFile(t, filepath.Join(step, "stderr.txt"), stderr.Bytes())
		} else {
			if err := os.RemoveAll(filepath.Join(step, "want")); err != nil {
				t.Fatal(err)
			}
			if err := os.CopyFS(filepath.Join(step, "want"), os.DirFS(out)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if code != wantExit {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, wantExit, stdout.String(), stderr.String())
	}
	wantOut, err := os.ReadFile(filepath.Join(step, "stdout.txt"))
	if err != nil {
		t.Fatalf("a step needs stdout.txt (run with -update): %v", err)
	}
	if got := stdout.String(); got != string(wantOut) {
		t.Errorf("stdout differs:\n%s", lineDiff(string(wantOut), got))
	}
	if failing {
		want, err := os.ReadFile(filepath.Join(step, "stderr.txt"))
		if err != nil {
			t.Fatalf("a failing step needs stderr.txt (run with -update): %v", err)
		}
		if got := stderr.String(); got != string(want) {
			t.Errorf("stderr differs:\n--- want\n%s\n--- got\n%s", want, got)
		}
		// A refused command writes nothing.
		after := readTree(t, out)
		for n, b := range before {
			if a, ok := after[n]; !ok || a != b {
				t.Errorf("the refused step changed %s", n)
			}
		}
		for n := range after {
			if _, ok := before[n]; !ok {
				t.Errorf("the refused step created %s", n)
			}
		}
		return
	}
	if stderr.Len() > 0 {
		t.Errorf("a succeeding step printed to stderr:\n%s", stderr.String())
	}
	if _, err := os.Stat(filepath.Join(step, "want")); err != nil {
		t.Fatalf("a succeeding step needs want/ (run with -update)")
	}
	compareTrees(t, filepath.Join(step, "want"), out)
}

// replaceIn applies the edits listed in the file name (see goldenDir) to the
// files under dst. A missing file edits nothing.
func replaceIn(name, dst string) error {
	b, err := os.ReadFile(name)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	for i, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return fmt.Errorf("%s:%d: want a path, the text to find and its replacement, separated by tabs", name, i+1)
		}
		target := filepath.Join(dst, filepath.FromSlash(f[0]))
		content, err := os.ReadFile(target)
		if err != nil {
			return err
		}
		if !strings.Contains(string(content), f[1]) {
			return fmt.Errorf("%s:%d: %s does not contain %q", name, i+1, f[0], f[1])
		}
		if err := os.WriteFile(target, []byte(strings.Replace(string(content), f[1], f[2], 1)), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// copyOver copies the files under src into dst, replacing those that exist.
// A missing src copies nothing.
func copyOver(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && p == src {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(src, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}
