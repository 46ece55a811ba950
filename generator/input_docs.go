package generator

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/direktiv-fn/direktiv-fn/schema"
)

// fieldDocs returns the README rows of the schema tree at root. A
// recursive type is described once, where it first appears.
func fieldDocs(root *node) []FieldDoc {
	var docs []FieldDoc
	if root.kind != schema.TypeObject || root.named == nil || !root.named.Struct {
		docs = append(docs, fieldDocRow(root, "(root)", false, schema.Annotations{Title: root.s.Title, Description: root.s.Description}))
	}
	seen := map[*node]bool{}
	var walk func(n *node, ptr string)
	walk = func(n *node, ptr string) {
		// A type used at many places within a type used at many places
		// makes a row per path: the table stops at maxDocRows.
		if seen[n] || len(docs) >= maxDocRows {
			return
		}
		seen[n] = true
		defer delete(seen, n)
		switch n.kind {
		case schema.TypeObject:
			for _, p := range n.props {
				pptr := ptr + "/" + escapePointer(p.name)
				docs = append(docs, fieldDocRow(p.node, pptr, p.required, p.ann))
				walk(p.node, pptr)
			}
			for _, pt := range n.patterns {
				walk(pt.node, ptr+"/*")
			}
			if n.addl != nil {
				walk(n.addl, ptr+"/*")
			}
		case schema.TypeArray:
			walk(n.item, ptr+"/*")
		}
	}
	walk(root, "")
	return docs
}

// maxDocRows bounds the rows of the README's input table.
const maxDocRows = 10000

// fieldDocRow returns the README row of one schema, described by its
// annotations ann.
func fieldDocRow(n *node, ptr string, required bool, ann schema.Annotations) FieldDoc {
	d := FieldDoc{Pointer: ptr, Type: typeWords(n), Required: required, Description: ann.Description}
	if d.Description == "" {
		d.Description = ann.Title
	}
	if ann.Default != nil {
		d.Default = valueJSONLine(ann.Default)
	}
	d.Constraints = constraintWords(n.s)
	return d
}

// constraintWords describes in words what s requires of a value, for the
// README's input table.
func constraintWords(s *schema.Schema) string {
	var words []string
	add := func(format string, args ...any) { words = append(words, fmt.Sprintf(format, args...)) }
	if s.Const != nil {
		add("always %s", valueJSONLine(s.Const))
	}
	if len(s.Enum) > 0 && len(s.Enum) <= 10 {
		vals := make([]string, len(s.Enum))
		for i, v := range s.Enum {
			vals[i] = valueJSONLine(v)
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
func typeWords(n *node) string {
	return typeWordsIn(n, map[*node]bool{})
}

// typeWordsIn is typeWords for a node within the nodes of outer: an array
// or map that holds itself ends its words at the repetition, "array of
// array of ...".
func typeWordsIn(n *node, outer map[*node]bool) string {
	if outer[n] {
		return "..."
	}
	outer[n] = true
	if n.nullable {
		cp := *n
		cp.nullable = false
		return typeWordsIn(&cp, outer) + " or null"
	}
	switch {
	case n.kind == anyKind && len(n.s.Types) > 0:
		words := make([]string, len(n.s.Types))
		for i, t := range n.s.Types {
			words[i] = string(t)
		}
		return strings.Join(words, " or ")
	case n.kind == anyKind:
		return "any"
	case n.kind == schema.TypeArray:
		return "array of " + typeWordsIn(n.item, outer)
	case n.kind == schema.TypeObject && n.addl != nil && (n.named == nil || !n.named.Struct):
		return "object of " + typeWordsIn(n.addl, outer)
	case n.enum != nil:
		return string(n.kind) + " (enum)"
	}
	return string(n.kind)
}

// wrapDoc wraps each line of the generator's own doc text at 74
// characters, so that comments stay readable; words are never split.
func wrapDoc(text string) string {
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
func fieldDoc(field string, p *prop) string {
	// The schema's own words say best what the field is (those beside a
	// "$ref" first); without them, which property it holds.
	doc := p.ann.Description
	if doc == "" {
		doc = p.ann.Title
	}
	switch {
	case doc != "":
	case p.name == "":
		doc = field + " is the property whose name is the empty string."
	default:
		doc = field + " is the property " + strconv.Quote(p.name) + "."
	}
	switch {
	case p.def != nil:
		doc += "\n\nDefault: " + valueJSONLine(p.def) + "."
		if p.node.nullable {
			doc += " Nil when null."
		}
	case !p.required && (p.node.kind == anyKind || p.node.nullable):
		doc += "\n\nOptional: nil when absent or null."
	case !p.required:
		doc += "\n\nOptional: nil when absent."
	case p.node.nullable:
		doc += "\n\nNullable: nil when null."
	}
	if p.untagged {
		doc += "\n\n" + wrapDoc("A struct tag cannot name this property (encoding/json has no tag for it): the field's tag is \"-\", and MarshalJSON writes the property.")
	}
	if p.ann.Deprecated {
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
