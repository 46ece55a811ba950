package generator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/direktiv-fn/direktiv-fn/generator/direktiv"
)

// manifestOf returns the manifest among files.
func manifestOf(t *testing.T, files []File) []byte {
	t.Helper()
	for _, f := range files {
		if f.Path == ManifestFile {
			return f.Content
		}
	}
	t.Fatal("no manifest among the files")
	return nil
}

// TestRegenerateIsIdempotent: reading back the manifest of a generation and
// regenerating from it renders every file byte for byte the same.
func TestRegenerateIsIdempotent(t *testing.T) {
	for _, mode := range Modes {
		t.Run(string(mode), func(t *testing.T) {
			cfg := richConfig(t, mode)
			first, err := Generate(cfg)
			if err != nil {
				t.Fatal(err)
			}
			m, err := LoadManifest(ManifestFile, manifestOf(t, first))
			if err != nil {
				t.Fatal(err)
			}
			if m.Migrated() {
				t.Error("a new manifest counts as migrated")
			}
			next := m.Config()
			next.SchemaData, next.Schema, next.Version = cfg.SchemaData, cfg.Schema, cfg.Version
			again, err := Regenerate(m, next)
			if err != nil {
				t.Fatal(err)
			}
			if len(first) != len(again) {
				t.Fatalf("%d files, then %d", len(first), len(again))
			}
			for i := range first {
				if first[i].Path != again[i].Path || !bytes.Equal(first[i].Content, again[i].Content) {
					t.Errorf("%s differs after a round trip:\n%s", first[i].Path, UnifiedDiff("first", "again", first[i].Content, again[i].Content))
				}
			}
		})
	}
}

const userManifest = `# yaml-language-server: $schema=https://example.com/x.json
# My function. Keep this comment.
version: 2
generator: direktiv-fn v0.1.0 # pinned in CI
id: archive   # the id
mode: knative-workflow
module: example.com/archive
image: registry.example.com/archive:v1
schema: input.schema.json
errors:
  # Returned when the archive is too big.
  - name: tooBig
    description: The archive exceeds the limit.
  - name: gone # deprecated
generated:
  files: {}
  input: {}
  errors: []
`

// TestManifestEditsKeepComments: adding and removing codes goes through the
// node tree, so the user's comments and key order survive.
func TestManifestEditsKeepComments(t *testing.T) {
	m, err := LoadManifest(ManifestFile, []byte(userManifest))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.AddError("badInput", "The input is unusable."); err != nil {
		t.Fatal(err)
	}
	if err := m.RemoveError("gone"); err != nil {
		t.Fatal(err)
	}
	out, err := m.render("v0.2.0", &Record{Files: map[string]string{"errors.gen.go": "sha256:00"}, HasInput: true})
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
	back, err := LoadManifest(ManifestFile, out)
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
	m, err := LoadManifest(ManifestFile, []byte(userManifest))
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
		t.Errorf("a refused edit changed the manifest:\n%s", UnifiedDiff("before", "after", before, after))
	}
}

// v1Manifest is a manifest as direktiv-fn wrote it before version 2.
const v1Manifest = `# direktiv-fn manifest: everything "direktiv-fn generate" replays.
# Edit it (or the schema), then run "direktiv-fn generate".
version: 1
generator: direktiv-fn dev
id: archive
mode: knative-workflow
image: registry.example.com/archive:v1
module: example.com/archive
schema: input.schema.json
errors:
  - code: badInput # mine
    description: The archive cannot be built.
generated:
  call.gen.go: sha256:d2b3a8a1b35002229eb6453f2d95e88f71b2f64f8653b03b0c3c2fd2bc5686ed
  errors.gen.go: sha256:5d43e702d87ea253f90e65c1ca933e379ef8cf9db828a3b2b707d671d6090036
`

func TestManifestMigratesVersion1(t *testing.T) {
	m, err := LoadManifest(ManifestFile, []byte(v1Manifest))
	if err != nil {
		t.Fatal(err)
	}
	if !m.Migrated() || m.ReadVersion != 1 {
		t.Errorf("ReadVersion %d, Migrated %v", m.ReadVersion, m.Migrated())
	}
	if len(m.Errors) != 1 || m.Errors[0].Name != "badInput" {
		t.Errorf("errors: %+v", m.Errors)
	}
	if m.Last == nil || m.Last.Files["errors.gen.go"] == "" || m.Last.HasInput {
		t.Errorf("record: %+v", m.Last)
	}
	out, err := m.render("dev", &Record{Files: m.Last.Files})
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	for _, want := range []string{
		"# " + schemaModeline + "\n",
		"version: 2\n",
		"  - name: badInput # mine\n",
		"generated:\n  files:\n    call.gen.go: sha256:d2b3",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("migrated manifest lacks %q:\n%s", want, got)
		}
	}
	if _, err := LoadManifest(ManifestFile, out); err != nil {
		t.Errorf("the migrated manifest does not load: %v", err)
	}
	validate(t, "migrated", out)
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
			_, err := LoadManifest(ManifestFile, []byte(tt.manifest))
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

