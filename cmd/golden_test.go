package cmd

import (
	"bytes"
	"context"
	"flag"
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
const goldenDir = "../golden"

// goldenCase is one folder under golden/.
type goldenCase struct {
	name string
	dir  string
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
		case "want", "existing", "args", "stderr.txt", "exit":
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
	for _, c := range goldenCases(t) {
		want := filepath.Join(c.dir, "want")
		if _, err := os.Stat(filepath.Join(want, "go.mod")); err != nil {
			continue
		}
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
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("%s: %v\n%s", strings.Join(step, " "), err, out)
				}
			}
		})
	}
}
