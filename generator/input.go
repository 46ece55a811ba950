package generator

import "github.com/direktiv-fn/direktiv-fn/schema"

// InputModel is the Go view of the input schema. PLACEHOLDER: replaced by the
// input code generator.
type InputModel struct {
	// Fields documents the input's fields for the README.
	Fields []FieldDoc
	// Sample is a valid instance of the schema.
	Sample *schema.Value
}

// FieldDoc is one row of the README's input table.
type FieldDoc struct {
	Pointer     string
	Type        string
	Required    bool
	Default     string
	Description string
}

func newInputModel(doc *schema.Document) (*InputModel, error) {
	return &InputModel{Sample: &schema.Value{Kind: schema.KindObject}}, nil
}
