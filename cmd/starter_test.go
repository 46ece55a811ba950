package cmd

import (
	"testing"

	"github.com/direktiv-fn/direktiv-fn/schema"
	"github.com/direktiv-fn/direktiv-fn/templates"
)

// TestStarterSchema holds the built-in starter schema to a draft 2020-12
// object schema that parses and uses only the keywords it is meant to show.
func TestStarterSchema(t *testing.T) {
	doc, err := schema.Parse("starter.schema.json", templates.StarterSchema)
	if err != nil {
		t.Fatalf("the starter schema does not parse:\n%v", err)
	}
	if doc.Draft != schema.Draft2020 {
		t.Errorf("draft = %v, want draft 2020-12", doc.Draft)
	}
	allowed := map[string]bool{
		"type": true, "properties": true, "required": true, "items": true, "enum": true,
		"default": true, "description": true, "title": true, "minimum": true, "maximum": true,
		"minLength": true, "maxLength": true, "pattern": true, "minItems": true, "maxItems": true,
		"additionalProperties": true, "$schema": true, "$id": true, "$comment": true,
		"examples": true, "deprecated": true,
	}
	var walk func(s *schema.Schema)
	walk = func(s *schema.Schema) {
		for _, k := range s.Keywords {
			if !allowed[k.Name] {
				t.Errorf("%s: keyword %q is outside the starter's subset", s.Pointer, k.Name)
			}
		}
		if s.AdditionalProperties != nil && !s.AdditionalProperties.IsFalse() {
			t.Errorf("%s: additionalProperties must be false", s.Pointer)
		}
		for _, p := range s.Properties {
			walk(p.Schema)
		}
		if s.Items != nil {
			walk(s.Items)
		}
	}
	walk(doc.Root)
	if len(doc.Root.Types) != 1 || doc.Root.Types[0] != schema.TypeObject {
		t.Errorf("root types = %v, want object", doc.Root.Types)
	}
	if len(doc.Root.Required) == 0 {
		t.Error("the starter schema requires nothing: it should show \"required\"")
	}
}
