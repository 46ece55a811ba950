package generator

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildInput renders the input code of the schema src into a module of
// its own, with the hand-written test file extra, and runs go vet and the
// generated tests and extra's there.
func buildInput(t *testing.T, src, extra string) {
	t.Helper()
	if testing.Short() {
		t.Skip("compiles generated code")
	}
	mod := t.TempDir()
	writeTestFile(t, filepath.Join(mod, "go.mod"), "module hostile\n\ngo 1.22\n")
	for name, text := range renderInput(t, []byte(src), "hostile") {
		writeTestFile(t, filepath.Join(mod, name), text)
	}
	if extra != "" {
		writeTestFile(t, filepath.Join(mod, "extra_test.go"), "package hostile\n\n"+extra)
	}
	for _, args := range [][]string{{"vet", "."}, {"test", "-count=1", "."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// TestRecursiveSchemasBuild generates the types of a tree and of a linked
// list, whose references pass through a property or an item: the code
// builds, its tests pass, and it decodes a deep tree and reports a
// violation deep inside it at its pointer.
func TestRecursiveSchemasBuild(t *testing.T) {
	buildInput(t, `{
  "type": "object",
  "required": ["name"],
  "properties": {
    "name": {"type": "string", "minLength": 1},
    "children": {"type": "array", "items": {"$ref": "#"}},
    "list": {"$ref": "#/$defs/node"}
  },
  "$defs": {
    "node": {"type": "object", "required": ["v"], "properties": {"v": {"type": "integer"}, "next": {"$ref": "#/$defs/node"}}}
  }
}`, `import (
	"errors"
	"testing"
)

func TestTree(t *testing.T) {
	in, err := DecodeInput([]byte(`+"`"+`{"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}], "list": {"v": 1, "next": {"v": 2, "next": {"v": 3}}}}`+"`"+`))
	if err != nil {
		t.Fatal(err)
	}
	if got := in.Children[0].Children[0].Name; got != "c" {
		t.Errorf("grandchild = %q", got)
	}
	if got := in.List.Next.Next.V; got != 3 {
		t.Errorf("third node = %d", got)
	}
	_, err = DecodeInput([]byte(`+"`"+`{"name": "a", "children": [{"name": "b", "children": [{"name": ""}]}], "list": {"v": 1, "next": {"next": {"v": 3}}}}`+"`"+`))
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Violations) != 2 || ve.Violations[0].Pointer != "/children/0/children/0/name" || ve.Violations[1].Pointer != "/list/next/v" {
		t.Errorf("got %v", err)
	}
}
`)
}
