package write

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// deadPID is a process id no process has (above every system's limit).
const deadPID = 1 << 30

// asKilledRun makes the temporary files Write makes look like those of a
// run that was killed, and sets beforeRename to hook, until the test ends.
func asKilledRun(t *testing.T, hook func(target string)) {
	t.Helper()
	oldPID, oldHook := tempPID, beforeRename
	tempPID, beforeRename = deadPID, hook
	t.Cleanup(func() { tempPID, beforeRename = oldPID, oldHook })
}

// copyTree copies the files and folders under src to dst, as a process
// killed at that moment would leave them.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(to, info.Mode().Perm())
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// contents returns every file and folder under root with its content.
func contents(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for p, e := range snapshot(t, root) {
		out[p] = e.Content
	}
	return out
}

// withManifest is sample with a manifest, whose content is v.
func withManifest(v string) []File {
	return append(sample(), File{Path: manifestName, Content: []byte("version: " + v + "\n"), Keep: true})
}

// changed is withManifest("2") with every generated file changed, a new
// file, and the files of withManifest("1") to delete.
func changed() ([]File, Options) {
	files := withManifest("2")
	for i := range files {
		if !files[i].Keep {
			files[i].Content = append(files[i].Content, "// v2\n"...)
		}
	}
	files = append(files, File{Path: "z.gen.go", Content: []byte("package main // z\n")})
	return files, Options{Last: manifestName, Force: true, Delete: []string{"old.gen.go"}}
}

// TestWriteManifestRenamedLast: an update and a new project in an empty folder
// rename the manifest into place after every other file.
func TestWriteManifestRenamedLast(t *testing.T) {
	for _, fresh := range []bool{false, true} {
		t.Run("fresh="+strconv.FormatBool(fresh), func(t *testing.T) {
			dir := t.TempDir()
			files := withManifest("1")
			if !fresh {
				_, err := Write(dir, files, Options{Last: manifestName})
				must(t, err)
				files, _ = changed()
			}
			var order []string
			asKilledRun(t, func(target string) { order = append(order, filepath.Base(target)) })
			_, err := Write(dir, files, Options{Last: manifestName, Force: true})
			must(t, err)
			if len(order) < 3 || order[len(order)-1] != manifestName {
				t.Errorf("renamed in the order %v, want %s last", order, manifestName)
			}
		})
	}
}

// TestWriteKilledUpdateCompletes plays a run killed before each rename: the
// project keeps the old manifest, and the next Write (Occupied ignoring the
// leftovers) completes the update and removes every temporary file.
func TestWriteKilledUpdateCompletes(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "fn")
	_, err := Write(dir, withManifest("1"), Options{Last: manifestName})
	must(t, err)
	must(t, os.WriteFile(filepath.Join(dir, "old.gen.go"), []byte("old\n"), 0o644))
	files, opts := changed()

	var kills []string
	asKilledRun(t, func(string) {
		k := filepath.Join(root, "killed"+strconv.Itoa(len(kills)))
		copyTree(t, dir, k)
		kills = append(kills, k)
	})
	_, err = Write(dir, files, opts)
	must(t, err)
	want := contents(t, dir)
	if len(kills) != 4 { // main.gen.go, docs/gen.txt, z.gen.go, the manifest
		t.Fatalf("%d renames, want 4", len(kills))
	}
	for i, k := range kills {
		if got := contents(t, k)[manifestName]; got != "version: 1\n" {
			t.Errorf("killed after %d renames: the manifest is %q, want the old one", i, got)
		}
		if _, err := Write(k, files, opts); err != nil {
			t.Errorf("killed after %d renames: the next Write: %v", i, err)
			continue
		}
		if got := contents(t, k); !reflect.DeepEqual(got, want) {
			t.Errorf("killed after %d renames, then written again:\n%v\nwant\n%v", i, got, want)
		}
	}
}

// TestWriteKilledNewCompletes plays a new project killed before each move into
// the target: an empty folder (the entries are moved one by one) and a
// missing one (the staging folder is renamed). The folder holds no
// manifest, counts as empty or as resumable for EmptyOnly, and the next
// Write completes the project and removes the staging folder.
func TestWriteKilledNewCompletes(t *testing.T) {
	files := withManifest("1")
	for _, missing := range []bool{false, true} {
		t.Run("missing="+strconv.FormatBool(missing), func(t *testing.T) {
			root := t.TempDir()
			parent := filepath.Join(root, "p")
			dir := filepath.Join(parent, "fn")
			must(t, os.MkdirAll(dir, 0o755))
			if missing {
				must(t, os.Remove(dir))
			}
			var kills []string
			asKilledRun(t, func(string) {
				k := filepath.Join(root, "killed"+strconv.Itoa(len(kills)))
				copyTree(t, parent, k)
				kills = append(kills, k)
			})
			_, err := Write(dir, files, Options{Last: manifestName, EmptyOnly: true})
			must(t, err)
			want := contents(t, parent)
			for i, k := range kills {
				kdir := filepath.Join(k, "fn")
				if _, err := os.Stat(filepath.Join(kdir, manifestName)); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("killed after %d moves: the manifest is there (%v)", i, err)
				}
				if _, err := Write(kdir, files, Options{Last: manifestName, EmptyOnly: true}); err != nil {
					t.Errorf("killed after %d moves: the next Write: %v", i, err)
					continue
				}
				if got := contents(t, k); !reflect.DeepEqual(got, want) {
					t.Errorf("killed after %d moves, then written again:\n%v\nwant\n%v", i, got, want)
				}
			}
		})
	}
}

