package plan

import (
	"bytes"
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator"
	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/internal/fixture"
	"github.com/direktiv-fn/direktiv-fn/generator/manifest"
)

// project is a generated repository in memory: the files of a generation of
// cfg, as they would be on disk, and its manifest read back.
func project(t *testing.T, cfg config.Config) (Existing, *manifest.Manifest) {
	t.Helper()
	files, err := generator.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	disk := Existing{}
	for _, f := range files {
		disk[f.Path] = f.Content
	}
	m, err := generator.LoadManifest(config.ManifestFile, disk[config.ManifestFile])
	if err != nil {
		t.Fatal(err)
	}
	return disk, m
}

// regenerate renders for m with cfg's schema and plans, as generate does.
func regenerate(t *testing.T, m *manifest.Manifest, cfg config.Config, disk Existing, opts Options) (*Plan, map[string]config.File) {
	t.Helper()
	next := m.Config()
	next.SchemaData, next.Schema, next.Version = cfg.SchemaData, cfg.Schema, cfg.Version
	r, err := generator.Render(next, m)
	if err != nil {
		t.Fatal(err)
	}
	u, err := Make(m, r, disk, opts)
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]config.File{}
	for _, f := range u.Files {
		byPath[f.Path] = f
	}
	return u, byPath
}

