package cmd

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/write"
)

// deadTemp names a temporary file or folder of a killed direktiv-fn (its
// process id is above every system's limit).
func deadTemp(i int) string { return ".direktiv-fn-tmp-1073741824-" + strconv.Itoa(i) }

// copyDir copies the tree under src to dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// renameOrder returns the files that differ between the trees old and new
// in the order Write renames them into place: by path, the manifest last.
func renameOrder(old, new map[string]string) []string {
	var out []string
	for p, c := range new {
		if o, ok := old[p]; (!ok || o != c) && !strings.HasSuffix(p, "/") {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i] == config.ManifestFile) != (out[j] == config.ManifestFile) {
			return out[j] == config.ManifestFile
		}
		return out[i] < out[j]
	})
	return out
}

// TestGenerateKilledAfterEachRename plays a generate killed (SIGKILL) after
// k of its renames, for every k: the files renamed have the new content,
// the others (the manifest among them) the old one, and temporary files
// are left. The next generate completes the update, reports no hand edit
// and removes the temporary files.
func TestGenerateKilledAfterEachRename(t *testing.T) {
	dir := newProject(t)
	root := filepath.Dir(dir)
	schema := `{"type": "object", "required": ["n"], "properties": {"n": {"type": "integer", "minimum": 3}, "label": {"type": "string", "enum": ["a", "b"]}}}`
	if err := os.WriteFile(filepath.Join(dir, schemaFile), []byte(schema), 0o644); err != nil {
		t.Fatal(err)
	}
	copyDir(t, dir, filepath.Join(root, "done"))
	if r := (run{args: []string{"generate", "--dir", "done"}}).exec(t); r.code != 0 {
		t.Fatalf("generate: exit %d\n%s", r.code, r.stderr)
	}
	old, want := tree(t, dir), tree(t, filepath.Join(root, "done"))
	order := renameOrder(old, want)
	if len(order) < 3 || order[len(order)-1] != config.ManifestFile {
		t.Fatalf("changed files %v: want several, the manifest last", order)
	}
	for k := range order {
		name := "killed" + strconv.Itoa(k)
		kdir := filepath.Join(root, name)
		copyDir(t, dir, kdir)
		for i, p := range order {
			target := filepath.Join(kdir, filepath.FromSlash(p))
			content := want[p]
			if i >= k {
				// Not renamed yet: left at a temporary name.
				target = filepath.Join(filepath.Dir(target), deadTemp(i))
			}
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(target, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		r := run{args: []string{"generate", "--dir", name}}.exec(t)
		if r.code != 0 {
			t.Errorf("killed after %d renames (%s next): generate: exit %d\n%s", k, order[k], r.code, r.stderr)
			continue
		}
		if got := tree(t, kdir); !reflect.DeepEqual(got, want) {
			for p := range got {
				if got[p] != want[p] {
					t.Errorf("killed after %d renames, generated again: %s differs", k, p)
				}
			}
			for p := range want {
				if _, ok := got[p]; !ok {
					t.Errorf("killed after %d renames, generated again: %s is missing", k, p)
				}
			}
		}
	}
}

// TestNewKilledInEmptyFolderResumes plays a "new" into an empty folder
// killed after k of the entries were moved up from the staging folder: the
// folder has no manifest, generate says so, and the same "new" run again
// completes the project (without --force) and removes the staging folder.
func TestNewKilledInEmptyFolderResumes(t *testing.T) {
	root := inTempDir(t)
	if err := os.WriteFile("in.json", []byte(smallSchema), 0o644); err != nil {
		t.Fatal(err)
	}
	newIn := func(dir string) result {
		return run{args: []string{"new", "fn", "--schema", "in.json", "--no-input", "--dir", dir}}.exec(t)
	}
	if r := newIn("done"); r.code != 0 {
		t.Fatalf("new: exit %d\n%s", r.code, r.stderr)
	}
	entries, err := os.ReadDir("done")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.Name() != config.ManifestFile {
			names = append(names, e.Name())
		}
	}
	names = append(names, config.ManifestFile) // moved last
	want := tree(t, "done")
	for k := range names {
		kdir := "killed" + strconv.Itoa(k)
		stage := filepath.Join(kdir, deadTemp(k))
		for i, n := range names {
			to := filepath.Join(kdir, n)
			if i >= k {
				to = filepath.Join(stage, n)
			}
			if fi, err := os.Stat(filepath.Join("done", n)); err == nil && fi.IsDir() {
				copyDir(t, filepath.Join("done", n), to)
				continue
			}
			if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(to, []byte(want[n]), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if r := (run{args: []string{"generate", "--dir", kdir}}).exec(t); r.code == 0 || !strings.Contains(r.stderr, "not a function repository") {
			t.Errorf("killed after %d moves: generate: exit %d\n%s", k, r.code, r.stderr)
		}
		r := newIn(kdir)
		if r.code != 0 {
			t.Errorf("killed after %d moves: new again: exit %d\n%s", k, r.code, r.stderr)
			continue
		}
		if got := tree(t, filepath.Join(root, kdir)); !reflect.DeepEqual(got, want) {
			t.Errorf("killed after %d moves, then new again:\n%v\nwant\n%v", k, keys(got), keys(want))
		}
	}
}

// TestGenerateAddErrorLocked: while one add-error holds the repository,
// another is refused with the holder's process id and how to proceed, and
// the first completes: no code is lost, nothing is undone. (A writer that
// ignores the lock is still caught by write.ErrManifestChanged: see the
// write package's tests.)
func TestGenerateAddErrorLocked(t *testing.T) {
	dir := newProject(t)
	var out, errOut bytes.Buffer
	a := &app{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
		lookupEnv: func(string) (string, bool) { return "", false },
		terminal:  func() bool { return false },
		version:   "test",
	}
	c := &cobra.Command{}
	c.SetContext(context.Background())
	c.SetOut(&out)
	defer func(w time.Duration) { lockWait = w }(lockWait)
	lockWait = 50 * time.Millisecond
	var before map[string]fileState
	err := a.regenerate(c, &regenFlags{dir: dir}, func(p *project) error {
		before = state(t, dir)
		r := run{args: []string{"add-error", "notFound", "--dir", dir}}.exec(t)
		if r.code != ExitFailure || !strings.Contains(r.stderr, fmt.Sprintf("another direktiv-fn (process %d) is changing %s (waited 50ms for it): wait for it to finish and run this again", os.Getpid(), dir)) {
			t.Errorf("the other add-error: exit %d\n%s", r.code, r.stderr)
		}
		sameState(t, before, state(t, dir))
		return p.manifest.AddError("badInput", "")
	})
	if err != nil {
		t.Fatal(err)
	}
	m := read(t, filepath.Join(dir, config.ManifestFile))
	if strings.Contains(m, "notFound") || !strings.Contains(m, "badInput") {
		t.Errorf("manifest:\n%s", m)
	}
	if _, err := os.Stat(filepath.Join(dir, write.LockFile)); !os.IsNotExist(err) {
		t.Errorf("the lock is left behind: %v", err)
	}
}
