package model

import (
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/schema"
)

// TestFormatWarnings checks the warnings about formats nothing asserts: an
// unknown one (with a suggestion for a typo) in both settings, one JSON
// Schema defines but direktiv-fn annotates only when formats are asserted,
// none for the asserted ones; each at the keyword's file:line:col.
func TestFormatWarnings(t *testing.T) {
	src := `{
  "type": "object",
  "properties": {
    "when": {"type": "string", "format": "date-time"},
    "typo": {"type": "string", "format": "date_time"},
    "colour": {"type": "string", "format": "colour"},
    "site": {"type": "string", "format": "iri"},
    "deep": {"items": {"$ref": "#/$defs/d"}}
  },
  "$defs": {"d": {"format": "ipv5"}}
}`
	doc, err := schema.Parse("input.schema.json", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`input.schema.json:5:32: /properties/typo/format: unknown format "date_time": it is an annotation only, nothing checks it: did you mean "date-time"?`,
		`input.schema.json:6:34: /properties/colour/format: unknown format "colour": it is an annotation only, nothing checks it`,
		`input.schema.json:7:32: /properties/site/format: format "iri" is an annotation only: direktiv-fn asserts date, date-time, duration, email, hostname, ipv4, ipv6, json-pointer, regex, time, uri, uri-reference, uuid`,
		`input.schema.json:10:19: /$defs/d/format: unknown format "ipv5": it is an annotation only, nothing checks it: did you mean "ipv4"?`,
	}
	var got []string
	for _, d := range FormatWarnings(doc, false) {
		got = append(got, d.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("asserting, warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	got = nil
	for _, d := range FormatWarnings(doc, true) {
		got = append(got, d.Error())
	}
	wantAnnotate := []string{want[0], want[1], want[3]}
	if strings.Join(got, "\n") != strings.Join(wantAnnotate, "\n") {
		t.Errorf("annotating, warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantAnnotate, "\n"))
	}
}
