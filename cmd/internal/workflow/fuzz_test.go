package workflow

import (
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator/direktiv"
)

// FuzzCheck feeds arbitrary YAML to every entry point: none may panic, and
// each diagnostic has a position.
func FuzzCheck(f *testing.F) {
	for _, seed := range []string{
		knativeOK,
		"id: wf\nstates:\n- id: a\n  type: noop\n  transition: a\n",
		"states:\n- &a {id: a, type: action, action: {function: fn, retries: {codes: [*a]}}, catch: [*a]}\n",
		"direktiv_api: service/v1\nimage: x\nscale: -1\nenvs: [1, {name: 2}]\npatches: {}\n",
		"states: {}\nfunctions: 5\nstart: [1]\n",
		"states:\n- id: p\n  type: parallel\n  actions: [{function: fn, retries: 3}, 5]\n  catch: [{error: 1}, x]\n",
	} {
		f.Add([]byte(seed))
	}
	fn := &Function{ID: "fn", Image: "x", Codes: []string{"fn.failed"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, e := range direktiv.Eras {
			for _, d := range Check("w.yaml", data, Options{Era: e, Function: fn}) {
				if d.Line < 1 || d.Col < 1 {
					t.Errorf("%s: diagnostic without a position: %s", e.Key, d)
				}
			}
		}
		Infer(data)
		if IsService(data) {
			for _, d := range CheckService("s.yaml", data) {
				if d.Line < 1 || d.Col < 1 {
					t.Errorf("service: diagnostic without a position: %s", d)
				}
			}
		}
	})
}
