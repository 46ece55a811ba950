package generator

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/internal/fixture"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// outputConfig is richConfig with the output schema src.
func outputConfig(t *testing.T, mode config.Mode, src string) config.Config {
	t.Helper()
	cfg := fixture.RichConfig(t, mode)
	doc, err := schema.Parse(config.OutputSchemaFile, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	cfg.OutputSchemaFile, cfg.OutputSchemaData, cfg.OutputSchema = config.OutputSchemaFile, []byte(src), doc
	return cfg
}

// files renders cfg and returns the files by path.
func files(t *testing.T, cfg config.Config) map[string]string {
	t.Helper()
	fs, err := Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range fs {
		out[f.Path] = string(f.Content)
	}
	return out
}

// TestOutputNames: the output's types never take the input's names, and
// adding an output schema renames nothing of the input.
func TestOutputNames(t *testing.T) {
	without := files(t, fixture.RichConfig(t, config.ModeKnative))
	// The rich input schema titles a type "File"; the output uses the title too.
	with := files(t, outputConfig(t, config.ModeKnative, `{"type": "object", "required": ["file"], "properties": {
		"file": {"title": "File", "type": "object", "properties": {"path": {"type": "string"}}},
		"errCount": {"title": "Err count", "enum": ["few", "many"]}}}`))
	if with["input.gen.go"] != without["input.gen.go"] {
		t.Error("input.gen.go changed when an output schema was added")
	}
	out := with["output.gen.go"]
	for _, want := range []string{
		"// Output is the function's output.\ntype Output struct {",
		"\tFile File2 `json:\"file\"`",
		"// File2 is the type of /file (File).\ntype File2 struct {",
		"ErrCount *OutputErrCount `json:\"errCount,omitempty\"`",
		"// decodeOutput decodes the output.\nfunc decodeOutput(d *decode.Decoder, v *Output) {",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output.gen.go lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(with["handler.go"], "type Output") {
		t.Error("handler.go declares Output beside output.gen.go")
	}
	if _, ok := without["output.gen.go"]; ok {
		t.Error("output.gen.go without an output schema")
	}
}

// TestOutputReturnReads: the sample workflow reads each top-level output
// property from .return, quoting the names jq cannot read as .name, and
// the whole output when it is not an object.
func TestOutputReturnReads(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{`{"type": "object", "properties": {"a": {"type": "string"}, "b-c": {"type": "string"}, "d(e)": {"type": "string"}}}`,
			"  transform:\n    a: jq(.return.a)\n    b-c: jq(.return[\"b-c\"])\n    d(e): jq(.return[\"d\\u0028e\\u0029\"])\n"},
		{`{"type": "array", "items": {"type": "string"}}`, "  transform:\n    result: jq(.return)\n"},
		{`{"$ref": "#/$defs/o", "$defs": {"o": {"type": "object", "properties": {"x": {"type": "integer"}}}}}`, "  transform:\n    x: jq(.return.x)\n"},
	} {
		wf := files(t, outputConfig(t, config.ModeIsolated, tt.src))["workflow.yaml"]
		if !strings.Contains(wf, tt.want) {
			t.Errorf("%s: workflow.yaml lacks %q:\n%s", tt.src, tt.want, wf)
		}
	}
}

// TestOutputHandlerFallback: an output sample no Go literal can write (a
// nullable pointer) makes the scaffolded handler decode the sample.
func TestOutputHandlerFallback(t *testing.T) {
	h := files(t, outputConfig(t, config.ModeKnative, `{"type": "object", "required": ["n"], "properties": {"n": {"type": ["integer", "null"]}}}`))["handler.go"]
	if want := "\treturn DecodeOutput([]byte(`{\"n\":0}`))\n"; !strings.Contains(h, want) {
		t.Errorf("handler.go lacks %q:\n%s", want, h)
	}
}

// TestManifestOutput: output.schema in the manifest names the output
// schema, is written back, and is refused at its place when unusable, by
// LoadManifest and manifest.schema.json alike.
func TestManifestOutput(t *testing.T) {
	m, err := LoadManifest(config.ManifestFile, []byte(userManifest+"output:\n  schema: out/output.schema.json # mine\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Config().OutputSchemaFile; got != "out/output.schema.json" {
		t.Errorf("OutputSchemaFile = %q", got)
	}
	if got := len(m.BuiltinErrors()); got != len(config.BuiltinErrors)+1 {
		t.Errorf("%d built-in codes with an output schema, want %d", got, len(config.BuiltinErrors)+1)
	}
	cfg := outputConfig(t, config.ModeKnative, `{"type": "string"}`)
	cfg.OutputSchemaFile = "out/output.schema.json"
	fs, err := Regenerate(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Path == config.ManifestFile && !strings.Contains(string(f.Content), "output:\n  schema: out/output.schema.json # mine\n") {
			t.Errorf("the written manifest lost the setting:\n%s", f.Content)
		}
	}

	s := manifestSchema(t)
	for _, tt := range []struct{ setting, want string }{
		{"output: output.schema.json\n", "direktiv-fn.yaml:19:9: output: want a mapping, like {schema: output.schema.json}"},
		{"output:\n  schema: /abs.json\n", `direktiv-fn.yaml:20:11: output.schema "/abs.json": the path must be relative`},
		{"output:\n  schema: ../x.json\n", `direktiv-fn.yaml:20:11: output.schema "../x.json": the path must be relative`},
		{"output:\n  schema: input.schema.json\n", `direktiv-fn.yaml:20:11: output.schema "input.schema.json": that is the input schema (schema:)`},
		{"output:\n  schema: output.gen.go\n", `direktiv-fn.yaml:20:11: output.schema "output.gen.go": that is a file direktiv-fn writes`},
		{"output:\n  schema: \n", `direktiv-fn.yaml:20:10: output.schema: want the path of the output schema file`},
		{"output:\n  file: o.json\n", `direktiv-fn.yaml:20:3: output: unknown key "file" (known: schema)`},
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
		if strings.Contains(tt.want, "input schema") || strings.Contains(tt.want, "direktiv-fn writes") || strings.Contains(tt.want, "../") {
			continue // beyond what a JSON Schema can say
		}
		if s.Validate(inst) == nil {
			t.Errorf("manifest.schema.json accepts %q", tt.setting)
		}
	}
}

// TestOutputCodeRefused: a user code named invalidOutput is refused once
// the function has an output schema, whose built-in code it would be.
func TestOutputCodeRefused(t *testing.T) {
	cfg := outputConfig(t, config.ModeKnative, `{"type": "string"}`)
	cfg.Errors = append(cfg.Errors, config.ErrorCode{Name: "invalidOutput"})
	if _, err := Generate(cfg); err == nil || !strings.Contains(err.Error(), `error code "invalidOutput" is built in`) {
		t.Errorf("got %v", err)
	}
	cfg = fixture.RichConfig(t, config.ModeKnative)
	cfg.Errors = append(cfg.Errors, config.ErrorCode{Name: "invalidOutput"})
	if _, err := Generate(cfg); err != nil {
		t.Errorf("without an output schema: %v", err)
	}
}
