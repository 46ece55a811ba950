package workflow

import (
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator/direktiv"
)

// The eras of the table, for the tests.
var (
	Isolated  = testEra("isolated")
	Knative06 = testEra("knative-v0.6")
	Knative   = testEra("knative-v0.8")
)

func testEra(key string) direktiv.Era {
	e, ok := direktiv.ByKey(key)
	if !ok {
		panic("no era " + key)
	}
	return e
}

// TestModels holds the table and the checker's models in step: every era
// of the table has a model named after it, and nothing else has one.
func TestModels(t *testing.T) {
	for _, e := range direktiv.Eras {
		m := models()[e.Key]
		if m == nil {
			t.Errorf("era %s has no model", e.Key)
			continue
		}
		if m.name != e.String() {
			t.Errorf("model of %s is named %q, want %q", e.Key, m.name, e.String())
		}
		_, api := m.top.fields["direktiv_api"]
		_, id := m.top.fields["id"]
		if api != e.DirektivAPI || id != e.WorkflowID {
			t.Errorf("model of %s: direktiv_api %v, id %v; the table says %v, %v", e.Key, api, id, e.DirektivAPI, e.WorkflowID)
		}
		if _, ok := m.functionTypes[e.Mode]; !ok {
			t.Errorf("model of %s has no function type %s", e.Key, e.Mode)
		}
	}
	if len(models()) != len(direktiv.Eras) {
		t.Errorf("%d models for %d eras", len(models()), len(direktiv.Eras))
	}
}
