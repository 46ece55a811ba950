package workflow

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator/direktiv"
)

// TestGoldenWorkflows checks every workflow.yaml under golden/ for the era
// its manifest records (mode and direktiv): a generated workflow has no
// problem at all, not even a warning. Each must also fail under the eras of
// the other mode.
func TestGoldenWorkflows(t *testing.T) {
	root := filepath.Join("..", "..", "..", "golden")
	modeLine := regexp.MustCompile(`(?m)^mode: (\S+)$`)
	releaseLine := regexp.MustCompile(`(?m)^direktiv: (\S+)$`)
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "workflow.yaml" {
			return err
		}
		manifest, err := os.ReadFile(filepath.Join(filepath.Dir(p), "direktiv-fn.yaml"))
		if err != nil {
			return nil // not a project tree (an edit folder, say)
		}
		m := modeLine.FindSubmatch(manifest)
		if m == nil {
			t.Errorf("%s: no mode in the manifest", p)
			return nil
		}
		release := ""
		if r := releaseLine.FindSubmatch(manifest); r != nil {
			release = string(r[1])
		}
		mode, err := direktiv.Lookup(string(m[1]), release)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		if ds := Check(p, data, Options{Era: mode}); len(ds) > 0 {
			t.Errorf("%s (%s):\n%s", p, mode, ds.Error())
		}
		for _, other := range direktiv.Eras {
			if other.Mode == mode.Mode {
				continue
			}
			if ds := Check(p, data, Options{Era: other}); ds.Err() == nil {
				t.Errorf("%s is accepted for the other mode's era %s: the eras are not told apart", p, other)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no golden workflow.yaml found")
	}
}

const knativeOK = `direktiv_api: workflow/v1
functions:
- id: fn
  image: example.com/fn:v1
  type: knative-workflow
states:
- id: call
  type: action
  action:
    function: fn
  catch:
  - error: "fn.bad"
    transition: bad
- id: bad
  type: error
  error: fn.bad
  message: bad
`

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		mode direktiv.Era
		src  string
		want []string
	}{
		{"knative ok", Knative, knativeOK, nil},
		{"isolated ok", Isolated, `id: wf
functions:
- id: fn
  image: example.com/fn:v1
  type: isolated
  files:
  - key: data
    scope: workflow
    type: tar.gz
states:
- id: a
  type: noop
  transition: b
- id: b
  type: switch
  conditions:
  - condition: jq(.x)
    transition: a
  defaultTransition: c
- id: c
  type: validate
  schema: {type: object}
  transition: d
- id: d
  type: delay
  duration: PT5S
`, nil},
		{"invalid yaml", Knative, "states: [\n", []string{
			"w.yaml:1:1: invalid YAML: did not find expected node content",
		}},
		{"empty", Knative, "", []string{"w.yaml:1:1: the file is empty: a workflow needs at least states"}},
		{"not a mapping", Knative, "- a\n", []string{"w.yaml:1:1: a workflow must be a mapping, not a list"}},
		{"unknown keys everywhere", Knative, `direktiv_api: workflow/v2
bogus: 1
functions:
- id: fn
  image: x
  type: knative-workflow
  scale: 2
  size: huge
states:
- id: call
  type: action
  extra: true
  action:
    function: fn
    retry: {}
    retries:
      max_attempts: 0
      codes: []
      wait: PT1S
  catch:
  - error: "*"
    goto: x
`, []string{
			`w.yaml:1:15: "direktiv_api" must be one of workflow/v1, not "workflow/v2"`,
			`w.yaml:2:1: unknown key "bogus" in the workflow (Direktiv v0.8.0–v0.10.0 (knative-workflow functions) accepts: description, direktiv_api, functions, start, states, timeouts, url)`,
			`w.yaml:7:3: unknown key "scale" in a function of type knative-workflow: removed in Direktiv v0.7.0`,
			`w.yaml:8:9: "size" must be one of small, medium, large, not "huge"`,
			`w.yaml:12:3: unknown key "extra" in an action state (Direktiv v0.8.0–v0.10.0 (knative-workflow functions) accepts: action, async, catch, id, log, metadata, timeout, transform, transition, type)`,
			`w.yaml:15:5: unknown key "retry" in an action (Direktiv v0.8.0–v0.10.0 (knative-workflow functions) accepts: files, function, input, retries, secrets)`,
			`w.yaml:17:21: max_attempts must be more than 0, not 0`,
			`w.yaml:18:14: a retries policy needs at least one code`,
			`w.yaml:19:7: unknown key "wait" in a retries policy (Direktiv v0.8.0–v0.10.0 (knative-workflow functions) accepts: codes, delay, max_attempts, multiplier)`,
			`w.yaml:22:5: unknown key "goto" in a catch entry (Direktiv v0.8.0–v0.10.0 (knative-workflow functions) accepts: error, transition)`,
		}},
		{"references", Knative, `functions:
- id: Fn.One
  image: x
  type: knative-workflow
- id: 9bad
  type: knative-workflow
- id: fn
  type: knative-workflow
  image: y
- id: fn
  type: subflow
  workflow: /w
states:
- id: call
  type: action
  action:
    function: missing
  transition: nowhere
  catch:
  - error: "("
    transition: call
- id: call
  type: switch
  conditions:
  - condition: true
    transition: gone
  defaultTransition: call
- id: p
  type: parallel
  actions:
  - function: fn
  - function: other
start:
  type: default
  state: nope
`, []string{
			`w.yaml:2:7: warning: function id "Fn.One" does not match ^[a-z]([a-z0-9_-]*[a-z0-9])?$: Direktiv v0.8.0 and later accept it, but earlier versions do not`,
			`w.yaml:5:3: a function of type knative-workflow needs "image"`,
			`w.yaml:5:7: function id "9bad" must match ^[a-z]([a-z0-9_-]*[a-z0-9])?$`,
			`w.yaml:10:7: function id "fn" is used more than once`,
			`w.yaml:17:15: action function "missing" is not declared in functions (functions: 9bad, Fn.One, fn)`,
			`w.yaml:18:15: transition to "nowhere": no state has that id (states: call, p)`,
			"w.yaml:20:12: warning: catch error \"(\" is not a valid regular expression, which is how Direktiv matches error codes: error parsing regexp: missing closing ): `(`",
			`w.yaml:22:7: state id "call" is used more than once`,
			`w.yaml:26:17: transition to "gone": no state has that id (states: call, p)`,
			`w.yaml:32:15: action function "other" is not declared in functions (functions: 9bad, Fn.One, fn)`,
			`w.yaml:35:10: transition to "nope": no state has that id (states: call, p)`,
		}},
		{"types and shapes", Knative, `functions:
- id: a
  image: x
  type: isolated
- id: b
  image: x
- id: c
  image: x
  type: lambda
states:
- id: s1
  type: action
  action: fn
  timeout: 15m
- id: s2
  type: error
  error: 404
- id: s3
  type: getter
  variables: []
- id: s4
  type: transform
- id: s5
  type: delay
  duration: PT
`, []string{
			`w.yaml:4:9: function type isolated was removed in Direktiv v0.6.1; knative-workflow replaced it (Direktiv v0.8.0–v0.10.0 (knative-workflow functions))`,
			`w.yaml:5:3: a function needs a type (Direktiv v0.8.0–v0.10.0 (knative-workflow functions) accepts: knative-namespace, knative-system, knative-workflow, reusable, subflow)`,
			`w.yaml:9:9: unknown function type "lambda" (Direktiv v0.8.0–v0.10.0 (knative-workflow functions) accepts: knative-namespace, knative-system, knative-workflow, reusable, subflow)`,
			`w.yaml:13:11: an action must be a mapping, not a string`,
			`w.yaml:14:12: "timeout": "15m" is not an ISO-8601 duration such as PT15M or P1DT2H`,
			`w.yaml:15:3: an error state needs "message"`,
			`w.yaml:15:7: warning: state "s2" is never reached: no transition leads to it from the start state "s1"; add one (a transition, a catch or a switch condition), or remove the state`,
			`w.yaml:17:10: "error" must be a string, not a number (404)`,
			`w.yaml:18:7: warning: state "s3" is never reached: no transition leads to it from the start state "s1"; add one (a transition, a catch or a switch condition), or remove the state`,
			`w.yaml:19:9: warning: state type "getter" is not modelled by this checker: its keys are not checked`,
			`w.yaml:21:7: warning: state "s4" is never reached: no transition leads to it from the start state "s1"; add one (a transition, a catch or a switch condition), or remove the state`,
			`w.yaml:22:9: unknown state type "transform" (Direktiv v0.8.0–v0.10.0 (knative-workflow functions) accepts: action, consumeEvent, delay, error, eventAnd, eventXor, eventsAnd, eventsXor, foreach, generateEvent, getter, noop, parallel, setter, switch, validate)`,
			`w.yaml:23:7: warning: state "s5" is never reached: no transition leads to it from the start state "s1"; add one (a transition, a catch or a switch condition), or remove the state`,
			`w.yaml:25:13: "duration": "PT" is not an ISO-8601 duration such as PT15M or P1DT2H`,
		}},
		{"isolated era rules", Isolated, `direktiv_api: workflow/v1
functions:
- id: fn
  image: x
  type: knative-workflow
- id: g
  image: x
  type: isolated
  envs: []
  files:
  - key: 1bad
    scope: file
states:
- id: call
  type: action
  metadata: {}
  action:
    function: g
    files: []
- id: Call
  type: noop
`, []string{
			`w.yaml:1:1: the workflow needs "id"`,
			`w.yaml:1:1: unknown key "direktiv_api" in the workflow: direktiv_api arrived in Direktiv v0.8.0: the isolated era (v0.4.0–v0.6.0) rejects it`,
			`w.yaml:5:9: function type knative-workflow arrived in Direktiv v0.6.1, when isolated was removed (Direktiv v0.4.0–v0.6.0 (isolated functions))`,
			`w.yaml:9:3: unknown key "envs" in a function of type isolated: arrived in Direktiv v0.8.1 (knative-workflow functions)`,
			`w.yaml:11:10: file key "1bad" is not a variable name (^(([a-zA-Z][a-zA-Z0-9_\-]*[a-zA-Z0-9])|([a-zA-Z]))$)`,
			`w.yaml:12:12: "scope" must be one of namespace, workflow, instance, thread, not "file"`,
			`w.yaml:16:3: unknown key "metadata" in an action state: a state's metadata arrived in Direktiv v0.6.1`,
			`w.yaml:19:5: unknown key "files" in an action: action files arrived in Direktiv v0.6.1: in this era the function entry lists its files`,
			`w.yaml:20:7: warning: state "Call" is never reached: no transition leads to it from the start state "call"; add one (a transition, a catch or a switch condition), or remove the state`,
			`w.yaml:20:7: state id "Call" must match ^[a-z]([a-z0-9_-]*[a-z0-9])?$`,
		}},
		{"knative top-level id and no states", Knative, `id: wf
states: []
`, []string{
			`w.yaml:1:1: unknown key "id" in the workflow: a top-level id is rejected since Direktiv v0.6.1: the workflow's path names it`,
			`w.yaml:2:9: the workflow has no states`,
		}},
		{"missing states, bad start", Isolated, `id: wf
start:
  type: cron
`, []string{
			`w.yaml:1:1: the workflow needs "states"`,
			`w.yaml:3:9: unknown start type "cron" (Direktiv v0.4.0–v0.6.0 (isolated functions) accepts: default, event, eventsAnd, eventsXor, scheduled)`,
		}},
		{"duplicate keys and aliases", Knative, `states:
- &s
  id: a
  type: noop
  id: b
- *s
`, []string{
			`w.yaml:3:7: state id "a" is used more than once`,
			`w.yaml:5:3: duplicate key "id" in a noop state`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Check("w.yaml", []byte(tt.src), Options{Era: tt.mode})
			var lines []string
			for _, d := range got {
				lines = append(lines, d.String())
			}
			if strings.Join(lines, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("-want +got:\n-%s\n+%s", strings.Join(tt.want, "\n-"), strings.Join(lines, "\n+"))
			}
		})
	}
}

func TestValidDuration(t *testing.T) {
	for s, want := range map[string]bool{
		"PT15M": true, "P1D": true, "P1DT2H": true, "PT30S": true, "P1Y2M3W4DT5H6M7S": true,
		"": false, "P": false, "PT": false, "15m": false, "P1DT": false, "PT1.5S": false,
	} {
		if got := ValidDuration(s); got != want {
			t.Errorf("ValidDuration(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestDiagnosticsErr(t *testing.T) {
	ds := Diagnostics{{File: "f", Line: 1, Col: 2, Severity: Warning, Message: "w"}}
	if ds.Err() != nil {
		t.Error("warnings alone are an error")
	}
	ds = append(ds, Diagnostic{File: "f", Line: 3, Col: 4, Message: "e"})
	if err := ds.Err(); err == nil || err.Error() != "f:3:4: e" {
		t.Errorf("Err() = %v", err)
	}
}
