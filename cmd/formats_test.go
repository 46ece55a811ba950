package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFormatWarningsPrinted: new and generate print a warning for every
// format nothing asserts, at the keyword's file:line:col and pointer (an
// unknown one with a suggestion), and, with input.formats: annotate in the
// manifest, only for the unknown ones.
func TestFormatWarningsPrinted(t *testing.T) {
	dir := t.TempDir()
	schemaFile := filepath.Join(dir, "in.schema.json")
	writeFile(t, schemaFile, []byte(`{
  "type": "object",
  "properties": {
    "when": {"type": "string", "format": "date_time"},
    "site": {"type": "string", "format": "iri"},
    "id": {"type": "string", "format": "uuid"}
  }
}
`))
	out := filepath.Join(dir, "fn")
	code, _, stderr := runMain(t, "new", "fn", "--schema", schemaFile, "--dir", out, "--no-input")
	if code != 0 {
		t.Fatalf("new: exit %d: %s", code, stderr)
	}
	unknown := `Warning: ` + schemaFile + `:4:32: /properties/when/format: unknown format "date_time": it is an annotation only, nothing checks it: did you mean "date-time"?`
	annotation := `Warning: ` + schemaFile + `:5:32: /properties/site/format: format "iri" is an annotation only: direktiv-fn asserts date, date-time, duration, email, hostname, ipv4, ipv6, json-pointer, regex, time, uri, uri-reference, uuid`
	if got, want := warnings(stderr), unknown+"\n"+annotation; got != want {
		t.Errorf("new: warnings\n%s\nwant\n%s", got, want)
	}
	copied := filepath.Join(out, "input.schema.json")
	code, _, stderr = runMain(t, "generate", "--dir", out)
	if code != 0 {
		t.Fatalf("generate: exit %d: %s", code, stderr)
	}
	if got, want := warnings(stderr), strings.ReplaceAll(unknown+"\n"+annotation, schemaFile, copied); got != want {
		t.Errorf("generate: warnings\n%s\nwant\n%s", got, want)
	}
	manifest := filepath.Join(out, "direktiv-fn.yaml")
	data, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, manifest, append(data, []byte("input:\n  formats: annotate\n")...))
	code, _, stderr = runMain(t, "generate", "--dir", out)
	if code != 0 {
		t.Fatalf("generate with formats: annotate: exit %d: %s", code, stderr)
	}
	if got, want := warnings(stderr), strings.ReplaceAll(unknown, schemaFile, copied); got != want {
		t.Errorf("generate with formats: annotate: warnings\n%s\nwant\n%s", got, want)
	}
}

// warnings returns the lines of stderr that are warnings.
func warnings(stderr string) string {
	var out []string
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "Warning: ") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
