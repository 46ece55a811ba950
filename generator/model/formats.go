package model

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/generator/runtime/formats"
	"github.com/direktiv-fn/direktiv-fn/schema"
	"github.com/direktiv-fn/direktiv-fn/schema/suggest"
)

// FormatInfo is how the generated decoder asserts one format: the checker
// of package formats (generator/runtime/formats) it calls, the start of its
// violation's message, and a value that fails it, for the generated tests.
type FormatInfo struct {
	Checker, Phrase, Invalid string
}

// FormatTable holds the asserted formats: those of draft 2020-12's
// format-assertion vocabulary that package formats checks.
var FormatTable = map[string]FormatInfo{
	"date-time":     {"DateTime", "not a date-time (RFC 3339): ", "2024-13-01T00:00:00Z"},
	"date":          {"Date", "not a date (RFC 3339 full-date): ", "2024-13-01"},
	"time":          {"Time", "not a time (RFC 3339 full-time, with offset): ", "24:00:00Z"},
	"duration":      {"Duration", "not a duration (RFC 3339 appendix A, ISO 8601): ", "P1H"},
	"email":         {"Email", "not an email address (RFC 5321): ", "user.example.com"},
	"hostname":      {"Hostname", "not a hostname (RFC 1123): ", "-example.com"},
	"ipv4":          {"IPv4", "not an IPv4 address: ", "192.0.2.256"},
	"ipv6":          {"IPv6", "not an IPv6 address (RFC 4291): ", "2001:db8::g"},
	"uri":           {"URI", "not a URI (RFC 3986): ", "example.com/no scheme"},
	"uri-reference": {"URIReference", "not a URI reference (RFC 3986): ", "/a b"},
	"uuid":          {"UUID", "not a UUID (RFC 4122): ", "123e4567-e89b-12d3-a456-42661417400"},
	"regex":         {"Regex", "not a regular expression (ECMA-262): ", "(unclosed"},
	"json-pointer":  {"JSONPointer", "not a JSON Pointer (RFC 6901): ", "no/leading/slash"},
}

// annotationFormats are the other formats JSON Schema defines (draft
// 2020-12 and draft-07), and "password", which direktiv-fn reads as a
// credential: they stay annotations.
var annotationFormats = []string{"idn-email", "idn-hostname", "iri", "iri-reference", "uri-template", "relative-json-pointer", "password"}

// AssertedFormat returns the format the decoder of node n asserts, or "":
// formats are asserted, n is a string node, and its "format" is one of
// FormatTable's.
func AssertedFormat(n *Node) string {
	if !n.Formats || n.Kind != schema.TypeString {
		return ""
	}
	if _, ok := FormatTable[n.Schema.Format]; ok {
		return n.Schema.Format
	}
	return ""
}

// FormatValid reports whether str is valid for format: true for a format
// that is not asserted.
func FormatValid(format, str string) bool {
	if _, ok := FormatTable[format]; !ok {
		return true
	}
	check, _ := formats.Lookup(format)
	return check(str)
}

// AssertedFormats returns the names of the asserted formats, sorted.
func AssertedFormats() []string {
	var out []string
	for f := range FormatTable {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// FormatWarnings returns a warning for every "format" of the document that
// is not asserted: an unknown one (a typo gets a suggestion) always, and,
// when formats are asserted (annotate false), one JSON Schema defines but
// direktiv-fn only annotates. Each is positioned at the keyword.
func FormatWarnings(doc *schema.Document, annotate bool) schema.Diagnostics {
	known := append(AssertedFormats(), annotationFormats...)
	var out schema.Diagnostics
	seen := map[*schema.Schema]bool{}
	var walk func(s *schema.Schema)
	walk = func(s *schema.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		if pos, ok := s.KeywordPos("format"); ok {
			d := schema.Diagnostic{File: doc.File, Pos: pos, Pointer: s.Pointer + "/format"}
			_, asserted := FormatTable[s.Format]
			switch {
			case asserted:
			case !slices.Contains(known, s.Format):
				d.Message = fmt.Sprintf("unknown format %q: it is an annotation only, nothing checks it", s.Format)
				if near := suggest.Nearest(s.Format, known); near != "" {
					d.Message += fmt.Sprintf(": did you mean %q?", near)
				}
			case !annotate:
				d.Message = fmt.Sprintf("format %q is an annotation only: direktiv-fn asserts %s", s.Format, strings.Join(AssertedFormats(), ", "))
			}
			if d.Message != "" {
				out = append(out, d)
			}
		}
		for _, c := range Subschemas(s) {
			walk(c)
		}
	}
	walk(doc.Root)
	return SortDiagnostics(out)
}

// Subschemas returns the schemas directly within s, in a fixed order.
func Subschemas(s *schema.Schema) []*schema.Schema {
	var out []*schema.Schema
	for _, p := range s.Properties {
		out = append(out, p.Schema)
	}
	for _, p := range s.PatternProperties {
		out = append(out, p.Schema)
	}
	out = append(out, s.AdditionalProperties, s.PropertyNames)
	for _, d := range s.DependentSchemas {
		out = append(out, d.Schema)
	}
	out = append(out, s.PrefixItems...)
	out = append(out, s.Items, s.Contains)
	out = append(out, s.AllOf...)
	out = append(out, s.AnyOf...)
	out = append(out, s.OneOf...)
	out = append(out, s.Not, s.If, s.Then, s.Else)
	for _, d := range s.Defs {
		out = append(out, d.Schema)
	}
	return out
}

// holdsTime reports whether the string node n decodes into a time.Time: a
// date-time that is asserted, without enum or const, and not a named type.
func holdsTime(n *Node) bool {
	return AssertedFormat(n) == "date-time" && n.Named == nil && n.Schema.Enum == nil && n.Schema.Const == nil
}

// timeLiteral returns the Go expression of the date-time s, a default:
// time.Date with its offset.
func timeLiteral(s string) (string, error) {
	t, ok := formats.ParseDateTime(s)
	if !ok {
		return "", fmt.Errorf("the default %q is not a date-time (RFC 3339)", s)
	}
	loc := "time.UTC"
	if _, off := t.Zone(); off != 0 {
		loc = fmt.Sprintf("time.FixedZone(\"\", %d)", off)
	}
	return fmt.Sprintf("time.Date(%d, %d, %d, %d, %d, %d, %d, %s)", t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc), nil
}
