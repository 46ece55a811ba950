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
