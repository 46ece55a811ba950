package manifest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/diff"
	"gopkg.in/yaml.v3"
)

// TestManifestEditsKeepComments: adding and removing codes goes through the
// node tree, so the user's comments and key order survive.
func TestManifestEditsKeepComments(t *testing.T) {
	m, err := load(config.ManifestFile, []byte(userManifest))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.AddError("badInput", "The input is unusable."); err != nil {
		t.Fatal(err)
	}
	if err := m.RemoveError("gone"); err != nil {
		t.Fatal(err)
	}
	out, err := m.Render("v0.2.0", &Record{Files: map[string]string{"errors.gen.go": "sha256:00"}, HasInput: true})
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	for _, want := range []string{
		"# My function. Keep this comment.\n",
		"id: archive # the id\n",
		"module: example.com/archive\nimage: registry.example.com/archive:v1\n",
		"  # Returned when the archive is too big.\n  - name: tooBig\n",
		"  - name: badInput\n    description: The input is unusable.\n",
		"generator: direktiv-fn v0.2.0 # pinned in CI\n",
		"    errors.gen.go: sha256:00\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("manifest lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "gone") {
		t.Errorf("removed code still there:\n%s", got)
	}
	back, err := load(config.ManifestFile, out)
	if err != nil {
		t.Fatalf("the edited manifest does not load: %v\n%s", err, got)
	}
	if len(back.Errors) != 2 || back.Errors[1].Name != "badInput" {
		t.Errorf("errors read back: %+v", back.Errors)
	}
}

