package model

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/direktiv-fn/direktiv-fn/schema"
)

// FieldDocs returns the README rows of the schema tree at root. A
// recursive type is described once, where it first appears.
func FieldDocs(root *Node) []FieldDoc {
	var docs []FieldDoc
	if root.Kind != schema.TypeObject || root.Named == nil || !root.Named.Struct {
		docs = append(docs, fieldDocRow(root, "(root)", false, schema.Annotations{Title: root.Schema.Title, Description: root.Schema.Description}))
	}
	seen := map[*Node]bool{}
	var walk func(n *Node, ptr string)
	walk = func(n *Node, ptr string) {
		// A type used at many places within a type used at many places
		// makes a row per path: the table stops at maxDocRows.
		if seen[n] || len(docs) >= maxDocRows {
			return
		}
		seen[n] = true
		defer delete(seen, n)
		switch n.Kind {
		case schema.TypeObject:
			for _, p := range n.Props {
				pptr := ptr + "/" + schema.EscapeToken(p.Name)
				docs = append(docs, fieldDocRow(p.Node, pptr, p.Required, p.Ann))
				walk(p.Node, pptr)
			}
			for _, pt := range n.Patterns {
				walk(pt.Node, ptr+"/*")
			}
			if n.Addl != nil {
				walk(n.Addl, ptr+"/*")
			}
		case schema.TypeArray:
			walk(n.Item, ptr+"/*")
		}
	}
	walk(root, "")
	return docs
}

// maxDocRows bounds the rows of the README's input table.
const maxDocRows = 10000

// fieldDocRow returns the README row of one schema, described by its
// annotations ann.
func fieldDocRow(n *Node, ptr string, required bool, ann schema.Annotations) FieldDoc {
	d := FieldDoc{Pointer: ptr, Type: typeWords(n), Required: required, Description: ann.Description}
	if d.Description == "" {
		d.Description = ann.Title
	}
	if ann.Default != nil {
		d.Default = ValueJSONLine(ann.Default)
	}
	d.Constraints = constraintWords(n.Schema)
	return d
}

// constraintWords describes in words what s requires of a value, for the
// README's input table.
func constraintWords(s *schema.Schema) string {
	var words []string
	add := func(format string, args ...any) { words = append(words, fmt.Sprintf(format, args...)) }
	if s.Const != nil {
		add("always %s", ValueJSONLine(s.Const))
	}
	if len(s.Enum) > 0 && len(s.Enum) <= 10 {
		vals := make([]string, len(s.Enum))
		for i, v := range s.Enum {
			vals[i] = ValueJSONLine(v)
		}
		add("one of %s", strings.Join(vals, ", "))
	} else if len(s.Enum) > 10 {
		add("one of %d values", len(s.Enum))
	}
	add2 := func(min, max *int64, noun string) {
		plural := func(n int64) string {
			if n == 1 {
				return noun
			}
			return noun + "s"
		}
		switch {
		case min != nil && max != nil:
			add("%d–%d %s", *min, *max, plural(*max))
		case min != nil:
			add("at least %d %s", *min, plural(*min))
		case max != nil:
			add("at most %d %s", *max, plural(*max))
		}
	}
	add2(s.MinLength, s.MaxLength, "character")
	add2(s.MinItems, s.MaxItems, "item")
	add2(s.MinProperties, s.MaxProperties, "property")
	if s.UniqueItems {
		add("unique items")
	}
	for _, b := range []struct {
		n  *schema.Number
		op string
	}{{s.Minimum, "≥"}, {s.ExclusiveMinimum, ">"}, {s.Maximum, "≤"}, {s.ExclusiveMaximum, "<"}} {
		if b.n != nil {
			add("%s %s", b.op, b.n.Lit)
		}
	}
	if s.MultipleOf != nil {
		add("a multiple of %s", s.MultipleOf.Lit)
	}
	if s.Pattern != nil {
		add("pattern `%s`", s.Pattern.Source)
	}
	if s.Format != "" {
		add("format %s", s.Format)
	}
	return strings.Join(words, "; ")
}

