package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/cmd/internal/workflow"
)

// TestNewNamespaceScope: new --scope namespace (or DIREKTIV_FN_SCOPE)
// writes service.yaml and a workflow that references it; lint checks both,
// the function's codes included; the scope is refused where Direktiv has no
// service files.
func TestNewNamespaceScope(t *testing.T) {
	root := inTempDir(t)
	code, out, errOut := runMain(t, "new", "svc", "--scope", "namespace", "--image", "r.example.com/svc:v3", "--no-input")
	if code != 0 {
		t.Fatalf("new: exit %d\n%s", code, errOut)
	}
	if !strings.Contains(out, "store service.yaml in the namespace as /services/svc.yaml: workflow.yaml calls the function there.") {
		t.Errorf("the next steps do not say where service.yaml goes:\n%s", out)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(root, "svc", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if m := read("direktiv-fn.yaml"); !strings.Contains(m, "\nscope: namespace\n") {
		t.Errorf("manifest:\n%s", m)
	}
	service := read("service.yaml")
	for _, want := range []string{"\ndirektiv_api: service/v1\n", "\nimage: \"r.example.com/svc:v3\"\n", "\nsize: medium\n", "\nscale: 1\n", "as\n# /services/svc.yaml"} {
		if !strings.Contains(service, want) {
			t.Errorf("service.yaml lacks %q:\n%s", want, service)
		}
	}
	wf := read("workflow.yaml")
	if !strings.Contains(wf, "  type: knative-namespace\n  service: /services/svc.yaml\n") || strings.Contains(wf, "image:") {
		t.Errorf("workflow.yaml:\n%s", wf)
	}
	if ds := workflow.CheckService("service.yaml", []byte(service)); len(ds) > 0 {
		t.Errorf("service.yaml:\n%s", ds.Error())
	}
	if r := read("README.md"); !strings.Contains(r, "store `service.yaml` in the namespace as `/services/svc.yaml`") {
		t.Errorf("the README does not say where service.yaml goes:\n%s", r)
	}
	code, out, _ = runMain(t, "lint", "--dir", "svc")
	for _, want := range []string{
		"svc/workflow.yaml: ok for Direktiv v0.8.0–v0.10.0 (knative-workflow functions) (from svc/direktiv-fn.yaml)",
		"svc/service.yaml: ok for Direktiv v0.8.1–v0.10.0 (service files) (a service file: its direktiv_api)",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("lint: exit %d, missing %q:\n%s", code, want, out)
		}
	}
	// A catch for a code the function does not have: the id tells lint it
	// is this function, although the entry has no image.
	edited := strings.Replace(wf, `- error: '^svc\.panic$'`, `- error: '^svc\.panik$'`, 1)
	if edited == wf {
		t.Fatalf("no panic catch in:\n%s", wf)
	}
	writeFile(t, filepath.Join(root, "svc", "flow.yaml"), []byte(edited))
	if _, out, _ := runMain(t, "lint", "svc/flow.yaml"); !strings.Contains(out, `(did you mean "svc.panic"`) {
		t.Errorf("lint of a misspelt catch:\n%s", out)
	}

	// The environment variable, and the refusals.
	t.Setenv("DIREKTIV_FN_SCOPE", "namespace")
	if code, _, errOut := runMain(t, "new", "svc2", "--no-input"); code != 0 {
		t.Errorf("DIREKTIV_FN_SCOPE: exit %d\n%s", code, errOut)
	} else if _, err := os.Stat(filepath.Join(root, "svc2", "service.yaml")); err != nil {
		t.Errorf("DIREKTIV_FN_SCOPE: %v", err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--mode", "isolated"}, "DIREKTIV_FN_SCOPE: scope namespace needs service files"},
		{[]string{"--direktiv", "v0.7"}, "DIREKTIV_FN_SCOPE: scope namespace needs service files"},
		{[]string{"--direktiv", "v0.8.0"}, `direktiv "v0.8.0" has none`},
		{[]string{"--scope", "global"}, `--scope: scope "global": the scope is workflow or namespace`},
	} {
		code, _, errOut := runMain(t, append([]string{"new", "bad", "--no-input"}, tt.args...)...)
		if code != 2 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d\n%s", tt.args, code, errOut)
		}
	}
}

// TestLintServiceFile: the rules of a service file, one by one.
func TestLintServiceFile(t *testing.T) {
	src := `direktiv_api: service/v1beta
image: Not An Image
size: huge
scale: -1
imgae: x
envs:
- name: A
  valu: b
- value: c
patches:
- op: replace
  path: /spec/template
- op: merge
`
	var got []string
	for _, d := range workflow.CheckService("s.yaml", []byte(src)) {
		got = append(got, d.String())
	}
	want := []string{
		`s.yaml:1:15: warning: direktiv_api "service/v1beta": Direktiv reads it as service/v1 (it checks the prefix only); write service/v1`,
		`s.yaml:2:8: invalid image "Not An Image": write [registry/]name[:tag], the name in lower case, e.g. registry.example.com/myfunc:v1`,
		`s.yaml:3:7: "size" must be one of small, medium, large, not "huge"`,
		`s.yaml:4:8: scale -1: the number of instances kept running is 0 or more`,
		`s.yaml:5:1: warning: unknown key "imgae" in the service file (did you mean "image"?): Direktiv ignores it (Direktiv v0.8.1–v0.10.0 (service files) reads: cmd, direktiv_api, envs, image, patches, scale, size)`,
		`s.yaml:8:3: warning: unknown key "valu" in an environment variable (did you mean "value"?): Direktiv ignores it (Direktiv v0.8.1–v0.10.0 (service files) reads: name, value)`,
		`s.yaml:9:3: an environment variable needs "name"`,
		`s.yaml:13:3: a service patch needs "path"`,
		`s.yaml:13:7: "op" must be one of add, remove, replace, move, copy, test, not "merge"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("-want +got:\n-%s\n+%s", strings.Join(want, "\n-"), strings.Join(got, "\n+"))
	}
	for _, tt := range []struct{ src, want string }{
		{"direktiv_api: workflow/v1\nimage: x\n", ""},
		{"direktiv_api: service/v2\nimage: x\n", `direktiv_api "service/v2": Direktiv refuses it`},
		{"direktiv_api: service/v1\n", `the service file needs "image"`},
		{"direktiv_api: service/v1\nimage: x\nscale: 1.5\n", `"scale" must be an integer`},
		{"", "the file is empty"},
	} {
		ds := workflow.CheckService("s.yaml", []byte(tt.src))
		if tt.want == "" {
			if workflow.IsService([]byte(tt.src)) {
				t.Errorf("%q reads as a service file", tt.src)
			}
			continue
		}
		if !strings.Contains(ds.Error(), tt.want) {
			t.Errorf("%q: %s, want %q", tt.src, ds.Error(), tt.want)
		}
	}
	// lint tells a service file by its direktiv_api, wherever it is.
	root := inTempDir(t)
	writeFile(t, filepath.Join(root, "s.yaml"), []byte(src))
	code, out, _ := runMain(t, "lint", "s.yaml")
	if code != 1 || !strings.Contains(out, "s.yaml: not valid for Direktiv v0.8.1–v0.10.0 (service files)") {
		t.Errorf("lint: exit %d\n%s", code, out)
	}
}
