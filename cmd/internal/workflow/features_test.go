package workflow

import (
	"strings"
	"testing"
)

// lines runs Check and returns its diagnostics as strings.
func lines(src string, opt Options) []string {
	var out []string
	for _, d := range Check("w.yaml", []byte(src), opt) {
		out = append(out, d.String())
	}
	return out
}

func diff(t *testing.T, want, got []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("-want +got:\n-%s\n+%s", strings.Join(want, "\n-"), strings.Join(got, "\n+"))
	}
}

// TestDidYouMean: a misspelt key, state type, function type, function id
// or transition gets the nearest valid name.
func TestDidYouMean(t *testing.T) {
	src := `direktiv_api: workflow/v1
functions:
- id: myfunc
  image: example.com/myfunc:v1
  type: knative-workfow
states:
- id: call
  type: actoin
  action:
    function: myfnuc
  transiton: done
  catch:
  - error: myfunc.failed
    transition: dnoe
- id: done
  type: noop
start:
  type: defualt
`
	diff(t, []string{
		`w.yaml:5:9: unknown function type "knative-workfow" (did you mean "knative-workflow"?) (Direktiv v0.8.0–v0.10.0 (knative-workflow functions) accepts: knative-namespace, knative-system, knative-workflow, reusable, subflow)`,
		`w.yaml:8:9: unknown state type "actoin" (did you mean "action"?) (Direktiv v0.8.0–v0.10.0 (knative-workflow functions) accepts: action, consumeEvent, delay, error, eventAnd, eventXor, eventsAnd, eventsXor, foreach, generateEvent, getter, noop, parallel, setter, switch, validate)`,
		`w.yaml:10:15: action function "myfnuc" is not declared in functions (did you mean "myfunc"?) (functions: myfunc)`,
		`w.yaml:14:17: transition to "dnoe": no state has that id (did you mean "done"?) (states: call, done)`,
		`w.yaml:15:7: warning: state "done" is never reached: no transition leads to it from the start state "call"; add one (a transition, a catch or a switch condition), or remove the state`,
		`w.yaml:18:9: unknown start type "defualt" (did you mean "default"?) (Direktiv v0.8.0–v0.10.0 (knative-workflow functions) accepts: default, event, eventsAnd, eventsXor, scheduled)`,
	}, lines(src, Options{Era: Knative}))
	// An unknown key, in an object Check models.
	src = "states:\n- id: a\n  type: noop\n  transiton: a\n"
	diff(t, []string{
		`w.yaml:4:3: unknown key "transiton" in a noop state (did you mean "transition"?) (Direktiv v0.8.0–v0.10.0 (knative-workflow functions) accepts: catch, id, log, metadata, transform, transition, type)`,
	}, lines(src, Options{Era: Knative}))
	// Nothing near: no hint.
	src = "states:\n- id: a\n  type: noop\n  zzz: a\n"
	if got := lines(src, Options{Era: Knative}); len(got) != 1 || strings.Contains(got[0], "did you mean") {
		t.Errorf("a far key got a hint: %v", got)
	}
}

// ownFunction is the repository's function for TestOwnCodes.
var ownFunction = &Function{ID: "myfunc", Image: "registry.example.com/team/myfunc:v2",
	Codes: []string{"myfunc.invalidInput", "myfunc.failed", "myfunc.panic", "myfunc.badInput", "myfunc.notFound"}}

