package write

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// sample is a small project with both policies and a nested folder.
// manifestName is the file a project's Write renames into place last.
const manifestName = "direktiv-fn.yaml"

func sample() []File {
	return []File{
		{Path: "main.gen.go", Content: []byte("package main // gen\n")},
		{Path: "handler.go", Content: []byte("package main // handler\n"), Keep: true},
		{Path: "docs/deep/README.md", Content: []byte("# readme\n"), Keep: true},
		{Path: "docs/gen.txt", Content: []byte("gen\n")},
	}
}

// entry is one node of a snapshot.
type entry struct {
	Mode    fs.FileMode
	Content string
	ModTime time.Time
}

// snapshot records every file and folder under root (root included).
func snapshot(t *testing.T, root string) map[string]entry {
	t.Helper()
	got := map[string]entry{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		e := entry{Mode: info.Mode(), ModTime: info.ModTime()}
		if info.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			e.Content = string(b)
		}
		got[filepath.ToSlash(rel)] = e
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// assertSame compares two snapshots. Folders' modification times are
// compared only when dirTimes is set: creating and removing a staging entry
// changes them even when nothing is left behind.
func assertSame(t *testing.T, before, after map[string]entry, dirTimes bool) {
	t.Helper()
	if !dirTimes {
		before, after = dropDirTimes(before), dropDirTimes(after)
	}
	if reflect.DeepEqual(before, after) {
		return
	}
	var keys []string
	for k := range before {
		keys = append(keys, k)
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		b, inB := before[k]
		a, inA := after[k]
		switch {
		case !inA:
			t.Errorf("%s: removed", k)
		case !inB:
			t.Errorf("%s: appeared", k)
		case !reflect.DeepEqual(a, b):
			t.Errorf("%s: changed\n-want %+v\n+got  %+v", k, b, a)
		}
	}
}

func dropDirTimes(s map[string]entry) map[string]entry {
	out := map[string]entry{}
	for k, e := range s {
		if e.Mode.IsDir() {
			e.ModTime = time.Time{}
		}
		out[k] = e
	}
	return out
}

func actions(r *Report) map[string]Action {
	m := map[string]Action{}
	for _, c := range r.Changes {
		m[c.Path] = c.Action
	}
	return m
}

func TestWriteFreshMissingDir(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "a", "b", "myfunc")
	r, err := Write(dir, sample(), Options{EmptyOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Fresh || r.Count(Created) != 4 || len(r.Changes) != 4 {
		t.Errorf("report = %+v, want 4 created, fresh", r)
	}
	var paths []string
	for _, c := range r.Changes {
		paths = append(paths, c.Path)
	}
	if want := []string{"docs/deep/README.md", "docs/gen.txt", "handler.go", "main.gen.go"}; !reflect.DeepEqual(paths, want) {
		t.Errorf("paths = %q, want %q", paths, want)
	}
	got := snapshot(t, root)
	want := map[string]fs.FileMode{
		".":                              fs.ModeDir | 0o755,
		"a":                              fs.ModeDir | 0o755,
		"a/b":                            fs.ModeDir | 0o755,
		"a/b/myfunc":                     fs.ModeDir | 0o755,
		"a/b/myfunc/docs":                fs.ModeDir | 0o755,
		"a/b/myfunc/docs/deep":           fs.ModeDir | 0o755,
		"a/b/myfunc/docs/deep/README.md": 0o644,
		"a/b/myfunc/docs/gen.txt":        0o644,
		"a/b/myfunc/handler.go":          0o644,
		"a/b/myfunc/main.gen.go":         0o644,
	}
	gotModes := map[string]fs.FileMode{}
	for k, e := range got {
		gotModes[k] = e.Mode
	}
	gotModes["."] = fs.ModeDir | 0o755 // t.TempDir's own mode is not ours
	if !reflect.DeepEqual(gotModes, want) {
		t.Errorf("tree:\n got %v\nwant %v", gotModes, want)
	}
	if c := got["a/b/myfunc/handler.go"].Content; c != "package main // handler\n" {
		t.Errorf("handler.go = %q", c)
	}
}

func TestWriteFreshEmptyDirKeepsFolder(t *testing.T) {
	dir := t.TempDir()
	before, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Write(dir, sample(), Options{EmptyOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Fresh || r.Count(Created) != 4 {
		t.Errorf("report = %+v", r)
	}
	after, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) {
		t.Error("the empty target folder was replaced, not filled")
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"docs", "handler.go", "main.gen.go"}; !reflect.DeepEqual(names, want) {
		t.Errorf("entries = %q, want %q (no staging leftovers)", names, want)
	}
}

func TestWriteAgainIsUnchangedAndTouchesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	if _, err := Write(dir, sample(), Options{}); err != nil {
		t.Fatal(err)
	}
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		return os.Chtimes(p, old, old)
	})
	before := snapshot(t, dir)
	for _, force := range []bool{false, true} {
		r, err := Write(dir, sample(), Options{Force: force})
		if err != nil {
			t.Fatal(err)
		}
		if r.Fresh || r.Count(Unchanged) != 4 || r.Changed() {
			t.Errorf("force=%v: report = %+v, want 4 unchanged", force, r)
		}
		assertSame(t, before, snapshot(t, dir), true)
	}
}

