package cmd

import (
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/cmd/internal/workflow"
	"github.com/direktiv-fn/direktiv-fn/generator"
	"github.com/direktiv-fn/direktiv-fn/internal/direktiv"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// TestSampleWorkflowEveryEra renders the sample workflow for every release
// of every era of the table and checks it the way lint does, with the
// function's codes known: no diagnostic at all, not even a warning; each
// era's own marks are there (direktiv_api, the top-level id), and the eras
// of the other mode refuse it.
func TestSampleWorkflowEveryEra(t *testing.T) {
	doc, err := schema.Parse("input.schema.json", []byte(smallSchema))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range direktiv.Eras {
		for _, release := range append([]string{e.First, e.Last}, e.Releases...) {
			t.Run(e.Key+"/"+release, func(t *testing.T) {
				cfg := generator.Config{ID: "myfunc", Mode: generator.Mode(e.Mode), Direktiv: release,
					Image: "registry.example.com/myfunc:v1", Module: "example.com/myfunc", SchemaFile: "input.schema.json",
					SchemaData: []byte(smallSchema), Schema: doc, Version: "test",
					Errors: []generator.ErrorCode{{Name: "badInput"}, {Name: "bad"}}}
				files, err := generator.Generate(cfg)
				if err != nil {
					t.Fatal(err)
				}
				var wf, readme []byte
				for _, f := range files {
					switch f.Path {
					case workflowFile:
						wf = f.Content
					case "README.md":
						readme = f.Content
					}
				}
				m, err := generator.LoadManifest(generator.ManifestFile, manifestOf(t, files))
				if err != nil {
					t.Fatal(err)
				}
				le, err := manifestEra(m)
				if err != nil {
					t.Fatal(err)
				}
				if le.era.Key != e.Key {
					t.Fatalf("the manifest selects era %s, want %s", le.era.Key, e.Key)
				}
				if ds := workflow.Check(workflowFile, wf, workflow.Options{Era: e, Function: le.fn}); len(ds) > 0 {
					t.Errorf("%s:\n%s\n%s", e, ds.Error(), wf)
				}
				if got := strings.Contains(string(wf), "\ndirektiv_api: workflow/v1\n"); got != e.DirektivAPI {
					t.Errorf("direktiv_api present: %v, want %v", got, e.DirektivAPI)
				}
				if got := strings.Contains(string(wf), "\nid: myfunc-sample\n"); got != e.WorkflowID {
					t.Errorf("top-level id present: %v, want %v", got, e.WorkflowID)
				}
				if !strings.Contains(string(wf), e.Versions()) || !strings.Contains(string(readme), e.Versions()) {
					t.Errorf("the workflow or the README does not say %s", e.Versions())
				}
				if inf := workflow.Infer(wf); inf.Eras[len(inf.Eras)-1].Mode != e.Mode {
					t.Errorf("the file tells %s", inf)
				}
				for _, o := range direktiv.Eras {
					if o.Mode != e.Mode && workflow.Check(workflowFile, wf, workflow.Options{Era: o}).Err() == nil {
						t.Errorf("era %s accepts it too", o)
					}
				}
			})
		}
	}
}

// manifestOf returns the rendered manifest among files.
func manifestOf(t *testing.T, files []generator.File) []byte {
	t.Helper()
	for _, f := range files {
		if f.Path == generator.ManifestFile {
			return f.Content
		}
	}
	t.Fatal("no manifest rendered")
	return nil
}
