package model

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/direktiv-fn/direktiv-fn/schema"
)

// ValueJSON renders a schema value as indented JSON, members in document order.
func ValueJSON(v *schema.Value) string {
	var b bytes.Buffer
	writeJSON(&b, v, "\n")
	return b.String()
}

// ValueJSONLine renders a schema value as compact JSON on one line.
func ValueJSONLine(v *schema.Value) string {
	var b bytes.Buffer
	writeJSON(&b, v, "")
	return b.String()
}

// writeJSON writes v as JSON, members in document order; nl is "" for one
// line, else the line break and indentation of v's own level.
func writeJSON(b *bytes.Buffer, v *schema.Value, nl string) {
	indent := ""
	if nl != "" {
		indent = nl + "  "
	}
	switch v.Kind {
	case schema.KindNull:
		b.WriteString("null")
	case schema.KindBool:
		b.WriteString(strconv.FormatBool(v.Bool))
	case schema.KindNumber:
		b.WriteString(v.Number.Lit)
	case schema.KindString:
		WriteJSONString(b, v.String)
	case schema.KindArray:
		if len(v.Array) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, e := range v.Array {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(indent)
			writeJSON(b, e, indent)
		}
		b.WriteString(nl)
		b.WriteByte(']')
	case schema.KindObject:
		if len(v.Members) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteByte('{')
		for i, m := range v.Members {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(indent)
			WriteJSONString(b, m.Key)
			b.WriteByte(':')
			if nl != "" {
				b.WriteByte(' ')
			}
			writeJSON(b, m.Value, indent)
		}
		b.WriteString(nl)
		b.WriteByte('}')
	}
}

// WriteJSONString writes s as a JSON string, escaped as encoding/json
// escapes it; plain ASCII text is written without calling it.
func WriteJSONString(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			b.Write(q)
			return
		}
	}
	b.WriteByte('"')
	b.WriteString(s)
	b.WriteByte('"')
}

// GoString returns a Go string literal of s: a raw literal when s has no
// back quote, carriage return or other control character, else a quoted one.
func GoString(s string) string {
	for _, r := range s {
		if r == '`' || r < ' ' || r == utf8.RuneError || r == 0x7f || r == '\ufeff' {
			return strconv.Quote(s)
		}
	}
	if !utf8.ValidString(s) || !strings.ContainsAny(s, "\"\\") {
		return strconv.Quote(s)
	}
	return "`" + s + "`"
}

// GoComment turns text into Go line comments indented by indent tabs,
// one comment line per text line.
func GoComment(indent int, text string) string {
	prefix := strings.Repeat("\t", indent) + "//"
	var b strings.Builder
	for i, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(prefix)
		if line = strings.TrimRight(line, " \t"); line != "" {
			b.WriteByte(' ')
			b.WriteString(line)
		}
	}
	return b.String()
}
