package cmd

import (
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/cmd/internal/workflow"
	"github.com/direktiv-fn/direktiv-fn/generator"
	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/direktiv"
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
	type run struct {
		era            direktiv.Era
		release, scope string
	}
	var runs []run
	for _, e := range direktiv.Eras {
		for _, release := range append([]string{e.First, e.Last}, e.Releases...) {
			runs = append(runs, run{e, release, ""})
			if direktiv.CheckScope(e, release, direktiv.ScopeNamespace) == nil {
				runs = append(runs, run{e, release, direktiv.ScopeNamespace})
			}
		}
	}
	for _, r := range runs {
		e, release := r.era, r.release
		t.Run(e.Key+"/"+release+"/"+r.scope, func(t *testing.T) {
			cfg := config.Config{ID: "myfunc", Mode: config.Mode(e.Mode), Direktiv: release, Scope: r.scope,
				Image: "registry.example.com/myfunc:v1", Module: "example.com/myfunc", SchemaFile: "input.schema.json",
				SchemaData: []byte(smallSchema), Schema: doc, Version: "test",
				Errors: []config.ErrorCode{{Name: "badInput"}, {Name: "bad"}}}
			files, err := generator.Generate(cfg)
			if err != nil {
				t.Fatal(err)
			}
			var wf, readme, service []byte
			for _, f := range files {
				switch f.Path {
				case workflowFile:
					wf = f.Content
				case "README.md":
					readme = f.Content
				case serviceFile:
					service = f.Content
				}
			}
			if (service != nil) != (r.scope == direktiv.ScopeNamespace) {
				t.Errorf("service.yaml rendered: %v, scope %q", service != nil, r.scope)
			}
			if service != nil {
				if ds := workflow.CheckService(serviceFile, service); len(ds) > 0 {
					t.Errorf("service.yaml:\n%s\n%s", ds.Error(), service)
				}
			}
			m, err := generator.LoadManifest(config.ManifestFile, manifestOf(t, files))
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
			versions := e.Versions()
			if r.scope == direktiv.ScopeNamespace {
				versions = "Direktiv " + direktiv.ServicesSince + "–" + e.Last
			}
			if !strings.Contains(string(wf), versions) || !strings.Contains(string(readme), versions) {
				t.Errorf("the workflow or the README does not say %s", versions)
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

// manifestOf returns the rendered manifest among files.
func manifestOf(t *testing.T, files []config.File) []byte {
	t.Helper()
	for _, f := range files {
		if f.Path == config.ManifestFile {
			return f.Content
		}
	}
	t.Fatal("no manifest rendered")
	return nil
}
