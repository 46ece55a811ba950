package generator

import (
	"fmt"
	"slices"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/schema"
)

// newRecord returns the record of a generation of cfg that rendered files,
// carrying forward the digests of stale generated files left on disk.
func newRecord(cfg Config, files []File, carry map[string]string) *Record {
	rec := &Record{Files: map[string]string{}, Input: InputFields(cfg.Schema), HasInput: true}
	for p, h := range carry {
		rec.Files[p] = h
	}
	for _, f := range files {
		if f.Policy == Generated && f.Path != ManifestFile && !isStamp(f.Path) {
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
		// places within one used at many places at maxDocRows fields.
		if s == nil || depth > 8 || len(out) >= maxDocRows {
			return
		}
		for _, p := range s.Properties {
			child := ptr + "/" + escapePointer(p.Name)
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
func recordType(s *schema.Schema) string {
	s = recordDeref(s)
	if s == nil {
		return "any"
	}
	var names []string
	for _, t := range s.Types {
		if t == schema.TypeArray {
			item := "any"
			if s.Items != nil {
				item = recordType(s.Items)
			}
			names = append(names, "array of "+item)
			continue
		}
		names = append(names, string(t))
	}
	w := strings.Join(names, " or ")
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

// Changes says in words how a generation differs from the last one.
type Changes struct {
	// Known is false when the last generation recorded no input fields, so
	// that the field changes are unknown.
	Known bool
	// Added and Removed are input fields; Retyped pairs old and new.
	Added, Removed []FieldType
	Retyped        []Retyped
	// CodesAdded and CodesRemoved are full error codes ("<id>.<name>").
	CodesAdded, CodesRemoved []string
	// Go are the generated Go identifiers renamed, removed and added, and
	// the error codes renamed, found by comparing the generated Go files
	// on disk with the new ones (whatever the record says).
	Go GoChanges
}

// Retyped is a field whose type changed.
type Retyped struct {
	Pointer  string
	Old, New string
}

// Empty reports whether nothing changed.
func (c Changes) Empty() bool {
	return len(c.Added)+len(c.Removed)+len(c.Retyped)+len(c.CodesAdded)+len(c.CodesRemoved)+len(c.Go.Lines()) == 0
}

// Lines returns the changes as sentences, one per line; none when empty.
func (c Changes) Lines() []string { return c.lines(false) }

// Conditional returns the changes as sentences about what a run would do
// ("error code fn.quux would be added"), for a preview of an edit that was
// not made.
func (c Changes) Conditional() []string { return c.lines(true) }

// lines returns the changes as sentences, in the conditional when would.
func (c Changes) lines(would bool) []string {
	var out []string
	for _, f := range c.Added {
		out = append(out, fmt.Sprintf("input field %s %s (%s)", f.Pointer, mood(would, "added"), f.Type))
	}
	for _, f := range c.Removed {
		out = append(out, fmt.Sprintf("input field %s %s (was %s)", f.Pointer, mood(would, "removed"), f.Type))
	}
	for _, r := range c.Retyped {
		out = append(out, fmt.Sprintf("input field %s %s: %s -> %s", r.Pointer, mood(would, "changed"), r.Old, r.New))
	}
	for _, code := range c.CodesAdded {
		out = append(out, fmt.Sprintf("error code %s %s", code, mood(would, "added")))
	}
	for _, code := range c.CodesRemoved {
		out = append(out, fmt.Sprintf("error code %s %s", code, mood(would, "removed")))
	}
	return append(out, c.Go.lines(would)...)
}

// mood returns a past participle ("added") or "is now" as said of a change
// made, or in the conditional of one that would be ("would be added",
// "would become").
func mood(would bool, verb string) string {
	switch {
	case !would:
		return verb
	case verb == "is now":
		return "would become"
	case verb == "changed":
		return "would change"
	}
	return "would be " + verb
}

// diffRecords compares the last generation's record with the new one.
func diffRecords(id string, last, next *Record) Changes {
	var c Changes
	if last == nil || !last.HasInput {
		return c
	}
	c.Known = true
	{
		old := map[string]string{}
		for _, f := range last.Input {
			old[f.Pointer] = f.Type
		}
		seen := map[string]bool{}
		for _, f := range next.Input {
			seen[f.Pointer] = true
			t, ok := old[f.Pointer]
			switch {
			case !ok:
				c.Added = append(c.Added, f)
			case t != f.Type:
				c.Retyped = append(c.Retyped, Retyped{Pointer: f.Pointer, Old: t, New: f.Type})
			}
		}
		for _, f := range last.Input {
			if !seen[f.Pointer] {
				c.Removed = append(c.Removed, f)
			}
		}
	}
	for _, e := range next.Errors {
		if !slices.Contains(last.Errors, e) {
			c.CodesAdded = append(c.CodesAdded, id+"."+e)
		}
	}
	for _, e := range last.Errors {
		if !slices.Contains(next.Errors, e) {
			c.CodesRemoved = append(c.CodesRemoved, id+"."+e)
		}
	}
	return c
}
