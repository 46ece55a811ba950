package generator

import (
	"github.com/direktiv-fn/direktiv-fn/generator/model"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// SampleInput returns a valid instance of the input schema, the one the
// generated tests and the sample workflow use: the root's first valid
// example, else its default, else a minimal value built from the schema.
// It fails as generation does for a schema the generator does not support.
func SampleInput(doc *schema.Document) (*schema.Value, error) {
	m, err := newInputModelWith(doc, inputOptions{sampleOnly: true})
	if err != nil {
		return nil, err
	}
	return m.Sample, nil
}

// SampleInputJSON returns SampleInput as compact JSON.
func SampleInputJSON(doc *schema.Document) ([]byte, error) {
	v, err := SampleInput(doc)
	if err != nil {
		return nil, err
	}
	return []byte(model.ValueJSONLine(v)), nil
}
