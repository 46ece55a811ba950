package generator

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated code of generator/internal/bench")

// benchDir holds the generated input code of the reference schema that the
// decoding benchmarks measure.
const benchDir = "internal/bench"

// TestBenchCodeFresh renders the input code of the reference schema (the
// knative-rich golden's) as package bench and compares it with the files
// committed in internal/bench, so that the benchmark measures what the
// generator produces today. With -update it rewrites them.
func TestBenchCodeFresh(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(benchDir, "input.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile("../golden/knative-rich/input.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if string(src) != string(golden) {
		if !*update {
			t.Errorf("%s/input.schema.json differs from golden/knative-rich/input.schema.json; run go test ./generator -run TestBenchCodeFresh -update", benchDir)
		}
		src = golden
		writeTestFile(t, filepath.Join(benchDir, "input.schema.json"), string(src))
	}
	files, err := conformanceSource(src, "bench")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		path := filepath.Join(benchDir, f.name)
		got, err := os.ReadFile(path)
		switch {
		case *update && string(got) != f.text:
			writeTestFile(t, path, f.text)
		case err != nil:
			t.Errorf("%v; run go test ./generator -run TestBenchCodeFresh -update", err)
		case string(got) != f.text:
			t.Errorf("%s is stale: run go test ./generator -run TestBenchCodeFresh -update", path)
		}
	}
}
