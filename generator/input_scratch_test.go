package generator

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/schema"
)

func TestRenderInputScratch(t *testing.T) {
	in := os.Getenv("SCHEMA")
	out := os.Getenv("OUT")
	if in == "" {
		t.Skip()
	}
	data, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := schema.Parse(filepath.Base(in), data)
	if err != nil {
		t.Fatal(err)
	}
	m, err := newInputModel(doc)
	if err != nil {
		t.Fatal(err)
	}
	d := &Data{Header: Header, Input: m}
	for _, f := range []string{"input.gen.go", "input.gen_test.go", "jsondecode.gen.go"} {
		src, err := render("input/"+f+".tmpl", d)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(out, f), src, 0o644)
	}
	t.Logf("sample: %s", valueJSONLine(m.Sample))
	for _, f := range m.Fields {
		t.Logf("%+v", f)
	}
}

func TestScratchSuiteSamples(t *testing.T) {
	if os.Getenv("SUITE") == "" {
		t.Skip()
	}
	files, _ := filepath.Glob(filepath.Join(suiteDir, "draft2020-12", "*.json"))
	for _, f := range files {
		data, _ := os.ReadFile(f)
		var groups []suiteGroup
		json.Unmarshal(data, &groups)
		for _, g := range groups {
			doc, err := schema.Parse("s.json", g.Schema)
			if err != nil {
				continue
			}
			_, err = newInputModel(doc)
			if err != nil {
				valid := false
				for _, in := range g.Tests {
					valid = valid || in.Valid
				}
				t.Logf("%s: %s: anyValid=%v: %s\n   %s", filepath.Base(f), g.Description, valid, firstLine(err), g.Schema)
			}
		}
	}
}

func TestScratchSuiteModule(t *testing.T) {
	out := os.Getenv("SUITEOUT")
	if out == "" {
		t.Skip()
	}
	os.RemoveAll(out)
	os.MkdirAll(out, 0o755)
	os.WriteFile(filepath.Join(out, "go.mod"), []byte("module suite\n\ngo 1.22\n"), 0o644)
	files, _ := filepath.Glob(filepath.Join(suiteDir, "draft*", "*.json"))
	seq := 0
	for _, f := range files {
		data, _ := os.ReadFile(f)
		var groups []suiteGroup
		json.Unmarshal(data, &groups)
		for _, g := range groups {
			src := []byte(g.Schema)
			if strings.Contains(f, "draft7") {
				src = asDraft7(src)
			}
			doc, err := schema.Parse("s.json", src)
			if err != nil {
				continue
			}
			m, err := newInputModel(doc)
			if err != nil {
				continue
			}
			seq++
			dir := filepath.Join(out, fmt.Sprintf("c%04d", seq))
			os.MkdirAll(dir, 0o755)
			d := &Data{Header: Header, Input: m}
			for _, name := range []string{"input.gen.go", "input.gen_test.go", "jsondecode.gen.go"} {
				src, err := render("input/"+name+".tmpl", d)
				if err != nil {
					t.Errorf("%s: %s: %v", f, g.Description, err)
					continue
				}
				os.WriteFile(filepath.Join(dir, name), src, 0o644)
			}
			os.WriteFile(filepath.Join(dir, "main.go"), []byte("// "+filepath.Base(f)+": "+g.Description+"\npackage main\n\nfunc main() {}\n"), 0o644)
		}
	}
}
