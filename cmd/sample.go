package cmd

import (
	"encoding/json"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/schema"
)

// sampleJSON returns a compact JSON object for the curl line of the next
// steps: the schema's required top-level properties, each with its first
// example, its default, its first enum value or a plain value of its type.
// It is a hint for a first try, not a guaranteed-valid instance.
func sampleJSON(doc *schema.Document) string {
	if doc == nil || doc.Root == nil {
		return "{}"
	}
	root := deref(doc.Root)
	var b strings.Builder
	b.WriteByte('{')
	n := 0
	for _, p := range root.Properties {
		if !contains(root.Required, p.Name) {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		writeString(&b, p.Name)
		b.WriteByte(':')
		writeSample(&b, deref(p.Schema))
	}
	b.WriteByte('}')
	return b.String()
}

// deref follows local references.
func deref(s *schema.Schema) *schema.Schema {
	for i := 0; s != nil && s.Ref != nil && s.Ref.Target != nil && i < 32; i++ {
		s = s.Ref.Target
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// writeSample writes a plausible value for s.
func writeSample(b *strings.Builder, s *schema.Schema) {
	switch {
	case s == nil:
		b.WriteString("null")
	case len(s.Examples) > 0:
		writeValue(b, s.Examples[0])
	case s.Default != nil:
		writeValue(b, s.Default)
	case s.Const != nil:
		writeValue(b, s.Const)
	case len(s.Enum) > 0:
		writeValue(b, s.Enum[0])
	case len(s.Types) == 0:
		b.WriteString("null")
	default:
		switch s.Types[0] {
		case schema.TypeString:
			v := "example"
			if s.MinLength != nil && int64(len(v)) < *s.MinLength {
				v += strings.Repeat("x", int(*s.MinLength)-len(v))
			}
			if s.MaxLength != nil && int64(len(v)) > *s.MaxLength {
				v = v[:*s.MaxLength]
			}
			writeString(b, v)
		case schema.TypeInteger, schema.TypeNumber:
			switch {
			case s.Minimum != nil:
				b.WriteString(s.Minimum.Lit)
			case s.Maximum != nil:
				b.WriteString(s.Maximum.Lit)
			default:
				b.WriteString("1")
			}
		case schema.TypeBoolean:
			b.WriteString("true")
		case schema.TypeArray:
			b.WriteByte('[')
			if s.MinItems != nil && *s.MinItems > 0 {
				writeSample(b, deref(s.Items))
			}
			b.WriteByte(']')
		case schema.TypeObject:
			inner := sampleJSON(&schema.Document{Root: s})
			b.WriteString(inner)
		default:
			b.WriteString("null")
		}
	}
}

// writeValue writes a schema value as compact JSON, members in document order.
func writeValue(b *strings.Builder, v *schema.Value) {
	switch v.Kind {
	case schema.KindNull:
		b.WriteString("null")
	case schema.KindBool:
		if v.Bool {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case schema.KindNumber:
		b.WriteString(v.Number.Lit)
	case schema.KindString:
		writeString(b, v.String)
	case schema.KindArray:
		b.WriteByte('[')
		for i, e := range v.Array {
			if i > 0 {
				b.WriteByte(',')
			}
			writeValue(b, e)
		}
		b.WriteByte(']')
	case schema.KindObject:
		b.WriteByte('{')
		for i, m := range v.Members {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, m.Key)
			b.WriteByte(':')
			writeValue(b, m.Value)
		}
		b.WriteByte('}')
	}
}

func writeString(b *strings.Builder, s string) {
	q, _ := json.Marshal(s)
	b.Write(q)
}