// TestManifestEditRefusals: duplicates, built-ins, constant collisions and
// unknown codes are refused and leave the manifest as it was.
func TestManifestEditRefusals(t *testing.T) {
	m, err := load(config.ManifestFile, []byte(userManifest))
	if err != nil {
		t.Fatal(err)
	}
	before, _ := yaml.Marshal(m.doc)
	for _, tt := range []struct {
		name string
		do   func() error
		want string
	}{
		{"duplicate", func() error { return m.AddError("tooBig", "") }, `error code "tooBig" already exists (direktiv-fn.yaml:12:11)`},
		{"builtin", func() error { return m.AddError("failed", "") }, `error code "failed" is built in: choose another name`},
		{"invalid", func() error { return m.AddError("2fa", "") }, `invalid error code "2fa"`},
		{"constant", func() error { return m.AddError("too-big", "") }, `error code "too-big" would become the Go constant ErrTooBig, like "tooBig" (direktiv-fn.yaml:12:11)`},
		{"remove unknown", func() error { return m.RemoveError("nope") }, `no error code "nope" in direktiv-fn.yaml (it has tooBig, gone)`},
		{"remove builtin", func() error { return m.RemoveError("panic") }, `error code "panic" is built in: it cannot be removed`},
	} {
		err := tt.do()
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
	after, _ := yaml.Marshal(m.doc)
	if !bytes.Equal(before, after) {
		t.Errorf("a refused edit changed the manifest:\n%s", diff.Unified("before", "after", before, after))
	}
}

func TestManifestRefusals(t *testing.T) {
	for _, tt := range []struct {
		name, manifest, want string
	}{
		{"newer", strings.Replace(userManifest, "version: 2", "version: 3", 1),
			"direktiv-fn.yaml:3:10: the manifest is version 3, written by a newer direktiv-fn (direktiv-fn v0.1.0); this one reads versions 1 to 2: upgrade direktiv-fn (go install github.com/direktiv-fn/direktiv-fn@latest)"},
		{"no version", "id: x\n", "direktiv-fn.yaml:1:1: the manifest has no version: it was not written by direktiv-fn"},
		{"bad version", "version: two\n", `direktiv-fn.yaml:1:10: version "two" is not a manifest version (1 to 2)`},
		{"not a mapping", "- a\n", "direktiv-fn.yaml:1:1: the manifest must be a YAML mapping"},
		{"syntax", "version: 2\n id: [\n", "direktiv-fn.yaml:2:1: "},
		{"values", strings.NewReplacer(
			"image: registry.example.com/archive:v1", `image: "UPPER/x::v1"`,
			"module: example.com/archive", "module: fmt",
			"schema: input.schema.json", "schema: errors.gen.go",
		).Replace(userManifest), strings.Join([]string{
			`direktiv-fn.yaml:8:8: invalid image "UPPER/x::v1"`,
			`direktiv-fn.yaml:7:9: module path "fmt" collides with the standard library's "fmt"`,
			`direktiv-fn.yaml:9:9: schema "errors.gen.go": that is a file direktiv-fn writes`,
		}, "\n")},
		{"record", "version: 2\nid: x\nmode: knative-workflow\nimage: x\nmodule: x\nschema: x.json\ngenerated:\n  errors: [{name: boom}, 7, ok]\n",
			`direktiv-fn.yaml:8:12: generated.errors: want an error code name, like badInput; "generated" is direktiv-fn's record` + "\n" +
				`direktiv-fn.yaml:8:26: generated.errors: want an error code name`},
		{"every problem, positioned", `version: 2
id: My.Func
mode: serverless
image: ""
schema: ../input.json
colour: blue
errors:
  - name: bad input
  - name: panic
  - name: x
  - name: x
  - nom: y
generated:
  files:
    ../../etc/passwd: sha256:00
`, strings.Join([]string{
			`direktiv-fn.yaml:2:5: invalid function id "My.Func"`,
			`direktiv-fn.yaml:3:7: invalid mode "serverless"`,
			`direktiv-fn.yaml:4:8: image is empty`,
			`direktiv-fn.yaml:5:9: schema "../input.json": the path must be relative, slash-separated and inside the repository`,
			`direktiv-fn.yaml:6:1: unknown key "colour"`,
			`direktiv-fn.yaml:8:11: invalid error code "bad input"`,
			`direktiv-fn.yaml:9:11: error code "panic" is built in: choose another name`,
			`direktiv-fn.yaml:11:11: error code "x" is defined twice (first at direktiv-fn.yaml:10:11)`,
			`direktiv-fn.yaml:12:5: errors: unknown key "nom" (known: name, description)`,
			`direktiv-fn.yaml:15:5: generated.files: "../../etc/passwd" is not a path inside the repository`,
			`direktiv-fn.yaml:1:1: the manifest has no "module"`,
		}, "\n")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(config.ManifestFile, []byte(tt.manifest))
			if err == nil {
				t.Fatal("no error")
			}
			for _, want := range strings.Split(tt.want, "\n") {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q:\n%v", want, err)
				}
			}
		})
	}
}

// TestManifestSetImage pins the image to a digest, keeping the line's
// comment; an invalid reference is refused and changes nothing.
func TestManifestSetImage(t *testing.T) {
	text := strings.Replace(userManifest, "image: registry.example.com/archive:v1\n", "image: registry.example.com/archive:v1 # where CI pushes\n", 1)
	m, err := load(config.ManifestFile, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.SetImage("Not An Image"); err == nil || !strings.Contains(err.Error(), `invalid image "Not An Image"`) || m.Image != "registry.example.com/archive:v1" {
		t.Errorf("an invalid image: %v, image now %q", err, m.Image)
	}
	pinned := "registry.example.com/archive:v1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	if err := m.SetImage(pinned); err != nil {
		t.Fatal(err)
	}
	out, err := m.Render("dev", &Record{Files: map[string]string{}, HasInput: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "image: "+pinned+" # where CI pushes\n") {
		t.Errorf("the pinned image is not in the manifest:\n%s", out)
	}
	back, err := load(config.ManifestFile, out)
	if err != nil || back.Image != pinned || back.Config().Image != pinned {
		t.Errorf("read back: %v, %q", err, back.Image)
	}
}

// load is Load with errors.gen.go as the one generated file.
func load(file string, data []byte) (*Manifest, error) {
	return Load(file, data, func(p string) bool { return p == "errors.gen.go" })
}
