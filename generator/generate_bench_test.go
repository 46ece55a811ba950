package generator

import (
	"os"
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/generator/internal/fixture"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// BenchmarkGenerate times the whole in-memory generation of the rich
// golden project: the input model, every template and gofmt.
func BenchmarkGenerate(b *testing.B) {
	cfg := fixture.RichConfig(b, config.ModeKnative)
	for b.Loop() {
		if _, err := Generate(cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInputModel times the parse of the rich golden schema and the
// build of its input model (types, decoders, sample and test cases).
func BenchmarkInputModel(b *testing.B) {
	data, err := os.ReadFile("../golden/knative-rich/input.schema.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		doc, err := schema.Parse("input.schema.json", data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := newInputModel(doc); err != nil {
			b.Fatal(err)
		}
	}
}