// TestWriteNotResumable: EmptyOnly still refuses a folder with anything but a
// part of the files: a file of another content, another file, the
// manifest, or the temporary file of a run still going.
func TestWriteNotResumable(t *testing.T) {
	files := withManifest("1")
	for name, setup := range map[string]func(dir string){
		"other content": func(dir string) { must(t, os.WriteFile(filepath.Join(dir, "handler.go"), []byte("x"), 0o644)) },
		"other file":    func(dir string) { must(t, os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o644)) },
		"other folder":  func(dir string) { must(t, os.Mkdir(filepath.Join(dir, "src"), 0o755)) },
		"manifest": func(dir string) {
			must(t, os.WriteFile(filepath.Join(dir, manifestName), []byte("version: 1\n"), 0o644))
		},
		"live run": func(dir string) {
			must(t, os.WriteFile(filepath.Join(dir, stagePrefix+strconv.Itoa(os.Getpid())+"-1"), nil, 0o644))
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			must(t, os.WriteFile(filepath.Join(dir, "main.gen.go"), []byte("package main // gen\n"), 0o644))
			setup(dir)
			before := snapshot(t, dir)
			_, err := Write(dir, files, Options{Last: manifestName, EmptyOnly: true})
			var ne *NotEmptyError
			if !errors.As(err, &ne) {
				t.Fatalf("err = %v, want *NotEmptyError", err)
			}
			assertSame(t, before, snapshot(t, dir), true)
		})
	}
}

// TestWriteLeftovers: Occupied ignores the temporary files and folders of
// killed runs, not those of a live one or anything else; Write removes
// them from the folders it writes into.
func TestWriteLeftovers(t *testing.T) {
	dir := t.TempDir()
	dead := stagePrefix + strconv.Itoa(deadPID) + "-"
	must(t, os.Mkdir(filepath.Join(dir, dead+"1"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, dead+"1", "main.gen.go"), nil, 0o644))
	must(t, os.WriteFile(filepath.Join(dir, dead+"2"), nil, 0o644))
	if occ, err := Occupied(dir); occ || err != nil {
		t.Errorf("Occupied with leftovers only = %v, %v; want false", occ, err)
	}
	for _, name := range []string{stagePrefix + strconv.Itoa(os.Getpid()) + "-3", ".direktiv-fn-tmp-x", ".direktiv-fn-tmp-12"} {
		p := filepath.Join(dir, name)
		must(t, os.WriteFile(p, nil, 0o644))
		if occ, err := Occupied(dir); !occ || err != nil {
			t.Errorf("Occupied with %s = %v, %v; want true", name, occ, err)
		}
		must(t, os.Remove(p))
	}
	must(t, os.Mkdir(filepath.Join(dir, "docs"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "docs", dead+"4"), nil, 0o644))
	_, err := Write(dir, sample(), Options{Last: manifestName, EmptyOnly: true})
	must(t, err)
	for p := range snapshot(t, dir) {
		if strings.Contains(p, stagePrefix) {
			t.Errorf("%s was left", p)
		}
	}
}

// TestWriteManifestChangedMeanwhile: with Options.Manifest, a manifest changed
// by another run, before Write or just before its manifest is renamed into
// place, fails the Write with ErrManifestChanged and writes nothing.
func TestWriteManifestChangedMeanwhile(t *testing.T) {
	for _, late := range []bool{false, true} {
		t.Run("late="+strconv.FormatBool(late), func(t *testing.T) {
			dir := t.TempDir()
			_, err := Write(dir, withManifest("1"), Options{Last: manifestName})
			must(t, err)
			manifest := filepath.Join(dir, manifestName)
			read, err := os.ReadFile(manifest)
			must(t, err)
			other := []byte("version: other\n")
			if !late {
				must(t, os.WriteFile(manifest, other, 0o644))
			}
			before := contents(t, dir)
			before[manifestName] = string(other)
			asKilledRun(t, func(target string) {
				if late && filepath.Base(target) == manifestName {
					must(t, os.WriteFile(manifest, other, 0o644))
				}
			})
			files, opts := changed()
			opts.Manifest = read
			_, err = Write(dir, files, opts)
			if !errors.Is(err, ErrManifestChanged) {
				t.Fatalf("err = %v, want ErrManifestChanged", err)
			}
			if !strings.Contains(err.Error(), "direktiv-fn.yaml changed while this command ran (another direktiv-fn?): nothing was written; run it again") {
				t.Errorf("message: %v", err)
			}
			if after := contents(t, dir); !reflect.DeepEqual(after, before) {
				t.Errorf("after:\n%v\nwant\n%v", after, before)
			}
		})
	}
}