func TestPlan(t *testing.T) {
	cfg := fixture.RichConfig(t, config.ModeKnative)

	t.Run("unchanged", func(t *testing.T) {
		disk, m := project(t, cfg)
		u, files := regenerate(t, m, cfg, disk, Options{})
		if u.Err() != nil || len(u.HandEdited)+len(u.Skipped)+len(u.Stale)+len(u.Notes) != 0 || !u.Changes.Empty() {
			t.Errorf("update of an unchanged project: %+v", u)
		}
		for p, f := range files {
			if !bytes.Equal(f.Content, disk[p]) && f.Policy != config.ScaffoldOnce {
				t.Errorf("%s would change", p)
			}
		}
	})

	t.Run("hand edits", func(t *testing.T) {
		disk, m := project(t, cfg)
		disk["errors.gen.go"] = append(disk["errors.gen.go"], "// mine\n"...)
		disk["generate.gen_test.go"] = append(disk["generate.gen_test.go"], "// a stamp: not checked\n"...)
		delete(disk, "internal/fn/call.gen.go")
		m.AddError("tooBig", "") // errors.gen.go changes too
		u, files := regenerate(t, m, cfg, disk, Options{})
		if len(u.HandEdited) != 1 || u.HandEdited[0].Path != "errors.gen.go" || !u.HandEdited[0].Recorded {
			t.Fatalf("hand edits: %+v", u.HandEdited)
		}
		if _, ok := files["errors.gen.go"]; ok {
			t.Error("a hand-edited file is among the files to write")
		}
		if _, ok := files["internal/fn/call.gen.go"]; !ok {
			t.Error("a deleted generated file is not recreated")
		}
		err, ok := u.Err().(*HandEditError)
		if !ok || err.Error() != "generated file errors.gen.go was edited by hand since the last generation: refusing to overwrite" {
			t.Errorf("Err() = %v", u.Err())
		}

		u, files = regenerate(t, m, cfg, disk, Options{Force: true})
		if u.Err() != nil || len(u.HandEdited) != 1 {
			t.Errorf("forced: %v, %+v", u.Err(), u.HandEdited)
		}
		if _, ok := files["errors.gen.go"]; !ok {
			t.Error("forced, the hand-edited file is not written")
		}
	})

	t.Run("a hand edit that generation would make anyway", func(t *testing.T) {
		disk, m := project(t, cfg)
		m.AddError("tooBig", "")
		_, files := regenerate(t, m, cfg, disk, Options{})
		disk["errors.gen.go"] = files["errors.gen.go"].Content
		u, _ := regenerate(t, m, cfg, disk, Options{})
		if len(u.HandEdited) != 0 {
			t.Errorf("hand edits: %+v", u.HandEdited)
		}
	})

	t.Run("CRLF line endings are no hand edit", func(t *testing.T) {
		disk, m := project(t, cfg)
		m.AddError("tooBig", "") // errors.gen.go changes: the recorded hash is what counts
		disk["errors.gen.go"] = bytes.ReplaceAll(disk["errors.gen.go"], []byte("\n"), []byte("\r\n"))
		disk["internal/fn/call.gen.go"] = bytes.ReplaceAll(disk["internal/fn/call.gen.go"], []byte("\n"), []byte("\r\n"))
		u, _ := regenerate(t, m, cfg, disk, Options{})
		if len(u.HandEdited) != 0 {
			t.Errorf("hand edits: %+v", u.HandEdited)
		}
		disk["internal/fn/call.gen.go"] = append(disk["internal/fn/call.gen.go"], "// mine\r\n"...)
		u, _ = regenerate(t, m, cfg, disk, Options{})
		if len(u.HandEdited) != 1 || u.HandEdited[0].Path != "internal/fn/call.gen.go" {
			t.Errorf("a real edit in a CRLF file: %+v", u.HandEdited)
		}
	})

	t.Run("an unrecorded file in the way", func(t *testing.T) {
		disk, m := project(t, cfg)
		delete(m.Last.Files, "generate.gen.go")
		disk["generate.gen.go"] = []byte("package main // mine\n")
		u, _ := regenerate(t, m, cfg, disk, Options{})
		if len(u.HandEdited) != 1 || u.HandEdited[0].Recorded {
			t.Errorf("hand edits: %+v", u.HandEdited)
		}
	})

	t.Run("user files: kept, missing, restored", func(t *testing.T) {
		disk, m := project(t, cfg)
		disk["handler.go"] = []byte("package main // mine\n")
		delete(disk, "handler_test.go")
		u, files := regenerate(t, m, cfg, disk, Options{})
		if strings.Join(u.Skipped, ",") != "handler_test.go" {
			t.Errorf("skipped %v", u.Skipped)
		}
		if f, ok := files["handler.go"]; !ok || f.Policy != config.ScaffoldOnce {
			t.Errorf("handler.go: %+v (the writer keeps a scaffold-once file)", f)
		}
		_, files = regenerate(t, m, cfg, disk, Options{Restore: true})
		if _, ok := files["handler_test.go"]; !ok {
			t.Error("--restore does not recreate handler_test.go")
		}
	})

	t.Run("README regions", func(t *testing.T) {
		disk, m := project(t, cfg)
		readme := string(disk["README.md"])
		if !strings.Contains(readme, "direktiv-fn:errors:begin") {
			t.Skip("the README template has no errors region")
		}
		disk["README.md"] = []byte("# My own title\n\n" + readme + "\nMy notes.\n")
		m.AddError("tooBig", "The archive is too big.")
		u, files := regenerate(t, m, cfg, disk, Options{})
		f := files["README.md"]
		if f.Policy != config.Regions {
			t.Fatalf("README.md: policy %v", f.Policy)
		}
		got := string(f.Content)
		for _, want := range []string{"# My own title\n", "\nMy notes.\n", "`archive.tooBig`", "The archive is too big."} {
			if !strings.Contains(got, want) {
				t.Errorf("README.md lacks %q", want)
			}
		}
		if len(u.Notes) != 0 {
			t.Errorf("notes: %v", u.Notes)
		}

		// Without its markers the README is left alone, with a note.
		disk["README.md"] = []byte("# Mine alone\n")
		u, files = regenerate(t, m, cfg, disk, Options{})
		if files["README.md"].Policy != config.ScaffoldOnce || len(u.Notes) == 0 || !strings.Contains(u.Notes[0], `README.md has no "`) {
			t.Errorf("README without markers: %v %v", files["README.md"].Policy, u.Notes)
		}
	})

	t.Run("stale files and the changes in words", func(t *testing.T) {
		disk, m := project(t, cfg)
		m.Last.Files["old.gen.go"] = manifest.Hash([]byte("x"))
		disk["old.gen.go"] = []byte("x")
		m.Last.Input = append(m.Last.Input[1:], manifest.FieldType{Pointer: "/gone", Type: "string"})
		m.Last.Input[0].Type = "boolean"
		m.AddError("tooBig", "")
		m.Last.Errors = []string{"old"}
		u, _ := regenerate(t, m, cfg, disk, Options{})
		if strings.Join(u.Delete, ",") != "old.gen.go" || len(u.Stale) != 0 {
			t.Errorf("delete %v, stale %v", u.Delete, u.Stale)
		}
		want := []string{
			"input field /name added (string, required)",
			"input field /gone removed (was string)",
			"input field /format changed: boolean -> string (enum)",
			"error code archive.badInput added",
			"error code archive.tooBig added",
			"error code archive.old removed",
			"Go constant ErrTooBig added (errors.gen.go)",
		}
		if got := u.Changes.Lines(); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}
