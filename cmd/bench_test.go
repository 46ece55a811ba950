package cmd

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// richArgs is the knative-rich golden case's command line, writing into dir.
func richArgs(b *testing.B, dir string) []string {
	b.Helper()
	text, err := os.ReadFile(filepath.Join(goldenDir, "knative-rich", "args"))
	if err != nil {
		b.Fatal(err)
	}
	args := strings.Split(strings.TrimSpace(string(text)), "\n")
	for i, a := range args {
		switch a {
		case "input.schema.json":
			args[i], _ = filepath.Abs(filepath.Join(goldenDir, "knative-rich", "input.schema.json"))
		case "out":
			args[i] = dir
		}
	}
	return args
}

// BenchmarkNewProcess times "direktiv-fn new" for the rich golden schema as a
// whole process, as a user sees it: start, parse, generate, write, exit.
func BenchmarkNewProcess(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "direktiv-fn")
	build := exec.Command("go", "build", "-o", bin, "..")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	root := b.TempDir()
	i := 0
	for b.Loop() {
		i++
		c := exec.Command(bin, richArgs(b, filepath.Join(root, strconv.Itoa(i)))...)
		if out, err := c.CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
	}
}

// BenchmarkNewInProcess times the same command through Main, without the
// process start.
func BenchmarkNewInProcess(b *testing.B) {
	root := b.TempDir()
	i := 0
	for b.Loop() {
		i++
		if code := Main(context.Background(), richArgs(b, filepath.Join(root, strconv.Itoa(i))), strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}

// BenchmarkGenerateCheck times "direktiv-fn generate --dry-run", in-process,
// on a project whose code of the user's (uses.go) uses the generated
// fields, after three kinds of schema edit: none (no-op), an optional
// property added (additive: the generated declarations only grow, so the
// package is not type-checked), and a property the code uses renamed
// (breaking: the package is type-checked with the new files, and once more
// with the old ones to set aside errors that were there before). --dry-run
// plans, checks and reports like generate, and writes nothing, so every
// iteration starts from the same tree.
func BenchmarkGenerateCheck(b *testing.B) {
	for _, bb := range []struct {
		name     string
		from, to string
	}{
		{"no-op", "", ""},
		{"additive", `"nick":`, `"mood": {"type": "string"}, "nick":`},
		{"breaking", `"greeting"`, `"salutation"`},
	} {
		b.Run(bb.name, func(b *testing.B) {
			root := b.TempDir()
			dir := filepath.Join(root, "fn")
			schemaFile := filepath.Join(root, "in.json")
			if err := os.WriteFile(schemaFile, []byte(breakSchema), 0o644); err != nil {
				b.Fatal(err)
			}
			if code := Main(context.Background(), []string{"new", "fn", "--schema", schemaFile, "--dir", dir, "--no-input"}, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
				b.Fatalf("new: exit %d", code)
			}
			if err := os.WriteFile(filepath.Join(dir, "uses.go"), []byte(breakUses), 0o644); err != nil {
				b.Fatal(err)
			}
			p := filepath.Join(dir, "input.schema.json")
			s, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(strings.Replace(string(s), bb.from, bb.to, 1)), 0o644); err != nil {
				b.Fatal(err)
			}
			var out strings.Builder
			for b.Loop() {
				out.Reset()
				if code := Main(context.Background(), []string{"generate", "--dry-run", "--dir", dir}, strings.NewReader(""), &out, io.Discard); code != 0 {
					b.Fatalf("exit %d", code)
				}
			}
			if broke := strings.Contains(out.String(), "undefined"); broke != (bb.name == "breaking") {
				b.Fatalf("%s:\n%s", bb.name, out.String())
			}
		})
	}
}
