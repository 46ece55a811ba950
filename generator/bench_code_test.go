package generator

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	fnruntime "github.com/direktiv-fn/direktiv-fn/generator/runtime"
)

var update = flag.Bool("update", false, "rewrite the generated code of generator/internal/bench and generator/internal/hostile")

// committedDecoders are the packages that hold the generated input code of
// a schema, committed so that benchmarks, tests and fuzz targets can use
// it as ordinary Go: dir, the schema the code is generated from, and the
// package name.
var committedDecoders = []struct{ dir, schema, pkg string }{
	// The reference schema (the knative-rich golden's) that the decoding
	// benchmarks measure; dir holds a copy.
	{"internal/bench", "../golden/knative-rich/input.schema.json", "bench"},
	// The schema of the benchmark's large input: many small strings.
	{"internal/bench/large", "internal/bench/large/input.schema.json", "large"},
	// The schema of the tests and fuzz targets of hostile input: depth,
	// memory, exact numbers.
	{"internal/hostile", "internal/hostile/input.schema.json", "hostile"},
}

// TestBenchCodeFresh renders the input code of each committed decoder's
// schema and compares it with the files committed in its folder, so that
// what the benchmarks and tests exercise is what the generator produces
// today. With -update it rewrites them.
func TestBenchCodeFresh(t *testing.T) {
	for _, c := range committedDecoders {
		src, err := os.ReadFile(c.schema)
		if err != nil {
			t.Fatal(err)
		}
		copyPath := filepath.Join(c.dir, "input.schema.json")
		if copyPath != filepath.Clean(c.schema) {
			have, err := os.ReadFile(copyPath)
			if err != nil || string(have) != string(src) {
				if !*update {
					t.Errorf("%s differs from %s; run go test ./generator -run TestBenchCodeFresh -update", copyPath, c.schema)
				}
				writeTestFile(t, copyPath, string(src))
			}
		}
		files, err := conformanceSource(src, c.pkg, fnruntime.ImportPrefix)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			path := filepath.Join(c.dir, f.name)
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
}