func TestWritePolicies(t *testing.T) {
	for _, force := range []bool{false, true} {
		t.Run(fmt.Sprintf("force=%v", force), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "p")
			if _, err := Write(dir, sample(), Options{}); err != nil {
				t.Fatal(err)
			}
			must(t, os.WriteFile(filepath.Join(dir, "main.gen.go"), []byte("edited gen\n"), 0o600))
			must(t, os.Chmod(filepath.Join(dir, "main.gen.go"), 0o600))
			must(t, os.WriteFile(filepath.Join(dir, "handler.go"), []byte("my handler\n"), 0o644))
			must(t, os.RemoveAll(filepath.Join(dir, "docs")))
			must(t, os.WriteFile(filepath.Join(dir, "user.txt"), []byte("mine\n"), 0o644))

			plan, err := Plan(dir, sample(), Options{Force: force})
			if err != nil {
				t.Fatal(err)
			}
			r, err := Write(dir, sample(), Options{Force: force})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(plan, r) {
				t.Errorf("Plan and Write disagree:\n plan %+v\nwrite %+v", plan, r)
			}
			wantHandler := Kept
			wantContent := "my handler\n"
			if force {
				wantHandler = Updated
				wantContent = "package main // handler\n"
			}
			want := map[string]Action{
				"docs/deep/README.md": Created,
				"docs/gen.txt":        Created,
				"handler.go":          wantHandler,
				"main.gen.go":         Updated,
			}
			if got := actions(r); !reflect.DeepEqual(got, want) {
				t.Errorf("actions = %v, want %v", got, want)
			}
			got := snapshot(t, dir)
			if c := got["handler.go"].Content; c != wantContent {
				t.Errorf("handler.go = %q, want %q", c, wantContent)
			}
			if e := got["main.gen.go"]; e.Content != "package main // gen\n" || e.Mode != 0o600 {
				t.Errorf("main.gen.go = %+v, want regenerated content and its old mode 0600", e)
			}
			if c := got["user.txt"].Content; c != "mine\n" {
				t.Errorf("user.txt = %q", c)
			}
			for k := range got {
				if strings.Contains(k, stagePrefix) {
					t.Errorf("leftover %s", k)
				}
			}
			for _, c := range r.Changes {
				if c.Path == "main.gen.go" && string(c.Old) != "edited gen\n" {
					t.Errorf("Old of main.gen.go = %q", c.Old)
				}
			}
		})
	}
}

