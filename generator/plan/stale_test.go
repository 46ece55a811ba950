package plan

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator"
	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/diff"
	"github.com/direktiv-fn/direktiv-fn/generator/internal/fixture"
	"github.com/direktiv-fn/direktiv-fn/generator/manifest"
)

// switchMode returns m read back with its mode changed, as a user edits the
// manifest.
func switchMode(t *testing.T, disk Existing, to config.Mode) *manifest.Manifest {
	t.Helper()
	m, err := generator.LoadManifest(config.ManifestFile, disk[config.ManifestFile])
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(disk[config.ManifestFile]), "mode: "+string(m.Mode), "mode: "+string(to), 1)
	disk[config.ManifestFile] = []byte(edited)
	m, err = generator.LoadManifest(config.ManifestFile, disk[config.ManifestFile])
	if err != nil {
		t.Fatal(err)
	}
	if m.Mode != to {
		t.Fatalf("mode %s after the edit, want %s", m.Mode, to)
	}
	return m
}

// applyUpdate puts an update on disk as the writer would.
func applyUpdate(disk Existing, u *Plan) {
	for _, f := range u.Files {
		if f.Policy != config.ScaffoldOnce || disk[f.Path] == nil {
			disk[f.Path] = f.Content
		}
	}
	for _, p := range u.Delete {
		delete(disk, p)
	}
}

// recordOf returns the record of the manifest among files.
func recordOf(t *testing.T, files map[string]config.File) map[string]string {
	t.Helper()
	m, err := generator.LoadManifest(config.ManifestFile, files[config.ManifestFile].Content)
	if err != nil {
		t.Fatal(err)
	}
	return m.Last.Files
}

func TestPlanUpdateModeChange(t *testing.T) {
	for _, tt := range []struct{ from, to config.Mode }{{config.ModeKnative, config.ModeIsolated}, {config.ModeIsolated, config.ModeKnative}} {
		t.Run(string(tt.from)+" to "+string(tt.to), func(t *testing.T) {
			cfg := fixture.RichConfig(t, tt.from)
			disk, _ := project(t, cfg)
			m := switchMode(t, disk, tt.to)
			oldGlue := map[config.Mode][]string{
				config.ModeKnative:  {"internal/fn/server.gen.go", "internal/fn/sidecar.gen.go", "server.gen.go", "server.gen_test.go"},
				config.ModeIsolated: {"internal/fn/isolated.gen.go", "isolated.gen.go", "isolated.gen_test.go"},
			}

			u, files := regenerate(t, m, cfg, disk, Options{})
			if err := u.Err(); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(u.Delete, oldGlue[tt.from]) || len(u.Stale) != 0 {
				t.Errorf("delete %v, stale %v; want delete %v", u.Delete, u.Stale, oldGlue[tt.from])
			}
			for _, p := range oldGlue[tt.to] {
				if _, ok := files[p]; !ok {
					t.Errorf("the new mode's %s is not written", p)
				}
			}
			rec := recordOf(t, files)
			for _, p := range oldGlue[tt.from] {
				if _, ok := rec[p]; ok {
					t.Errorf("the manifest still records the deleted %s", p)
				}
			}

			// Once applied, the next generation has nothing to do.
			applyUpdate(disk, u)
			u, files = regenerate(t, m, cfg, disk, Options{})
			if len(u.Delete)+len(u.Stale) != 0 {
				t.Errorf("again: delete %v, stale %v", u.Delete, u.Stale)
			}
			for p, f := range files {
				if f.Policy != config.ScaffoldOnce && !bytes.Equal(f.Content, disk[p]) {
					t.Errorf("again: %s would change", p)
				}
			}
		})
	}
}

