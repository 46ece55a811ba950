package generator

import (
	"bytes"
	"io/fs"
	"sort"
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/internal/fixture"
	"github.com/direktiv-fn/direktiv-fn/templates"
)

// TestOutputsMatchTemplates holds the output table and the embedded
// templates in step: every template is rendered by exactly one row, and
// every row's template exists and parses (templates are parsed on first
// use, so a broken one would otherwise surface only when its row renders).
func TestOutputsMatchTemplates(t *testing.T) {
	used := map[string]int{}
	for _, o := range outputs {
		used[o.Template]++
		if used[o.Template] > 1 {
			t.Errorf("template %s appears in more than one row", o.Template)
		}
		if _, err := fs.Stat(templates.FS, o.Template); err != nil {
			t.Errorf("row %s: %v", o.Path, err)
		}
		if _, err := lookup(o.Template); err != nil {
			t.Errorf("row %s: %v", o.Path, err)
		}
	}
	if _, err := lookup("common/missing.tmpl"); err == nil || !strings.Contains(err.Error(), "template common/missing.tmpl not found") {
		t.Errorf("lookup of a missing template: %v", err)
	}
	err := fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".tmpl") && used[p] == 0 && !strings.Contains(p, "/_") {
			t.Errorf("template %s is in no row of the output table", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestGenerateDeterministic renders twice and requires identical output,
// sorted by path, with every generated Go file carrying the header.
func TestGenerateDeterministic(t *testing.T) {
	for _, mode := range config.Modes {
		t.Run(string(mode), func(t *testing.T) {
			a, err := Generate(fixture.RichConfig(t, mode))
			if err != nil {
				t.Fatal(err)
			}
			b, err := Generate(fixture.RichConfig(t, mode))
			if err != nil {
				t.Fatal(err)
			}
			if len(a) != len(b) {
				t.Fatalf("%d files, then %d", len(a), len(b))
			}
			if !sort.SliceIsSorted(a, func(i, j int) bool { return a[i].Path < a[j].Path }) {
				t.Error("files are not sorted by path")
			}
			for i := range a {
				if a[i].Path != b[i].Path || !bytes.Equal(a[i].Content, b[i].Content) {
					t.Errorf("%s differs between two runs", a[i].Path)
				}
				if a[i].Policy == config.Generated && strings.HasSuffix(a[i].Path, ".go") &&
					!bytes.HasPrefix(a[i].Content, []byte(Header+"\n")) {
					t.Errorf("%s lacks the generated-code header", a[i].Path)
				}
			}
		})
	}
}

// TestGenerateRefusesBadConfig lists every problem of a bad configuration at once.
func TestGenerateRefusesBadConfig(t *testing.T) {
	cfg := fixture.RichConfig(t, "serverless")
	cfg.ID = "My.Func"
	cfg.Errors = []config.ErrorCode{{Name: "bad input"}, {Name: "invalidInput"}, {Name: "a-b"}, {Name: "a_b"}, {Name: "dup"}, {Name: "dup"}}
	_, err := Generate(cfg)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`invalid function id "My.Func"`,
		`invalid mode "serverless"`,
		`invalid error code "bad input"`,
		`error code "invalidInput" is built in: choose another name`,
		`error code "dup" is defined twice`,
		`error codes "a-b" and "a_b" both become the Go constant ErrAB`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}