func TestRefusalsChangeNothing(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, root string) string // returns the target dir
		files   []File
		opts    Options
		wantErr []string
	}{
		{
			name: "not empty",
			setup: func(t *testing.T, root string) string {
				must(t, os.Mkdir(filepath.Join(root, "p"), 0o755))
				must(t, os.WriteFile(filepath.Join(root, "p", "x"), []byte("x"), 0o644))
				return filepath.Join(root, "p")
			},
			opts:    Options{EmptyOnly: true},
			wantErr: []string{"/p exists and is not empty"},
		},
		{
			name: "target is a file",
			setup: func(t *testing.T, root string) string {
				must(t, os.WriteFile(filepath.Join(root, "p"), []byte("x"), 0o644))
				return filepath.Join(root, "p")
			},
			wantErr: []string{"/p exists and is not a folder"},
		},
		{
			name: "parent is a file",
			setup: func(t *testing.T, root string) string {
				must(t, os.WriteFile(filepath.Join(root, "f"), []byte("x"), 0o644))
				return filepath.Join(root, "f", "sub", "p")
			},
			wantErr: []string{"cannot use ROOT/f/sub/p: ROOT/f is a file, not a folder"},
		},
		{
			name: "folders in the way",
			setup: func(t *testing.T, root string) string {
				must(t, os.MkdirAll(filepath.Join(root, "p", "handler.go"), 0o755))
				must(t, os.WriteFile(filepath.Join(root, "p", "docs"), []byte("x"), 0o644))
				return filepath.Join(root, "p")
			},
			opts: Options{Force: true},
			wantErr: []string{
				"cannot write ROOT/p/docs/deep/README.md: ROOT/p/docs is a file, not a folder",
				"cannot write ROOT/p/docs/gen.txt: ROOT/p/docs is a file, not a folder",
				"cannot write ROOT/p/handler.go: a folder is in the way",
			},
		},
		{
			name:  "colliding outputs",
			setup: func(t *testing.T, root string) string { return filepath.Join(root, "p") },
			files: []File{
				{Path: "a", Content: []byte("a")},
				{Path: "a/b", Content: []byte("b")},
				{Path: "c", Content: []byte("c")},
				{Path: "c", Content: []byte("c")},
				{Path: "../evil", Content: []byte("e")},
			},
			wantErr: []string{
				`invalid output path "../evil"`,
				`output path "c" appears twice`,
				`output path "a" is also the folder of "a/b"`,
			},
		},
		{
			name: "too long a name, mid-way through staging",
			setup: func(t *testing.T, root string) string {
				return filepath.Join(root, "new", "p")
			},
			files: []File{
				{Path: "a.txt", Content: []byte("a")},
				{Path: "b/" + strings.Repeat("x", 300), Content: []byte("b")},
				{Path: "c.txt", Content: []byte("c")},
			},
			wantErr: []string{"cannot write", "file name too long"},
		},
		{
			name: "too long a name, mid-way through renaming in place",
			setup: func(t *testing.T, root string) string {
				dir := filepath.Join(root, "p")
				if _, err := Write(dir, sample(), Options{}); err != nil {
					t.Fatal(err)
				}
				must(t, os.WriteFile(filepath.Join(dir, "main.gen.go"), []byte("edited\n"), 0o644))
				return dir
			},
			files: append(sample(),
				File{Path: "a.txt", Content: []byte("a")},
				File{Path: "zz/" + strings.Repeat("x", 300), Content: []byte("z")},
			),
			opts:    Options{Force: true},
			wantErr: []string{"cannot write", "file name too long"},
		},
		{
			name: "too long a name, after moving the files to delete aside",
			setup: func(t *testing.T, root string) string {
				dir := filepath.Join(root, "p")
				if _, err := Write(dir, sample(), Options{}); err != nil {
					t.Fatal(err)
				}
				must(t, os.WriteFile(filepath.Join(dir, "old.gen.go"), []byte("package main // old\n"), 0o640))
				must(t, os.WriteFile(filepath.Join(dir, "docs", "old.txt"), []byte("old\n"), 0o644))
				old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
				must(t, os.Chtimes(filepath.Join(dir, "old.gen.go"), old, old))
				return dir
			},
			files: append(sample(),
				File{Path: "a.txt", Content: []byte("a")},
				File{Path: "zz/" + strings.Repeat("x", 300), Content: []byte("z")},
			),
			opts:    Options{Delete: []string{"old.gen.go", "docs/old.txt"}},
			wantErr: []string{"cannot write", "file name too long"},
		},
		{
			name: "files to delete that cannot be",
			setup: func(t *testing.T, root string) string {
				dir := filepath.Join(root, "p")
				if _, err := Write(dir, sample(), Options{}); err != nil {
					t.Fatal(err)
				}
				must(t, os.WriteFile(filepath.Join(dir, "ro.gen.go"), []byte("ro\n"), 0o444))
				must(t, os.Mkdir(filepath.Join(dir, "folder.gen.go"), 0o755))
				must(t, os.WriteFile(filepath.Join(dir, "old.gen.go"), []byte("old\n"), 0o644))
				return dir
			},
			opts: Options{Delete: []string{"ro.gen.go", "folder.gen.go", "old.gen.go"}},
			wantErr: []string{
				"cannot delete ROOT/p/folder.gen.go: it is not a regular file (d",
				"cannot delete ROOT/p/ro.gen.go: it is read-only (chmod u+w ROOT/p/ro.gen.go to let direktiv-fn delete it)",
			},
		},
		{
			name:  "files to delete colliding with outputs",
			setup: func(t *testing.T, root string) string { return filepath.Join(root, "p") },
			opts:  Options{Delete: []string{"handler.go", "docs", "x", "x", "../evil", "/abs"}},
			wantErr: []string{
				`path "handler.go" is both written and deleted`,
				`path to delete "docs" is the folder of output path "docs/gen.txt"`,
				`path to delete "x" appears twice`,
				`invalid path to delete "../evil"`,
				`invalid path to delete "/abs"`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			dir := tt.setup(t, root)
			files := tt.files
			if files == nil {
				files = sample()
			}
			before := snapshot(t, root)
			r, err := Write(dir, files, tt.opts)
			if err == nil {
				t.Fatalf("Write succeeded: %+v", r)
			}
			msg := strings.ReplaceAll(err.Error(), root, "ROOT")
			for _, w := range tt.wantErr {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
			assertSame(t, before, snapshot(t, root), false)
		})
	}
}