// TestOwnCodes: when the workflow calls the repository's function, a catch
// or retries pattern matching none of its codes is a warning, anchored or
// not, with the nearest code.
func TestOwnCodes(t *testing.T) {
	src := `direktiv_api: workflow/v1
functions:
- id: fn
  image: registry.example.com/team/myfunc@sha256:0123
  type: knative-workflow
- id: other
  image: registry.example.com/other:v1
  type: knative-workflow
states:
- id: call
  type: action
  action:
    function: fn
    retries:
      max_attempts: 2
      codes: ['^myfunc\.notFuond$', 'myfunc\.notFound', 'direktiv\.cancels\..*']
  catch:
  - error: myfunc.badinput
    transition: done
  - error: '^myfunc\.badInput$'
    transition: done
  - error: 'myfunc\.bad.*'
    transition: done
  - error: 'container failed'
    transition: done
  - error: 'something.else'
    transition: done
  - error: '*'
    transition: done
  transition: call-other
- id: call-other
  type: action
  action:
    function: other
  catch:
  - error: other.missing
    transition: done
  transition: both
- id: both
  type: parallel
  actions:
  - function: fn
  - function: other
  catch:
  - error: other.missing
    transition: done
  transition: done
- id: done
  type: noop
`
	want := []string{
		`w.yaml:16:15: warning: retries code "^myfunc\\.notFuond$" matches none of the codes function "fn" returns (did you mean "myfunc.notFound", matched exactly by '^myfunc\.notFound$'?), so it never applies to it (its codes: myfunc.invalidInput, myfunc.failed, myfunc.panic, myfunc.badInput, myfunc.notFound)`,
		`w.yaml:18:12: warning: catch error "myfunc.badinput" matches none of the codes function "fn" returns (did you mean "myfunc.badInput", matched exactly by '^myfunc\.badInput$'?), so it never applies to it (its codes: myfunc.invalidInput, myfunc.failed, myfunc.panic, myfunc.badInput, myfunc.notFound)`,
		`w.yaml:26:12: warning: catch error "something.else" matches none of the codes function "fn" returns, so it never applies to it (its codes: myfunc.invalidInput, myfunc.failed, myfunc.panic, myfunc.badInput, myfunc.notFound)`,
	}
	diff(t, want, lines(src, Options{Era: Knative, Function: ownFunction}))
	// Matched by id alone, the image of another repository.
	byID := strings.Replace(src, "- id: fn\n  image: registry.example.com/team/myfunc@sha256:0123", "- id: myfunc\n  image: elsewhere/x:v1", 1)
	byID = strings.Replace(byID, "function: fn\n", "function: myfunc\n", -1)
	if got := lines(byID, Options{Era: Knative, Function: ownFunction}); len(got) != 3 {
		t.Errorf("matched by id: got %d diagnostics, want 3:\n%s", len(got), strings.Join(got, "\n"))
	}
	// A namespace service, by the path of its service file.
	svc := strings.Replace(src, "- id: fn\n  image: registry.example.com/team/myfunc@sha256:0123\n  type: knative-workflow", "- id: fn\n  type: knative-namespace\n  service: /services/myfunc.yaml", 1)
	bySvc := *ownFunction
	bySvc.ID, bySvc.Service = "other-id", "/services/myfunc.yaml"
	if got := lines(svc, Options{Era: Knative, Function: &bySvc}); len(got) != 3 {
		t.Errorf("matched by service: got %d diagnostics, want 3:\n%s", len(got), strings.Join(got, "\n"))
	}
	bySvc.Service = "/services/else.yaml"
	diff(t, nil, lines(svc, Options{Era: Knative, Function: &bySvc}))
	// Without the repository's function, nothing is said of codes.
	diff(t, nil, lines(src, Options{Era: Knative}))
	// Another function of the same name prefix is not this one.
	other := &Function{ID: "zzz", Image: "registry.example.com/team/myfunc-two:v1", Codes: ownFunction.Codes}
	diff(t, nil, lines(src, Options{Era: Knative, Function: other}))
}

