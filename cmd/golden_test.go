package cmd

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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
// the same "out/", each like a case (its own inputs, "args", and
// "stderr.txt" and "exit" for a step that must fail), plus the expected
// "stdout.txt". A sequence stores whole trees only at its ends: the first
// and the last succeeding step hold the expected tree in "want/"; every
// other succeeding step holds what it changed: the files it created or
// rewrote, under "_changed/" (the underscore keeps go build ./... out of it), and the paths it deleted, one per line, in
// "deleted" (each only when there are any). A step may optionally hold
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
	// home, for a project tree, is the folder under golden/ that holds the
	// tree's other expectations (invoke/): the case's, or the step's.
	home string
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
		case "want", "existing", "args", "stderr.txt", "stdout.txt", "exit", "_edit", "replace", "remove", "test-fails", "_changed", "deleted":
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
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
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
// single case's want/, and the tree after each succeeding step of each
// sequence, which a replay of the sequence makes (a sequence stores only
// what most steps change). A tree equal to an earlier one is left out.
func goldenProjects(t *testing.T) []goldenCase {
	var out []goldenCase
	seen := map[string]bool{}
	add := func(name, want, home, testFails string) {
		if _, err := os.Stat(filepath.Join(want, "go.mod")); err != nil {
			return
		}
		key := treeKey(t, want)
		if seen[key] {
			return
		}
		seen[key] = true
		out = append(out, goldenCase{name: name, dir: want, home: home, testFails: testFails})
	}
	trees := t.TempDir()
	for _, c := range goldenCases(t) {
		if _, err := os.Stat(filepath.Join(c.dir, "steps")); err != nil {
			add(c.name, filepath.Join(c.dir, "want"), c.dir, "")
			continue
		}
		t.Run("replay/"+c.name, func(t *testing.T) {
			replaySequence(t, c.dir, func(t *testing.T, st *stepRun) {
				if st.wantExit != 0 {
					return
				}
				step := filepath.Base(st.dir)
				tree := filepath.Join(trees, c.name, step)
				if err := os.CopyFS(tree, os.DirFS(st.out)); err != nil {
					t.Fatal(err)
				}
				fails, _ := os.ReadFile(filepath.Join(st.dir, "test-fails"))
				add(c.name+"/"+step, tree, st.dir, strings.TrimSpace(string(fails)))
			})
		})
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

// runSequence runs the steps of a sequence case against one project and
// compares each with its expectations.
func runSequence(t *testing.T, c goldenCase) {
	full := fullTreeSteps(t, c.dir)
	replaySequence(t, c.dir, func(t *testing.T, st *stepRun) {
		checkStep(t, st, full[st.dir])
	})
}

// stepRun is one step of a sequence, run.
type stepRun struct {
	// dir is the step's folder; out the project it ran against.
	dir, out string
	// before is the project as the step's edits left it, after the project
	// as the step left it.
	before, after map[string]string
	code          int
	stdout        string
	stderr        string
	wantExit      int
}

// replaySequence runs the steps of the sequence case dir, in name order,
// against one project in a temporary folder, and calls check after each.
// A step whose command exits with another code than it should stops the
// sequence: the later steps depend on it.
func replaySequence(t *testing.T, dir string, check func(*testing.T, *stepRun)) {
	stepsDir := filepath.Join(dir, "steps")
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
		ok := t.Run(e.Name(), func(t *testing.T) {
			st := runStep(t, step, work, out)
			if st.code != st.wantExit {
				t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", st.code, st.wantExit, st.stdout, st.stderr)
			}
			check(t, st)
		})
		if !ok {
			t.Fatalf("step %s failed: the later steps depend on it", e.Name())
		}
	}
}

// fullTreeSteps returns the steps of a sequence that store their whole
// tree: the first and the last of those that must succeed.
func fullTreeSteps(t *testing.T, dir string) map[string]bool {
	entries, err := os.ReadDir(filepath.Join(dir, "steps"))
	if err != nil {
		t.Fatal(err)
	}
	var ok []string
	for _, e := range entries {
		step := filepath.Join(dir, "steps", e.Name())
		if e.IsDir() && stepExit(step) == 0 {
			ok = append(ok, step)
		}
	}
	full := map[string]bool{}
	if len(ok) > 0 {
		full[ok[0]] = true
		full[ok[len(ok)-1]] = true
	}
	return full
}

// stepExit is the exit code a step must end with.
func stepExit(step string) int {
	code := 0
	if b, err := os.ReadFile(filepath.Join(step, "exit")); err == nil {
		code, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	return code
}

// runStep applies one step's edits to out, the project in work, and runs
// its command.
func runStep(t *testing.T, step, work, out string) *stepRun {
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
	st := &stepRun{dir: step, out: out, before: readTree(t, out), wantExit: stepExit(step)}
	var stdout, stderr bytes.Buffer
	st.code = Main(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
	st.stdout, st.stderr = stdout.String(), stderr.String()
	st.after = readTree(t, out)
	return st
}

// checkStep compares a step's run with its expectations, or rewrites them
// with -update; full says whether the step stores its whole tree.
func checkStep(t *testing.T, st *stepRun, full bool) {
	failing := st.wantExit != 0
	if *update {
		writeFile(t, filepath.Join(st.dir, "stdout.txt"), []byte(st.stdout))
		for _, stale := range []string{"want", "_changed", "deleted"} {
			if err := os.RemoveAll(filepath.Join(st.dir, stale)); err != nil {
				t.Fatal(err)
			}
		}
		switch {
		case failing:
			writeFile(t, filepath.Join(st.dir, "stderr.txt"), []byte(st.stderr))
		case full:
			if err := os.CopyFS(filepath.Join(st.dir, "want"), os.DirFS(st.out)); err != nil {
				t.Fatal(err)
			}
		default:
			changed, deleted := treeDelta(st.before, st.after)
			for name, content := range changed {
				writeFile(t, filepath.Join(st.dir, "_changed", filepath.FromSlash(name)), []byte(content))
			}
			if len(deleted) > 0 {
				writeFile(t, filepath.Join(st.dir, "deleted"), []byte(strings.Join(deleted, "\n")+"\n"))
			}
		}
	}
	wantOut, err := os.ReadFile(filepath.Join(st.dir, "stdout.txt"))
	if err != nil {
		t.Fatalf("a step needs stdout.txt (run with -update): %v", err)
	}
	if st.stdout != string(wantOut) {
		t.Errorf("stdout differs:\n%s", lineDiff(string(wantOut), st.stdout))
	}
	if failing {
		want, err := os.ReadFile(filepath.Join(st.dir, "stderr.txt"))
		if err != nil {
			t.Fatalf("a failing step needs stderr.txt (run with -update): %v", err)
		}
		if st.stderr != string(want) {
			t.Errorf("stderr differs:\n--- want\n%s\n--- got\n%s", want, st.stderr)
		}
		// A refused command writes nothing.
		if changed, deleted := treeDelta(st.before, st.after); len(changed) > 0 || len(deleted) > 0 {
			t.Errorf("the refused step changed %v and deleted %v", slices.Sorted(maps.Keys(changed)), deleted)
		}
		return
	}
	if st.stderr != "" {
		t.Errorf("a succeeding step printed to stderr:\n%s", st.stderr)
	}
	if full {
		if _, err := os.Stat(filepath.Join(st.dir, "want")); err != nil {
			t.Fatalf("the first and the last succeeding step of a sequence need want/ (run with -update)")
		}
		compareTrees(t, filepath.Join(st.dir, "want"), st.out)
		return
	}
	if _, err := os.Stat(filepath.Join(st.dir, "want")); err == nil {
		t.Errorf("only the first and the last succeeding step store want/ (run with -update)")
	}
	wantChanged := map[string]string{}
	if _, err := os.Stat(filepath.Join(st.dir, "_changed")); err == nil {
		wantChanged = readTree(t, filepath.Join(st.dir, "_changed"))
	}
	var wantDeleted []string
	if b, err := os.ReadFile(filepath.Join(st.dir, "deleted")); err == nil {
		wantDeleted = strings.Fields(string(b))
	}
	changed, deleted := treeDelta(st.before, st.after)
	for name, content := range changed {
		want, ok := wantChanged[name]
		switch {
		case !ok:
			t.Errorf("the step wrote %s, which _changed/ does not hold (run with -update)", name)
		case want != content:
			t.Errorf("%s differs:\n%s", name, lineDiff(want, content))
		}
	}
	for name := range wantChanged {
		if _, ok := changed[name]; !ok {
			t.Errorf("the step did not write %s, which _changed/ holds", name)
		}
	}
	if !slices.Equal(deleted, wantDeleted) {
		t.Errorf("the step deleted %q, want %q", deleted, wantDeleted)
	}
}

// treeDelta returns the files of after that are new or differ from before,
// and the paths of before that after lacks, sorted.
func treeDelta(before, after map[string]string) (changed map[string]string, deleted []string) {
	changed = map[string]string{}
	for name, content := range after {
		if old, ok := before[name]; !ok || old != content {
			changed[name] = content
		}
	}
	for name := range before {
		if _, ok := after[name]; !ok {
			deleted = append(deleted, name)
		}
	}
	sort.Strings(deleted)
	return changed, deleted
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