// typeWords describes the type of a schema in JSON words.
func typeWords(n *Node) string {
	return typeWordsIn(n, map[*Node]bool{})
}

// typeWordsIn is typeWords for a node within the nodes of outer: an array
// or map that holds itself ends its words at the repetition, "array of
// array of ...".
func typeWordsIn(n *Node, outer map[*Node]bool) string {
	if outer[n] {
		return "..."
	}
	outer[n] = true
	if n.Nullable {
		cp := *n
		cp.Nullable = false
		return typeWordsIn(&cp, outer) + " or null"
	}
	switch {
	case n.Kind == AnyKind && len(n.Schema.Types) > 0:
		words := make([]string, len(n.Schema.Types))
		for i, t := range n.Schema.Types {
			words[i] = string(t)
		}
		return strings.Join(words, " or ")
	case n.Kind == AnyKind:
		return "any"
	case n.Kind == UnionKind && n.Union.Tag != "":
		return "object (" + n.Union.Keyword + " by " + strconv.Quote(n.Union.Tag) + ": " + strings.Join(n.Union.TagList(), ", ") + ")"
	case n.Kind == UnionKind && n.Union.Keyed:
		return "object (" + n.Union.Keyword + " by the property it has: " + strings.Join(n.Union.TagList(), ", ") + ")"
	case n.Kind == UnionKind:
		words := make([]string, len(n.Union.Branches))
		for i, br := range n.Union.Branches {
			words[i] = typeWordsIn(br.Node, outer)
		}
		return strings.Join(words, " or ") + " (" + n.Union.Keyword + ")"
	case n.Kind == schema.TypeArray:
		return "array of " + typeWordsIn(n.Item, outer)
	case n.Kind == schema.TypeObject && n.Addl != nil && (n.Named == nil || !n.Named.Struct):
		return "object of " + typeWordsIn(n.Addl, outer)
	case n.Enum != nil:
		return string(n.Kind) + " (enum)"
	}
	return string(n.Kind)
}

// WrapDoc wraps each line of the generator's own doc text at 74
// characters, so that comments stay readable; words are never split.
func WrapDoc(text string) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		var cur string
		for _, w := range strings.Fields(line) {
			if cur != "" && len(cur)+1+len(w) > 74 {
				out = append(out, cur)
				cur = ""
			}
			if cur != "" {
				cur += " "
			}
			cur += w
		}
		out = append(out, cur)
	}
	return strings.Join(out, "\n")
}

// fieldDoc returns the doc comment of a struct field. It starts with the
// field's name, as Go doc comments do; the schema's description (else its
// title) follows as a paragraph of its own.
func fieldDoc(field string, p *Prop) string {
	// The schema's own words say best what the field is (those beside a
	// "$ref" first); without them, which property it holds.
	doc := p.Ann.Description
	if doc == "" {
		doc = p.Ann.Title
	}
	switch {
	case doc != "":
	case p.Name == "":
		doc = field + " is the property whose name is the empty string."
	default:
		doc = field + " is the property " + strconv.Quote(p.Name) + "."
	}
	switch {
	case p.Def != nil:
		doc += "\n\nDefault: " + ValueJSONLine(p.Def) + "."
		if p.Node.Nullable {
			doc += " Nil when null."
		}
	case !p.Required && (p.Node.Kind == AnyKind || p.Node.Nullable):
		doc += "\n\nOptional: nil when absent or null."
	case !p.Required:
		doc += "\n\nOptional: nil when absent."
	case p.Node.Nullable:
		doc += "\n\nNullable: nil when null."
	}
	if p.Untagged {
		doc += "\n\n" + WrapDoc("A struct tag cannot name this property (encoding/json has no tag for it): the field's tag is \"-\", and MarshalJSON writes the property.")
	}
	if p.Ann.Deprecated {
		doc += "\n\nDeprecated: the input schema marks this property deprecated."
	}
	return doc
}

// validTagName reports whether encoding/json accepts name as the name in
// a struct tag: letters, digits and the punctuation it allows, not empty.
func validTagName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}