func TestPlanUpdateStaleHandEdited(t *testing.T) {
	cfg := fixture.RichConfig(t, config.ModeKnative)
	disk, m0 := project(t, cfg)
	recorded := m0.Last.Files["server.gen.go"]
	disk["server.gen.go"] = append(disk["server.gen.go"], "// mine\n"...)
	m := switchMode(t, disk, config.ModeIsolated)

	u, files := regenerate(t, m, cfg, disk, Options{})
	if err := u.Err(); err != nil {
		t.Fatalf("a stale hand edit stops the generation: %v", err)
	}
	if strings.Join(u.Delete, ",") != "internal/fn/server.gen.go,internal/fn/sidecar.gen.go,server.gen_test.go" || strings.Join(u.Stale, ",") != "server.gen.go" {
		t.Fatalf("delete %v, stale %v; want server.gen_test.go deleted, server.gen.go kept", u.Delete, u.Stale)
	}
	if _, ok := files["server.gen.go"]; ok {
		t.Error("the kept stale file is among the files to write")
	}
	// The manifest keeps the file's record, with the digest of what was
	// generated, so that the next generation reports it again.
	if got := recordOf(t, files)["server.gen.go"]; got != recorded {
		t.Errorf("record of the kept file %q, want %q", got, recorded)
	}
	// The stamp was rendered for that manifest.
	if !bytes.Contains(files["generate.gen_test.go"].Content, []byte(generator.ManifestStampHash(files[config.ManifestFile].Content))) {
		t.Error("the stamp does not hold the digest of the manifest that keeps the stale record")
	}

	// The next generation reports it again and writes nothing new.
	applyUpdate(disk, u)
	m2, err := generator.LoadManifest(config.ManifestFile, disk[config.ManifestFile])
	if err != nil {
		t.Fatal(err)
	}
	again, files2 := regenerate(t, m2, cfg, disk, Options{})
	if len(again.Delete) != 0 || strings.Join(again.Stale, ",") != "server.gen.go" {
		t.Errorf("again: delete %v, stale %v", again.Delete, again.Stale)
	}
	for p, f := range files2 {
		if f.Policy != config.ScaffoldOnce && !bytes.Equal(f.Content, disk[p]) {
			t.Errorf("again: %s would change:\n%s", p, diff.Unified("disk", "new", disk[p], f.Content))
		}
	}

	// --force deletes it, and the manifest forgets it.
	forced, files3 := regenerate(t, m2, cfg, disk, Options{Force: true})
	if strings.Join(forced.Delete, ",") != "server.gen.go" || strings.Join(forced.Stale, ",") != "server.gen.go" || forced.Err() != nil {
		t.Errorf("forced: delete %v, stale %v, err %v", forced.Delete, forced.Stale, forced.Err())
	}
	if _, ok := recordOf(t, files3)["server.gen.go"]; ok {
		t.Error("forced: the manifest still records the deleted file")
	}

	// Deleted by hand instead, it is forgotten.
	delete(disk, "server.gen.go")
	gone, files4 := regenerate(t, m2, cfg, disk, Options{})
	if len(gone.Delete)+len(gone.Stale) != 0 {
		t.Errorf("deleted by hand: delete %v, stale %v", gone.Delete, gone.Stale)
	}
	if _, ok := recordOf(t, files4)["server.gen.go"]; ok {
		t.Error("deleted by hand: the manifest still records it")
	}
}

func TestStaleFilesNeverUserFiles(t *testing.T) {
	cfg := fixture.RichConfig(t, config.ModeKnative)
	disk, m := project(t, cfg)
	// A manifest that claims user files as generated, with their digests,
	// and a generation that does not produce them: still not deleted.
	var files []config.File
	for p, b := range disk {
		switch p {
		case "handler.go", "Dockerfile", "input.schema.json", config.ManifestFile, "generate.gen_test.go", "server.gen.go":
			m.Last.Files[p] = manifest.Hash(b)
		default:
			files = append(files, config.File{Path: p, Content: b})
		}
	}
	unmodified, edited := StaleFiles(m, cfg, files, disk)
	if strings.Join(unmodified, ",") != "server.gen.go" || len(edited) != 0 {
		t.Errorf("unmodified %v, edited %v; want only server.gen.go", unmodified, edited)
	}
}

func TestPlanReplace(t *testing.T) {
	cfg := fixture.RichConfig(t, config.ModeKnative)
	disk, prev := project(t, cfg)
	disk["server.gen_test.go"] = append(disk["server.gen_test.go"], "// mine\n"...)
	delete(disk, "internal/fn/call.gen.go") // gone already: nothing to do

	next := cfg
	next.Mode = config.ModeIsolated
	r, err := generator.Render(next, nil)
	if err != nil {
		t.Fatal(err)
	}
	files := r.Files
	u, err := Make(prev, r, disk, Options{Replace: true})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(u.Delete, ",") != "internal/fn/server.gen.go,internal/fn/sidecar.gen.go,server.gen.go" || strings.Join(u.Stale, ",") != "server.gen_test.go" {
		t.Errorf("delete %v, stale %v", u.Delete, u.Stale)
	}
	byPath := map[string]config.File{}
	for _, f := range u.Files {
		byPath[f.Path] = f
	}
	if len(byPath) != len(files) {
		t.Errorf("%d files, want the %d generated", len(byPath), len(files))
	}
	rec := recordOf(t, byPath)
	if _, ok := rec["server.gen.go"]; ok {
		t.Error("the new manifest records the deleted server.gen.go")
	}
	if rec["server.gen_test.go"] != prev.Last.Files["server.gen_test.go"] {
		t.Error("the new manifest does not keep the record of the kept server.gen_test.go")
	}
	if _, ok := rec["isolated.gen.go"]; !ok {
		t.Error("the new manifest does not record isolated.gen.go")
	}

	// Nothing stale: the files are Generate's, untouched.
	r, err = generator.Render(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	same, err := Make(prev, r, disk, Options{Replace: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(same.Delete)+len(same.Stale) != 0 {
		t.Errorf("same mode: delete %v, stale %v", same.Delete, same.Stale)
	}
}
