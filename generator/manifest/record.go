package manifest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/generator/config"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// maxFields bounds the fields a record lists, as the README's input table
// is bounded.
const maxFields = 10000

// NewRecord returns the record of a generation of cfg that rendered files
// (the stamp left out), carrying forward the digests of stale generated
// files left on disk.
func NewRecord(cfg config.Config, files []config.File, carry map[string]string) *Record {
	rec := &Record{Files: map[string]string{}, Input: InputFields(cfg.Schema), HasInput: true}
	for p, h := range carry {
		rec.Files[p] = h
	}
	for _, f := range files {
		if f.Policy == config.Generated && f.Path != config.ManifestFile {
			rec.Files[f.Path] = Hash(f.Content)
		}
	}
	for _, e := range cfg.Errors {
		rec.Errors = append(rec.Errors, e.Name)
	}
	return rec
}

// InputFields lists the input's fields in schema order: each property and
// array element schema reachable from the root through "properties",
// "items", "prefixItems" and local "$ref", with its type in words. It is what
// the manifest records, and what "direktiv-fn generate" compares to say what
// changed.
func InputFields(doc *schema.Document) []FieldType {
	if doc == nil || doc.Root == nil {
		return nil
	}
	var out []FieldType
	var walk func(s *schema.Schema, ptr string, depth int)
	walk = func(s *schema.Schema, ptr string, depth int) {
		s = recordDeref(s)
		// Recursive schemas stop somewhere, and a schema used at many
		// places within one used at many places at maxFields fields.
		if s == nil || depth > 8 || len(out) >= maxFields {
			return
		}
		for _, p := range s.Properties {
			child := ptr + "/" + schema.EscapeToken(p.Name)
			t := recordType(p.Schema)
			if slices.Contains(s.Required, p.Name) {
				t += ", required"
			}
			out = append(out, FieldType{Pointer: child, Type: t})
			walk(p.Schema, child, depth+1)
		}
		for i, it := range s.PrefixItems {
			child := fmt.Sprintf("%s/%d", ptr, i)
			out = append(out, FieldType{Pointer: child, Type: recordType(it)})
			walk(it, child, depth+1)
		}
		if s.Items != nil {
			walk(s.Items, ptr+"/*", depth+1)
		}
	}
	root := recordDeref(doc.Root)
	if root != nil && len(root.Properties) == 0 && !slices.Contains(root.Types, schema.TypeObject) {
		out = append(out, FieldType{Pointer: "(root)", Type: recordType(root)})
	}
	walk(doc.Root, "", 0)
	return out
}

// recordDeref follows local references.
func recordDeref(s *schema.Schema) *schema.Schema {
	for i := 0; s != nil && s.Ref != nil && s.Ref.Target != nil && i < 16; i++ {
		s = s.Ref.Target
	}
	return s
}

// recordType describes a schema's type: "string", "integer or null",
// "string (enum)", "array of object", "any".
func recordType(s *schema.Schema) string { return recordTypeIn(s, 0) }

// maxTypeDepth bounds the nesting recordType describes: a recursive array
// or union is "..." below it.
const maxTypeDepth = 8

// recordTypeIn is recordType at nesting depth.
func recordTypeIn(s *schema.Schema, depth int) string {
	s = recordDeref(s)
	if s == nil {
		return "any"
	}
	if depth > maxTypeDepth {
		return "..."
	}
	var names []string
	for _, t := range s.Types {
		if t == schema.TypeArray {
			item := "any"
			if s.Items != nil {
				item = recordTypeIn(s.Items, depth+1)
			}
			names = append(names, "array of "+item)
			continue
		}
		names = append(names, string(t))
	}
	w := strings.Join(names, " or ")
	if branches, kw := unionBranches(s); w == "" && branches != nil {
		words := make([]string, len(branches))
		for i, b := range branches {
			words[i] = recordTypeIn(b, depth+1)
		}
		return kw + " (" + strings.Join(words, ", ") + ")"
	}
	switch {
	case w == "" && s.Const != nil:
		w = "const"
	case w == "" && s.Enum != nil:
		w = "enum"
	case w == "":
		w = "any"
	case s.Const != nil:
		w += " (const)"
	case s.Enum != nil:
		w += " (enum)"
	}
	return w
}

// unionBranches returns the branches of the "oneOf" or "anyOf" of s, and
// which keyword it is; nil when s has neither.
func unionBranches(s *schema.Schema) ([]*schema.Schema, string) {
	switch {
	case s.OneOf != nil:
		return s.OneOf, "oneOf"
	case s.AnyOf != nil:
		return s.AnyOf, "anyOf"
	}
	return nil, ""
}
