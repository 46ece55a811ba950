package sample

import (
	"testing"

	"github.com/direktiv-fn/direktiv-fn/generator/runtime/formats"
)

// TestFormatSamplesValid runs every sample the generator writes for a
// format through the checker the generated decoder asserts it with: the
// first sample and the distinct variants, as far as each format has them.
func TestFormatSamplesValid(t *testing.T) {
	checked := 0
	for format := range formatSamples {
		check, ok := formats.Lookup(format)
		if !ok {
			continue // an annotation only: idn-hostname, iri...
		}
		checked++
		for i := 0; i < 300; i++ {
			v, ok := formatVariant(format, i)
			if !ok {
				break
			}
			if !check(v) {
				t.Errorf("sample %d of format %s, %q, fails its checker", i, format, v)
			}
		}
	}
	if checked != 13 {
		t.Errorf("%d formats with samples are checked; want the 13 asserted formats", checked)
	}
}