func TestImageRepository(t *testing.T) {
	for in, want := range map[string]string{
		"fn":                              "fn",
		"fn:v1":                           "fn",
		"localhost:5000/fn:v1":            "localhost:5000/fn",
		"localhost:5000/fn":               "localhost:5000/fn",
		"r.io/a/fn@sha256:abc":            "r.io/a/fn",
		"r.io/a/fn:v1@sha256:abc":         "r.io/a/fn",
		"registry.example.com/team/fn:v2": "registry.example.com/team/fn",
	} {
		if got := imageRepository(in); got != want {
			t.Errorf("imageRepository(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestUnreachable: states no transition reaches from the start state are
// warned about; the walk follows transitions, catches, conditions and the
// start definition, and ends on cycles.
func TestUnreachable(t *testing.T) {
	src := `states:
- id: a
  type: switch
  conditions:
  - condition: jq(.x)
    transition: b
  defaultTransition: c
- id: b
  type: noop
  transition: a
- id: c
  type: action
  action:
    function: fn
  catch:
  - error: "*"
    transition: d
- id: d
  type: noop
- id: island
  type: noop
  transition: island2
- id: island2
  type: noop
  transition: island
functions:
- id: fn
  image: x
  type: knative-workflow
`
	diff(t, []string{
		`w.yaml:20:7: warning: state "island" is never reached: no transition leads to it from the start state "a"; add one (a transition, a catch or a switch condition), or remove the state`,
		`w.yaml:23:7: warning: state "island2" is never reached: no transition leads to it from the start state "a"; add one (a transition, a catch or a switch condition), or remove the state`,
	}, lines(src, Options{Era: Knative}))
	// The start definition names the first state to run.
	started := src + "start:\n  type: default\n  state: island\n"
	got := lines(started, Options{Era: Knative})
	if len(got) != 4 || !strings.Contains(got[0], `state "a" is never reached: no transition leads to it from the start state "island"`) {
		t.Errorf("with start.state:\n%s", strings.Join(got, "\n"))
	}
}

// TestKnative06Era: Direktiv v0.6.1 to v0.7.2 has knative-workflow
// functions but no direktiv_api, no envs or patches, and lowercase names.
func TestKnative06Era(t *testing.T) {
	src := `direktiv_api: workflow/v1
functions:
- id: fn
  image: example.com/fn:v1
  type: knative-workflow
  envs: []
- id: svc
  type: knative-system
  service: s
- id: ns
  type: knative-namespace
  service: my-service
states:
- id: Call
  type: action
  action:
    function: fn
    files:
    - key: data
      scope: file
`
	diff(t, []string{
		`w.yaml:1:1: unknown key "direktiv_api" in the workflow: direktiv_api arrived in Direktiv v0.8.0: Direktiv v0.6.1–v0.7.2 rejects it`,
		`w.yaml:6:3: unknown key "envs" in a function of type knative-workflow: arrived in Direktiv v0.8.1`,
		`w.yaml:8:9: function type knative-system arrived in Direktiv v0.8.10 (Direktiv v0.6.1–v0.7.2 (knative-workflow functions))`,
		`w.yaml:14:7: state id "Call" must match ^[a-z]([a-z0-9_-]*[a-z0-9])?$`,
		`w.yaml:20:14: "scope" must be one of namespace, workflow, instance, thread, not "file"`,
	}, lines(src, Options{Era: Knative06}))
	// The same file in v0.8: the service name is a path there.
	got := lines(src, Options{Era: Knative})
	want := `w.yaml:12:12: warning: service "my-service" is not the path of a service file`
	found := false
	for _, l := range got {
		found = found || strings.HasPrefix(l, want)
	}
	if !found {
		t.Errorf("v0.8: no service path warning:\n%s", strings.Join(got, "\n"))
	}
	// A dotted id: v0.7 takes it, v0.6 does not.
	dotted := "functions:\n- id: my.fn\n  image: x\n  type: knative-workflow\nstates:\n- id: a\n  type: noop\n"
	diff(t, []string{
		`w.yaml:2:7: warning: function id "my.fn" does not match ^[a-z]([a-z0-9_-]*[a-z0-9])?$: Direktiv v0.7.0 and later accept it, but v0.6.x does not`,
	}, lines(dotted, Options{Era: Knative06}))
}

// TestInfer: the signs a file gives of its era.
func TestInfer(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // era keys
		says      string
	}{
		{"direktiv_api", "direktiv_api: workflow/v1\nstates: []\n", []string{"knative-v0.8"}, "(knative-workflow functions), from direktiv_api (line 1)"},
		{"top-level id", "id: wf\nstates: []\n", []string{"isolated"}, "from the top-level id (line 1)"},
		{"isolated function", "id: wf\nfunctions:\n- {id: f, type: isolated}\n", []string{"isolated"}, "from the top-level id (line 1)"},
		{"knative function", "functions:\n- {id: f, type: knative-workflow}\n", []string{"knative-v0.6", "knative-v0.8"}, "from function type knative-workflow (line 2)"},
		{"nothing", "states: []\n", []string{"knative-v0.6", "knative-v0.8"}, "from no top-level id"},
		{"api and isolated", "direktiv_api: workflow/v1\nfunctions:\n- {id: f, type: isolated}\n", []string{"knative-v0.8"}, "contradicted by function type isolated (line 3)"},
		{"isolated without id", "functions:\n- {id: f, type: isolated}\n", []string{"isolated"}, "contradicted by no top-level id"},
		{"not yaml", "a: [\n", []string{"isolated", "knative-v0.6", "knative-v0.8"}, ""},
		{"not a mapping", "- a\n", []string{"isolated", "knative-v0.6", "knative-v0.8"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inf := Infer([]byte(tt.src))
			var keys []string
			for _, e := range inf.Eras {
				keys = append(keys, e.Key)
			}
			if strings.Join(keys, ",") != strings.Join(tt.want, ",") {
				t.Errorf("eras %v, want %v", keys, tt.want)
			}
			if !strings.Contains(inf.String(), tt.says) {
				t.Errorf("String() = %q, want it to say %q", inf.String(), tt.says)
			}
		})
	}
}
