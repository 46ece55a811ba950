package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lintManifest is a hand-written manifest of an isolated function "fn"
// with one error code of its own.
const lintManifest = `version: 2
id: fn
mode: isolated
image: registry.example.com/fn:v1
module: example.com/fn
schema: input.schema.json
errors:
- name: notFound
`

// TestLintEra checks that lint finds each file's era where the file is: the
// flags, a manifest beside the file, the file's own signs, and says which
// era it used and why.
func TestLintEra(t *testing.T) {
	root := inTempDir(t)
	write := func(name, content string) string {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, p, []byte(content))
		return name
	}
	v08 := write("flows/v08.yaml", "direktiv_api: workflow/v1\nstates:\n- id: a\n  type: noop\n")
	iso := write("flows/iso.yaml", "id: wf\nstates:\n- id: a\n  type: noop\n")
	// envs: Direktiv v0.8.1 and later only; nothing in the file tells v0.8.
	envs := write("flows/envs.yaml", "functions:\n- id: f\n  image: x\n  type: knative-workflow\n  envs: []\nstates:\n- id: a\n  type: action\n  action:\n    function: f\n")
	plain := write("flows/plain.yaml", "states:\n- id: a\n  type: noop\n")
	write("repo/direktiv-fn.yaml", lintManifest)
	// Beside its manifest: isolated, and the function's codes are known.
	beside := write("repo/flows/call.yaml", "id: call\nfunctions:\n- id: fn\n  image: registry.example.com/fn:v2\n  type: isolated\nstates:\n- id: a\n  type: action\n  action:\n    function: fn\n  catch:\n  - error: fn.notFuond\n    transition: b\n- id: b\n  type: noop\n")
	api := write("repo/flows/api.yaml", "direktiv_api: workflow/v1\nid: x\nstates:\n- id: a\n  type: noop\n")

	tests := []struct {
		name string
		args []string
		code int
		want []string // substrings of stdout, or of stderr for exit 2
	}{
		{"direktiv_api tells v0.8", []string{v08}, 0, []string{
			"flows/v08.yaml: ok for Direktiv v0.8.0–v0.10.0 (knative-workflow functions) (the era the file tells: direktiv_api (line 1))"}},
		{"top-level id tells isolated", []string{iso}, 0, []string{
			"flows/iso.yaml: ok for Direktiv v0.4.0–v0.6.0 (isolated functions) (the era the file tells: the top-level id (line 1))"}},
		{"verdicts differ", []string{envs}, 2, []string{
			"flows/envs.yaml fits several eras", "the verdict differs: valid for Direktiv v0.8.0–v0.10.0 (knative-workflow functions), not for Direktiv v0.6.1–v0.7.2 (knative-workflow functions); give --mode or --direktiv"}},
		{"--direktiv settles it", []string{"--direktiv", "v0.8", envs}, 0, []string{
			"flows/envs.yaml: ok for Direktiv v0.8.0–v0.10.0 (knative-workflow functions) (from the command line)"}},
		{"--direktiv v0.7 refuses envs", []string{"--direktiv", "v0.7", envs}, 1, []string{
			`flows/envs.yaml:5:3: unknown key "envs" in a function of type knative-workflow: arrived in Direktiv v0.8.1`,
			"flows/envs.yaml: not valid for Direktiv v0.6.1–v0.7.2 (knative-workflow functions) (from the command line)"}},
		{"same verdict everywhere", []string{plain}, 0, []string{
			"flows/plain.yaml: ok for Direktiv v0.8.0–v0.10.0 (knative-workflow functions) (the file fits Direktiv v0.6.1–v0.7.2 (knative-workflow functions) or Direktiv v0.8.0–v0.10.0 (knative-workflow functions), from no top-level id with the same verdict)"}},
		{"manifest beside the file", []string{beside}, 0, []string{
			`repo/flows/call.yaml:12:12: warning: catch error "fn.notFuond" matches none of the codes function "fn" returns (did you mean "fn.notFound", matched exactly by '^fn\.notFound$'?)`,
			"repo/flows/call.yaml: ok for Direktiv v0.4.0–v0.6.0 (isolated functions) (from repo/direktiv-fn.yaml)"}},
		{"the manifest beside wins over the file", []string{api}, 1, []string{
			`repo/flows/api.yaml:1:1: unknown key "direktiv_api" in the workflow`,
			"repo/flows/api.yaml: not valid for Direktiv v0.4.0–v0.6.0 (isolated functions) (from repo/direktiv-fn.yaml)"}},
		{"bad release", []string{"--direktiv", "v0.99", v08}, 2, []string{`--mode/--direktiv: direktiv "v0.99" is not a supported Direktiv release: write one of v0.4, v0.5, v0.6, v0.7, v0.8, v0.9, v0.10`}},
		{"mode and release disagree", []string{"--mode", "isolated", "--direktiv", "v0.8", v08}, 2, []string{`direktiv "v0.8" does not run isolated functions`}},
		{"no file, no repository", nil, 1, []string{"direktiv-fn.yaml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runMain(t, append([]string{"lint"}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errOut)
			}
			text := out
			if code != 0 {
				text = out + errOut
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("missing %q in:\n%s", w, text)
				}
			}
		})
	}
}

// TestNewDirektivRelease: new --direktiv v0.7 records the release, writes
// the sample workflow of Direktiv v0.6.1–v0.7.2 (no direktiv_api), and
// lint checks it for that era; a release alone chooses the mode.
func TestNewDirektivRelease(t *testing.T) {
	root := inTempDir(t)
	code, _, errOut := runMain(t, "new", "old", "--direktiv", "v0.7", "--no-input")
	if code != 0 {
		t.Fatalf("new: exit %d\n%s", code, errOut)
	}
	manifest, err := os.ReadFile(filepath.Join(root, "old", "direktiv-fn.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(manifest), "\ndirektiv: v0.7\n") || !strings.Contains(string(manifest), "\nmode: knative-workflow\n") {
		t.Errorf("manifest:\n%s", manifest)
	}
	wf, err := os.ReadFile(filepath.Join(root, "old", "workflow.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(wf), "direktiv_api") {
		t.Errorf("the v0.7 workflow has a direktiv_api:\n%s", wf)
	}
	code, out, _ := runMain(t, "lint", "--dir", "old")
	if code != 0 || !strings.Contains(out, "old/workflow.yaml: ok for Direktiv v0.6.1–v0.7.2 (knative-workflow functions) (from old/direktiv-fn.yaml)") {
		t.Errorf("lint: exit %d\n%s", code, out)
	}
	// A release only isolated runs chooses the mode.
	code, _, errOut = runMain(t, "new", "iso", "--direktiv", "v0.5", "--no-input")
	if code != 0 {
		t.Fatalf("new --direktiv v0.5: exit %d\n%s", code, errOut)
	}
	if m, _ := os.ReadFile(filepath.Join(root, "iso", "direktiv-fn.yaml")); !strings.Contains(string(m), "\nmode: isolated\n") {
		t.Errorf("--direktiv v0.5 did not choose isolated:\n%s", m)
	}
	// A release that does not run the mode is refused before anything is written.
	code, _, errOut = runMain(t, "new", "bad", "--mode", "isolated", "--direktiv", "v0.9", "--no-input")
	if code != 2 || !strings.Contains(errOut, `--direktiv: direktiv "v0.9" does not run isolated functions`) {
		t.Errorf("exit %d\n%s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(root, "bad")); err == nil {
		t.Error("the refused new wrote a folder")
	}
}
