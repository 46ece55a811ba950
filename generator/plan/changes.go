package plan

import (
	"fmt"
	"slices"

	"github.com/direktiv-fn/direktiv-fn/generator/manifest"
)

// Changes says in words how a generation differs from the last one.
type Changes struct {
	// Known is false when the last generation recorded no input fields, so
	// that the field changes are unknown.
	Known bool
	// Added and Removed are input fields; Retyped pairs old and new.
	Added, Removed []manifest.FieldType
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
func diffRecords(id string, last, next *manifest.Record) Changes {
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
