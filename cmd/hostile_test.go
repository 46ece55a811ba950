package cmd

import (
	"os"
	"reflect"
	"testing"
)

// TestNewRefusesReferenceCycles runs "new" on the schemas that used to make
// it spin forever ({"$ref": "#"}) or crash with a stack overflow: each is
// refused at once with the cycle's chain, and nothing is written.
func TestNewRefusesReferenceCycles(t *testing.T) {
	tests := []struct{ name, schema, want string }{
		{"ref to the root", `{"$ref": "#"}`,
			`s.json:1:2: /$ref: (root) -> (root): a reference cycle that never reaches a value`},
		{"root ref beside other keywords", `{"type": "object", "$ref": "#"}`,
			`s.json:1:20: /$ref: (root) -> (root): a reference cycle that never reaches a value`},
		{"defs x to y to x", `{"$ref": "#/$defs/x", "$defs": {"x": {"$ref": "#/$defs/y"}, "y": {"$ref": "#/$defs/x"}}}`,
			`s.json:1:39: /$defs/x/$ref: /$defs/x -> /$defs/y -> /$defs/x: a reference cycle that never reaches a value`},
		{"allOf to itself", `{"type": "object", "properties": {"p": {"$ref": "#/$defs/a"}}, "$defs": {"a": {"allOf": [{"$ref": "#/$defs/a"}]}}}`,
			`s.json:1:90: /$defs/a/allOf/0: /$defs/a -> /$defs/a/allOf/0 -> /$defs/a: a reference cycle that never reaches a value`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := inTempDir(t)
			if err := os.WriteFile("s.json", []byte(tt.schema), 0o644); err != nil {
				t.Fatal(err)
			}
			before := tree(t, dir)
			res := run{args: []string{"new", "fn", "--schema", "s.json", "--no-input"}}.exec(t)
			if res.code != ExitFailure {
				t.Errorf("exit %d, want %d\nstderr:\n%s", res.code, ExitFailure, res.stderr)
			}
			wantContains(t, "stderr", res.stderr, "Error: the schema s.json cannot be used (1 problem):\n"+tt.want)
			if after := tree(t, dir); !reflect.DeepEqual(before, after) {
				t.Errorf("the folder changed:\nbefore %v\nafter  %v", keys(before), keys(after))
			}
		})
	}
}
