package generator

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/internal/fixture"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// TestManifestMaxDepth: input.maxDepth in the manifest becomes the
// generated decoder's limit, and stays in the manifest when it is written
// back; without it the limit is DefaultMaxDepth.
func TestManifestMaxDepth(t *testing.T) {
	cfg := fixture.RichConfig(t, config.ModeKnative)
	for _, tt := range []struct {
		setting, want string
	}{
		{"", "decode.New(data, 1000)\n"},
		{"input:\n  maxDepth: 64 # trees are shallow\n", "decode.New(data, 64)\n"},
		{"input:\n", "decode.New(data, 1000)\n"},
	} {
		m, err := LoadManifest(config.ManifestFile, []byte(userManifest+tt.setting))
		if err != nil {
			t.Fatal(err)
		}
		next := m.Config()
		next.SchemaData, next.Schema, next.Version = cfg.SchemaData, cfg.Schema, cfg.Version
		files, err := Regenerate(m, next)
		if err != nil {
			t.Fatal(err)
		}
		var code, manifest string
		for _, f := range files {
			switch f.Path {
			case "input.gen.go":
				code = string(f.Content)
			case config.ManifestFile:
				manifest = string(f.Content)
			}
		}
		if !strings.Contains(code, tt.want) {
			t.Errorf("%q: input.gen.go lacks %q", tt.setting, tt.want)
		}
		if tt.setting != "" && !strings.Contains(manifest, strings.TrimSuffix(tt.setting, "\n")) {
			t.Errorf("%q: the written manifest lost the setting:\n%s", tt.setting, manifest)
		}
		validate(t, tt.setting, []byte(manifest))
	}
}

// TestManifestMaxDepthRefusals: a bad input section is refused at its
// place, by LoadManifest and by manifest.schema.json alike.
func TestManifestMaxDepthRefusals(t *testing.T) {
	s := manifestSchema(t)
	for _, tt := range []struct{ setting, want string }{
		{"input:\n  maxDepth: 0\n", "direktiv-fn.yaml:20:13: input.maxDepth 0: want a whole number from 1 to 10000 (default 1000)"},
		{"input:\n  maxDepth: 20000\n", "direktiv-fn.yaml:20:13: input.maxDepth 20000: want a whole number from 1 to 10000"},
		{"input:\n  maxDepth: deep\n", `direktiv-fn.yaml:20:13: input.maxDepth: want a whole number from 1 to 10000 (default 1000), the deepest nesting of arrays and objects an input may have; got "deep"`},
		{"input:\n  maxDepth: 2.5\n", `direktiv-fn.yaml:20:13: input.maxDepth: want a whole number`},
		{"input:\n  depth: 3\n", `direktiv-fn.yaml:20:3: input: unknown key "depth" (known: maxDepth, formats)`},
		{"input:\n  formats: strict\n", `direktiv-fn.yaml:20:12: input.formats: want assert (the default: the generated decoder checks each format it knows) or annotate (formats are annotations only); got "strict"`},
		{"input: [3]\n", `direktiv-fn.yaml:19:8: input: want a mapping of settings, like {maxDepth: 1000}`},
	} {
		bad := userManifest + tt.setting
		_, err := LoadManifest(config.ManifestFile, []byte(bad))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want %q", tt.setting, err, tt.want)
		}
		var doc any
		if err := yaml.Unmarshal([]byte(bad), &doc); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(doc)
		inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if s.Validate(inst) == nil {
			t.Errorf("manifest.schema.json accepts %q", tt.setting)
		}
	}
}

// TestManifestFormats: input.formats in the manifest decides whether the
// generated decoder asserts "format" (assert, the default) or not
// (annotate, where a date-time stays a string), and stays in the manifest
// when it is written back.
func TestManifestFormats(t *testing.T) {
	cfg := fixture.RichConfig(t, config.ModeKnative)
	for _, tt := range []struct {
		setting string
		assert  bool
	}{
		{"", true},
		{"input:\n  formats: assert\n", true},
		{"input:\n  formats: annotate # as both drafts do\n", false},
		{"input:\n  maxDepth: 64\n  formats: annotate\n", false},
	} {
		m, err := LoadManifest(config.ManifestFile, []byte(userManifest+tt.setting))
		if err != nil {
			t.Fatal(err)
		}
		next := m.Config()
		next.SchemaData, next.Schema, next.Version = cfg.SchemaData, cfg.Schema, cfg.Version
		files, err := Regenerate(m, next)
		if err != nil {
			t.Fatal(err)
		}
		var code, manifest string
		for _, f := range files {
			switch f.Path {
			case "input.gen.go":
				code = string(f.Content)
			case config.ManifestFile:
				manifest = string(f.Content)
			}
		}
		checks := strings.Contains(code, "formats.ParseDateTime(") && strings.Contains(code, "formats.Email(")
		timed := strings.Contains(code, "NotBefore *time.Time")
		if checks != tt.assert || timed != tt.assert {
			t.Errorf("%q: format checks %v, date-time as time.Time %v; want %v", tt.setting, checks, timed, tt.assert)
		}
		if tt.setting != "" && !strings.Contains(manifest, strings.TrimSuffix(tt.setting, "\n")) {
			t.Errorf("%q: the written manifest lost the setting:\n%s", tt.setting, manifest)
		}
		validate(t, tt.setting, []byte(manifest))
	}
}
