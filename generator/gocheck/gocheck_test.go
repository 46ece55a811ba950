package gocheck

import (
	"strings"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator"
	"github.com/direktiv-fn/direktiv-fn/generator/plan"
)

// TestNeedsCheck: the type check runs when a generated declaration is
// removed or changed, or an added one can collide with the user's code,
// and only then.
func TestNeedsCheck(t *testing.T) {
	gen := func(body string) map[string][]byte {
		return map[string][]byte{"input.gen.go": []byte(generator.Header + "\n\npackage main\n\n" + body)}
	}
	base := `// Input is the function's input.
type Input struct {
	Name string ` + "`json:\"name\"`" + `
}

// InputStyle is the type of /style.
type InputStyle string

const InputStyleLoud InputStyle = "loud"

var patternX = regexp.MustCompile("a")

func DecodeInput(data []byte) (Input, error) { return Input{}, nil }
`
	handler := "package main\n\nfunc Handle(in Input) string { return in.Name }\n"
	for _, tt := range []struct {
		name       string
		next, user string
		want       bool
	}{
		{"unchanged", base, handler, false},
		{"a pattern changes", base + "\n// x\n", handler, false},
		{"a type added", base + "\ntype InputMood string\n", handler, false},
		{"a field added", replace(base, "Name string", "Name, Extra string"), handler, false},
		{"a const added", base + "\nconst InputStyleSoft InputStyle = \"soft\"\n", handler, false},
		{"a field removed", replace(base, "\tName string `json:\"name\"`\n", ""), handler, true},
		{"a field retyped", replace(base, "Name string", "Name *string"), handler, true},
		{"a const removed", replace(base, "const InputStyleLoud InputStyle = \"loud\"\n", ""), handler, true},
		{"a type retyped", replace(base, "type InputStyle string", "type InputStyle int"), handler, true},
		{"a func's signature changes", replace(base, "data []byte", "data string"), handler, true},
		{"an added name the user declares", base + "\ntype Result struct{}\n", handler + "\ntype Result int\n", true},
		{"an added name the user imports", base + "\nvar strings = 1\n", "package main\n\nimport \"strings\"\n\nvar _ = strings.ToUpper\n", true},
		{"an added field the user has a method of", replace(base, "Name string", "Name, Extra string"), handler + "\nfunc (Input) Extra() {}\n", true},
		{"an added field, a positional literal", replace(base, "Name string", "Name, Extra string"), handler + "\nvar _ = Input{\"x\"}\n", true},
		{"an added field, a keyed literal", replace(base, "Name string", "Name, Extra string"), handler + "\nvar _ = Input{Name: \"x\"}\nvar _ = []string{\"a\"}\n", false},
		{"an added field, an embedding", replace(base, "Name string", "Name, Extra string"), handler + "\ntype mine struct{ *Input }\n", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := needsCheck(surfaceOf(gen(base)), surfaceOf(gen(tt.next)), map[string][]byte{"handler.go": []byte(tt.user)})
			if got != tt.want {
				t.Errorf("needsCheck = %v, want %v", got, tt.want)
			}
		})
	}
}

// replace replaces old, which s must hold, with new.
func replace(s, old, new string) string {
	if !strings.Contains(s, old) {
		panic("no " + old)
	}
	return strings.Replace(s, old, new, 1)
}

// TestMovedToRuntime checks the cause given for a name of the handler's
// API that an earlier direktiv-fn generated in package main and that now
// lives in a runtime package: it says where it went and how to use it.
func TestMovedToRuntime(t *testing.T) {
	before := surface{
		"Logf":            {sig: "func(ctx context.Context, format string, args ...any)", file: "call.gen.go"},
		"ValidationError": {sig: "type struct{Violations []Violation; Total int}", file: "jsondecode.gen.go"},
		"Greeting":        {sig: "func() string", file: "input.gen.go"},
	}
	c := newCauses(before, surface{}, plan.GoChanges{})
	for name, want := range map[string]string{
		"Logf":            "func Logf moved to the runtime package internal/fn: write fn.Logf and import the module's internal/fn",
		"ValidationError": "type ValidationError moved to the runtime package internal/decode: write decode.ValidationError and import the module's internal/decode",
		"Greeting":        "func Greeting removed",
	} {
		if got := c.name(name); got != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
}
