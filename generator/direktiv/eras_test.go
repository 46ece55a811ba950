package direktiv

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		mode, release string
		want          string // era key, or "error: <substring>"
	}{
		{Knative, "", "knative-v0.8"},
		{Isolated, "", "isolated"},
		{Knative, "v0.10", "knative-v0.8"},
		{Knative, "v0.8", "knative-v0.8"},
		{Knative, "0.9", "knative-v0.8"},
		{Knative, "v0.7", "knative-v0.6"},
		{Knative, "v0.6", "knative-v0.6"},
		{Knative, "v0.6.1", "knative-v0.6"},
		{Knative, "v0.7.2", "knative-v0.6"},
		{Isolated, "v0.6", "isolated"},
		{Isolated, "v0.6.0", "isolated"},
		{Isolated, "v0.4", "isolated"},
		{"", "v0.8.5", "knative-v0.8"},
		{"", "v0.5", "isolated"},
		{"", "v0.6", "error: spans several eras"},
		{"", "v0.6.1", "knative-v0.6"},
		{Knative, "v0.6.0", `error: direktiv "v0.6.0" does not run knative-workflow functions, which Direktiv v0.6.1–v0.10.0 runs`},
		{Isolated, "v0.8", "error: one of v0.4, v0.5, v0.6"},
		{Knative, "v0.3", "error: does not run knative-workflow"},
		{"", "v0.11", "error: not a supported Direktiv release: write one of v0.4, v0.5, v0.6, v0.7, v0.8, v0.9, v0.10"},
		{Knative, "latest", "error: is not a Direktiv release"},
		{Knative, "v1.0", "error: is not a Direktiv release"},
		{"lambda", "", `error: mode "lambda"`},
		{"", "", "error: no mode"},
	}
	for _, tt := range tests {
		e, err := Lookup(tt.mode, tt.release)
		got := e.Key
		if err != nil {
			got = "error: " + err.Error()
		}
		if !strings.HasPrefix(tt.want, "error: ") && got != tt.want ||
			strings.HasPrefix(tt.want, "error: ") && !strings.Contains(got, strings.TrimPrefix(tt.want, "error: ")) {
			t.Errorf("Lookup(%q, %q) = %s, want %s", tt.mode, tt.release, got, tt.want)
		}
	}
}

func TestCheckScope(t *testing.T) {
	v08, _ := ByKey("knative-v0.8")
	v06, _ := ByKey("knative-v0.6")
	iso, _ := ByKey("isolated")
	tests := []struct {
		era            Era
		release, scope string
		want           string
	}{
		{v08, "", "", ""},
		{v08, "", ScopeWorkflow, ""},
		{v08, "", ScopeNamespace, ""},
		{v08, "v0.8", ScopeNamespace, ""},
		{v08, "v0.8.1", ScopeNamespace, ""},
		{v08, "v0.10.0", ScopeNamespace, ""},
		{v08, "v0.8.0", ScopeNamespace, `direktiv "v0.8.0" has none`},
		{v06, "v0.7", ScopeNamespace, "target direktiv v0.8 or later"},
		{iso, "", ScopeNamespace, "isolated functions on Direktiv v0.4.0–v0.6.0 have none"},
		{iso, "", ScopeWorkflow, ""},
		{v08, "", "global", `scope "global": the scope is workflow or namespace`},
	}
	for _, tt := range tests {
		err := CheckScope(tt.era, tt.release, tt.scope)
		if (err == nil) != (tt.want == "") || err != nil && !strings.Contains(err.Error(), tt.want) {
			t.Errorf("CheckScope(%s, %q, %q) = %v, want %q", tt.era.Key, tt.release, tt.scope, err, tt.want)
		}
	}
}

// TestTable holds the table's own rules: eras in order without overlap,
// each mode's eras contiguous, and every two eras told apart by the file.
func TestTable(t *testing.T) {
	for i, e := range Eras {
		if less(parse(e.Last), parse(e.First)) {
			t.Errorf("%s: last %s before first %s", e.Key, e.Last, e.First)
		}
		if i > 0 && !less(parse(Eras[i-1].Last), parse(e.First)) {
			t.Errorf("%s overlaps %s", e.Key, Eras[i-1].Key)
		}
		for _, r := range e.Releases {
			if got, err := Lookup(e.Mode, r); err != nil || got.Key != e.Key {
				t.Errorf("%s: release %s looks up %s, %v", e.Key, r, got.Key, err)
			}
		}
		for _, o := range Eras[:i] {
			if o.Mode == e.Mode && o.DirektivAPI == e.DirektivAPI && o.WorkflowID == e.WorkflowID {
				t.Errorf("%s and %s look alike in a workflow file", o.Key, e.Key)
			}
		}
	}
	if e, _ := Lookup(Knative, Latest); e.Key != Eras[len(Eras)-1].Key {
		t.Errorf("Latest %s is not in the last era", Latest)
	}
	if got := ModeVersions(Knative); got != "Direktiv v0.6.1–v0.10.0" {
		t.Errorf("ModeVersions(knative) = %q", got)
	}
	if got := Eras[2].String(); got != "Direktiv v0.8.0–v0.10.0 (knative-workflow functions)" {
		t.Errorf("String() = %q", got)
	}
}

// TestDocumentedTable holds the README's table of eras and the manifest
// schema's mode descriptions to this table.
func TestDocumentedTable(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	schema, err := os.ReadFile(filepath.Join("..", "..", "generator", "manifest.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range Eras {
		var rs []string
		for _, r := range e.Releases {
			rs = append(rs, "`"+r+"`")
		}
		row := fmt.Sprintf("| `%s` | %s–%s | %s |", e.Mode, e.First, e.Last, strings.Join(rs, ", "))
		if !strings.Contains(string(readme), row) {
			t.Errorf("README.md has no row starting %s", row)
		}
	}
	for _, m := range Modes {
		if !strings.Contains(string(schema), "("+ModeVersions(m)+")") {
			t.Errorf("manifest.schema.json does not say %s runs on %s", m, ModeVersions(m))
		}
		if !strings.Contains(string(readme), ModeVersions(m)) {
			t.Errorf("README.md does not say %s runs on %s", m, ModeVersions(m))
		}
	}
}