// validate checks a manifest against ManifestSchema.
func validate(t *testing.T, name string, manifest []byte) {
	t.Helper()
	var doc any
	if err := yaml.Unmarshal(manifest, &doc); err != nil {
		t.Fatal(err)
	}
	// Through JSON, so that the validator sees JSON types.
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := manifestSchema(t).Validate(inst); err != nil {
		t.Errorf("%s: the manifest does not match manifest.schema.json: %v\n%s", name, err, manifest)
	}
}

func manifestSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	s, err := jsonschema.UnmarshalJSON(bytes.NewReader(ManifestSchema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(ManifestSchemaURL, s); err != nil {
		t.Fatal(err)
	}
	compiled, err := c.Compile(ManifestSchemaURL)
	if err != nil {
		t.Fatal(err)
	}
	return compiled
}

// TestManifestSchema validates real manifests (every golden one, and those
// of this file) against manifest.schema.json, and checks that it refuses
// what LoadManifest refuses.
func TestManifestSchema(t *testing.T) {
	goldens, _ := filepath.Glob("../golden/*/want/" + ManifestFile)
	steps, _ := filepath.Glob("../golden/*/steps/*/want/" + ManifestFile)
	for _, p := range append(goldens, steps...) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		validate(t, p, b)
	}
	for _, mode := range Modes {
		files, err := Generate(richConfig(t, mode))
		if err != nil {
			t.Fatal(err)
		}
		validate(t, string(mode), manifestOf(t, files))
	}
	validate(t, "user", []byte(userManifest))

	s := manifestSchema(t)
	for _, bad := range []string{
		strings.Replace(userManifest, "version: 2", "version: 3", 1),
		strings.Replace(userManifest, "name: tooBig", "name: panic", 1),
		strings.Replace(userManifest, "name: tooBig", "name: 2big", 1),
		strings.Replace(userManifest, "mode: knative-workflow", "mode: serverless", 1),
		strings.Replace(userManifest, "id: archive", "id: Archive", 1),
		userManifest + "colour: blue\n",
	} {
		var doc any
		if err := yaml.Unmarshal([]byte(bad), &doc); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(doc)
		inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if s.Validate(inst) == nil {
			t.Errorf("manifest.schema.json accepts a bad manifest:\n%s", bad)
		}
		if _, err := LoadManifest(ManifestFile, []byte(bad)); err == nil {
			t.Errorf("LoadManifest accepts a bad manifest:\n%s", bad)
		}
	}
}

// TestManifestDirektiv: the "direktiv" setting selects the era with the
// mode, is checked against it, and the schema offers the table's releases.
func TestManifestDirektiv(t *testing.T) {
	base := "version: 2\nid: fn\nmode: %s\nimage: fn:v1\nmodule: example.com/fn\nschema: input.schema.json\n%s"
	tests := []struct {
		mode, extra, want string // want: era key or error substring
	}{
		{"knative-workflow", "", "knative-v0.8"},
		{"isolated", "", "isolated"},
		{"knative-workflow", "direktiv: v0.7\n", "knative-v0.6"},
		{"knative-workflow", "direktiv: v0.6.1\n", "knative-v0.6"},
		{"isolated", "direktiv: v0.5\n", "isolated"},
		{"isolated", "direktiv: v0.8\n", `direktiv-fn.yaml:7:11: direktiv "v0.8" does not run isolated functions`},
		{"knative-workflow", "direktiv: latest\n", `direktiv-fn.yaml:7:11: direktiv "latest" is not a Direktiv release`},
		{"knative-workflow", "direktive: v0.8\n", `unknown key "direktive" (did you mean "direktiv"?)`},
	}
	for _, tt := range tests {
		m, err := LoadManifest(ManifestFile, []byte(fmt.Sprintf(base, tt.mode, tt.extra)))
		got := ""
		if err == nil {
			e, eerr := m.Config().Era()
			got = e.Key
			if eerr != nil {
				got = eerr.Error()
			}
		} else {
			got = err.Error()
		}
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s %q: got %q, want %q", tt.mode, tt.extra, got, tt.want)
		}
	}
	var s struct {
		Properties map[string]struct {
			Examples []string `json:"examples"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(ManifestSchema, &s); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Properties["direktiv"].Examples, ", "); got != direktiv.Releases() {
		t.Errorf("manifest.schema.json offers %s, the table %s", got, direktiv.Releases())
	}
}

// TestManifestSetImage pins the image to a digest, keeping the line's
// comment; an invalid reference is refused and changes nothing.
func TestManifestSetImage(t *testing.T) {
	text := strings.Replace(userManifest, "image: registry.example.com/archive:v1\n", "image: registry.example.com/archive:v1 # where CI pushes\n", 1)
	m, err := LoadManifest(ManifestFile, []byte(text))
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
	out, err := m.render("dev", &Record{Files: map[string]string{}, HasInput: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "image: "+pinned+" # where CI pushes\n") {
		t.Errorf("the pinned image is not in the manifest:\n%s", out)
	}
	back, err := LoadManifest(ManifestFile, out)
	if err != nil || back.Image != pinned || back.Config().Image != pinned {
		t.Errorf("read back: %v, %q", err, back.Image)
	}
}