func TestNotEmptyError(t *testing.T) {
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, ".git"), nil, 0o644))
	_, err := Plan(dir, sample(), Options{EmptyOnly: true})
	var ne *NotEmptyError
	if !errors.As(err, &ne) || ne.Dir != dir {
		t.Fatalf("err = %v, want *NotEmptyError for %s", err, dir)
	}
}

func TestOccupied(t *testing.T) {
	root := t.TempDir()
	must(t, os.Mkdir(filepath.Join(root, "empty"), 0o755))
	must(t, os.WriteFile(filepath.Join(root, "file"), nil, 0o644))
	for _, tt := range []struct {
		dir     string
		want    bool
		wantErr bool
	}{
		{dir: root, want: true},
		{dir: filepath.Join(root, "empty")},
		{dir: filepath.Join(root, "missing")},
		{dir: filepath.Join(root, "file"), wantErr: true},
	} {
		got, err := Occupied(tt.dir)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("Occupied(%s) = %v, %v; want %v, error %v", tt.dir, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestActionString(t *testing.T) {
	for a, want := range map[Action]string{Created: "created", Updated: "updated", Unchanged: "unchanged", Kept: "kept", Deleted: "deleted"} {
		if a.String() != want {
			t.Errorf("%d.String() = %q, want %q", a, a.String(), want)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestReadOnlyFileIsRefused: a file the user made read-only is not replaced
// (renaming over it would work); the refusal comes before any write.
func TestReadOnlyFileIsRefused(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "p")
	if _, err := Write(dir, sample(), Options{}); err != nil {
		t.Fatal(err)
	}
	must(t, os.Chmod(filepath.Join(dir, "main.gen.go"), 0o444))
	files := sample()
	for i := range files {
		files[i].Content = append(files[i].Content, "// changed\n"...)
	}
	before := snapshot(t, root)
	_, err := Write(dir, files, Options{})
	if err == nil || !strings.Contains(err.Error(), "main.gen.go: it is read-only (chmod u+w ") {
		t.Fatalf("error %v", err)
	}
	assertSame(t, before, snapshot(t, root), false)
}

func TestWriteDeletes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	if _, err := Write(dir, sample(), Options{}); err != nil {
		t.Fatal(err)
	}
	must(t, os.WriteFile(filepath.Join(dir, "old.gen.go"), []byte("package main // old\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "docs", "old.txt"), []byte("old\n"), 0o644))
	opts := Options{Delete: []string{"old.gen.go", "docs/old.txt", "missing.gen.go"}}

	plan, err := Plan(dir, sample(), opts)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Write(dir, sample(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(plan, r) {
		t.Errorf("Plan and Write disagree:\n plan %+v\nwrite %+v", plan, r)
	}
	want := map[string]Action{
		"docs/deep/README.md": Unchanged,
		"docs/gen.txt":        Unchanged,
		"docs/old.txt":        Deleted,
		"handler.go":          Unchanged,
		"main.gen.go":         Unchanged,
		"old.gen.go":          Deleted,
	}
	if got := actions(r); !reflect.DeepEqual(got, want) {
		t.Errorf("actions = %v, want %v (a missing file to delete is left out)", got, want)
	}
	for i := 1; i < len(r.Changes); i++ {
		if r.Changes[i-1].Path >= r.Changes[i].Path {
			t.Errorf("changes not sorted: %s before %s", r.Changes[i-1].Path, r.Changes[i].Path)
		}
	}
	for _, c := range r.Changes {
		if c.Path == "old.gen.go" && (string(c.Old) != "package main // old\n" || c.New != nil) {
			t.Errorf("old.gen.go: Old %q, New %q; want the deleted content and nil", c.Old, c.New)
		}
	}
	if !r.Changed() || r.Count(Deleted) != 2 {
		t.Errorf("Changed() = %v, Count(Deleted) = %d; want true, 2", r.Changed(), r.Count(Deleted))
	}
	got := snapshot(t, dir)
	for _, p := range []string{"old.gen.go", "docs/old.txt"} {
		if _, ok := got[p]; ok {
			t.Errorf("%s is still there", p)
		}
	}
	for k := range got {
		if strings.Contains(k, stagePrefix) {
			t.Errorf("leftover %s", k)
		}
	}
	if _, ok := got["docs"]; !ok {
		t.Error("the folder of a deleted file was removed")
	}

	// Nothing left to delete: nothing changes.
	r, err = Write(dir, sample(), opts)
	if err != nil || r.Changed() {
		t.Errorf("again: %v, %+v", err, r)
	}
}

func TestWriteDeleteInFreshFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	r, err := Write(dir, sample(), Options{Delete: []string{"old.gen.go"}})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Fresh || r.Count(Created) != 4 || len(r.Changes) != 4 {
		t.Errorf("report = %+v, want 4 created, fresh", r)
	}
}
