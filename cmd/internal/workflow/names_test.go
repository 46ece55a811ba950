package workflow

import (
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator/direktiv"
)

// TestWorkflowNames checks the names the eras require of a workflow as a
// whole: the isolated era's top-level id, and the knative era's path.
func TestWorkflowNames(t *testing.T) {
	isolated := func(id string) string {
		return "id: " + id + "\nstates:\n- id: a\n  type: noop\n"
	}
	tests := []struct {
		name, file string
		mode       direktiv.Era
		src        string
		want       []string
	}{
		{"isolated lowercase id", "w.yaml", Isolated, isolated("my-flow_2"), nil},
		{"isolated one letter", "w.yaml", Isolated, isolated("a"), nil},
		{"isolated capital", "w.yaml", Isolated, isolated("MyFlow"), []string{
			`w.yaml:1:5: workflow id "MyFlow" must match ^(([a-z][a-z0-9_\-]*[a-z0-9])|([a-z]))$ (lowercase letters, digits, '_' and '-'; a letter first, no '-' or '_' last)`,
		}},
		{"isolated dot", "w.yaml", Isolated, isolated("my.flow"), []string{`w.yaml:1:5: workflow id "my.flow" must match`}},
		{"isolated trailing dash", "w.yaml", Isolated, isolated("flow-"), []string{`w.yaml:1:5: workflow id "flow-" must match`}},
		{"isolated digit first", "w.yaml", Isolated, isolated(`"1flow"`), []string{`w.yaml:1:5: workflow id "1flow" must match`}},
		{"knative file name", "flows/my flow.yaml", Knative, knativeOK, []string{
			`flows/my flow.yaml:1:1: warning: the file name "my flow.yaml" is not a valid name in a Direktiv path`,
		}},
		{"knative dotted file name", "flows/My.Flow.yaml", Knative, knativeOK, nil},
		{"isolated file name is free", "my flow.yaml", Isolated, isolated("a"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Check(tt.file, []byte(tt.src), Options{Era: tt.mode})
			if len(got) != len(tt.want) {
				t.Fatalf("got %d diagnostics, want %d:\n%s", len(got), len(tt.want), got.Error())
			}
			for i, d := range got {
				if !strings.HasPrefix(d.String(), tt.want[i]) {
					t.Errorf("diagnostic %d:\n got %s\nwant %s...", i, d, tt.want[i])
				}
			}
		})
	}
}
