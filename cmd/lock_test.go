package cmd

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/write"
)

// TestConcurrentRunsLeaveAConsistentProject runs, 50 times, two
// direktiv-fn processes at once on one project after a schema edit: two
// generate runs, or a generate and an add-error. Both succeed (the second
// waits for the first), and the project is then up to date: generate
// --check passes, generate writes nothing, every code added is there, and
// neither the lock nor a temporary file is left.
func TestConcurrentRunsLeaveAConsistentProject(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "direktiv-fn")
	if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := newProject(t)
	direktivFn := func(args ...string) (string, error) {
		c := exec.Command(bin, append(args, "--dir", dir)...)
		var out bytes.Buffer
		c.Stdout, c.Stderr = &out, &out
		err := c.Run()
		return out.String(), err
	}
	schemaFile := filepath.Join(dir, "input.schema.json")
	var codes []string
	for i := range 50 {
		editFile(t, schemaFile, fmt.Sprintf(`"minimum": %d`, 3+i), fmt.Sprintf(`"minimum": %d`, 4+i))
		second := []string{"generate"}
		if i%2 == 1 {
			code := fmt.Sprintf("code%d", i)
			codes = append(codes, code)
			second = []string{"add-error", code}
		}
		var wg sync.WaitGroup
		outs, errs := make([]string, 2), make([]error, 2)
		for j, args := range [][]string{{"generate"}, second} {
			wg.Go(func() { outs[j], errs[j] = direktivFn(args...) })
		}
		wg.Wait()
		for j := range 2 {
			if errs[j] != nil {
				t.Fatalf("round %d, run %d: %v\n%s", i, j, errs[j], outs[j])
			}
		}
		if out, err := direktivFn("generate", "--check"); err != nil {
			t.Fatalf("round %d: generate --check: %v\n%s", i, err, out)
		}
		if out, err := direktivFn("generate"); err != nil || !strings.Contains(out, "is up to date") {
			t.Fatalf("round %d: generate: %v\n%s", i, err, out)
		}
	}
	manifest := read(t, filepath.Join(dir, config.ManifestFile))
	for _, c := range codes {
		if !strings.Contains(manifest, "name: "+c+"\n") {
			t.Errorf("code %s was lost:\n%s", c, manifest)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == write.LockFile || strings.HasPrefix(e.Name(), ".direktiv-fn-") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}
