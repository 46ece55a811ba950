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

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/diff"
	"github.com/direktiv-fn/direktiv-fn/generator/direktiv"
	"github.com/direktiv-fn/direktiv-fn/generator/internal/fixture"
	"github.com/direktiv-fn/direktiv-fn/generator/manifest"
)

// manifestOf returns the manifest among files.
func manifestOf(t *testing.T, files []config.File) []byte {
	t.Helper()
	for _, f := range files {
		if f.Path == config.ManifestFile {
			return f.Content
		}
	}
	t.Fatal("no manifest among the files")
	return nil
}

// TestRegenerateIsIdempotent: reading back the manifest of a generation and
// regenerating from it renders every file byte for byte the same.
func TestRegenerateIsIdempotent(t *testing.T) {
	for _, mode := range config.Modes {
		t.Run(string(mode), func(t *testing.T) {
			cfg := fixture.RichConfig(t, mode)
			first, err := Generate(cfg)
			if err != nil {
				t.Fatal(err)
			}
			m, err := LoadManifest(config.ManifestFile, manifestOf(t, first))
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
					t.Errorf("%s differs after a round trip:\n%s", first[i].Path, diff.Unified("first", "again", first[i].Content, again[i].Content))
				}
			}
		})
	}
}

// userManifest is a manifest as a user may have edited it.
const userManifest = fixture.UserManifest

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
	m, err := LoadManifest(config.ManifestFile, []byte(v1Manifest))
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
	out, err := m.Render("dev", &manifest.Record{Files: m.Last.Files})
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	for _, want := range []string{
		"# " + manifest.SchemaModeline + "\n",
		"version: 2\n",
		"  - name: badInput # mine\n",
		"generated:\n  files:\n    call.gen.go: sha256:d2b3",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("migrated manifest lacks %q:\n%s", want, got)
		}
	}
	if _, err := LoadManifest(config.ManifestFile, out); err != nil {
		t.Errorf("the migrated manifest does not load: %v", err)
	}
	validate(t, "migrated", out)
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
	if err := c.AddResource(manifest.SchemaURL, s); err != nil {
		t.Fatal(err)
	}
	compiled, err := c.Compile(manifest.SchemaURL)
	if err != nil {
		t.Fatal(err)
	}
	return compiled
}

// TestManifestSchema validates real manifests (every golden one, and those
// of this file) against manifest.schema.json, and checks that it refuses
// what LoadManifest refuses.
func TestManifestSchema(t *testing.T) {
	goldens, _ := filepath.Glob("../golden/*/want/" + config.ManifestFile)
	steps, _ := filepath.Glob("../golden/*/steps/*/want/" + config.ManifestFile)
	for _, p := range append(goldens, steps...) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		validate(t, p, b)
	}
	for _, mode := range config.Modes {
		files, err := Generate(fixture.RichConfig(t, mode))
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
		if _, err := LoadManifest(config.ManifestFile, []byte(bad)); err == nil {
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
		m, err := LoadManifest(config.ManifestFile, []byte(fmt.Sprintf(base, tt.mode, tt.extra)))
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
