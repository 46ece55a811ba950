package sample

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/direktiv-fn/direktiv-fn/generator/emit"
	"github.com/direktiv-fn/direktiv-fn/generator/model"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// CheckAnnotations refuses every "default" and every "examples" value of
// the document that does not validate against its own schema, as the
// generator's validator (checkValue, schemaCheck) decides: a default would
// be applied to absent properties unchecked, and an example is shown to
// users as valid. Each diagnostic is at the value, with the violation; they
// come back sorted by position. nodes are the typed nodes by schema.
func CheckAnnotations(doc *schema.Document, nodes map[*schema.Schema]*model.Node, formats bool) schema.Diagnostics {
	res := newChecker(formats)
	var diags schema.Diagnostics
	check := func(s *schema.Schema, v *schema.Value) *violation {
		if n, ok := nodes[s]; ok {
			if vs := checkValue(n, v, ""); len(vs) > 0 {
				return &vs[0]
			}
			return nil
		}
		return schemaCheck(s, v, res, "")
	}
	seen := map[*schema.Schema]bool{}
	var walk func(s *schema.Schema)
	walk = func(s *schema.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		if d := s.Default; d != nil {
			if f := check(s, d); f != nil {
				diags = append(diags, valueError(doc, d, s.Pointer+"/default", "the default %s does not match its schema: %s", f))
			}
		}
		for i, ex := range s.Examples {
			if f := check(s, ex); f != nil {
				diags = append(diags, valueError(doc, ex, s.Pointer+"/examples/"+strconv.Itoa(i), "the example %s does not match its schema: %s", f))
			}
		}
		for _, c := range model.Subschemas(s) {
			walk(c)
		}
	}
	walk(doc.Root)
	return model.SortDiagnostics(diags)
}

// valueError returns a diagnostic of doc at the schema value v (whose pointer is
// ptr when it has none) with the message format of the value and the
// violation f.
func valueError(doc *schema.Document, v *schema.Value, ptr, format string, f *violation) schema.Diagnostic {
	d := schema.Diagnostic{File: doc.File, Pos: v.Pos, Pointer: v.Pointer}
	if d.Pointer == "" {
		d.Pointer = ptr
	}
	d.Message = fmt.Sprintf(format, shortJSON(v), f.message())
	return d
}

// shortJSON renders a value as compact JSON of at most 60 characters.
func shortJSON(v *schema.Value) string {
	s := model.ValueJSONLine(v)
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "..."
	}
	return s
}

// message says what a violation found by the generator's validator breaks,
// in the words of the generated decoder's messages: "at /a: must be >= 1".
func (f violation) message() string {
	for f.inner != nil {
		f = *f.inner
	}
	at := ""
	if f.pointer != "" {
		at = "at " + f.pointer + ": "
	}
	return at + keywordPhrase(f)
}

// keywordPhrase says what keyword f.keyword of schema f.s asks for.
func keywordPhrase(f violation) string {
	s := f.s
	switch f.keyword {
	case stepsKeyword:
		return "takes more than " + strconv.Itoa(maxCheckSteps) + " steps to check (a schema used several times within schemas used several times): simplify the schema"
	case "type":
		if f.v != nil && len(s.Types) > 0 {
			for _, t := range s.Types {
				if model.ValueHasType(f.v, t) {
					return "is beyond the range of the Go type (int64 for an integer, float64 for a number)"
				}
			}
		}
		return "must be " + emit.TypePhrase(s.Types) + "; got " + kindWords(f.v)
	case "enum":
		return strings.TrimSuffix(emit.EnumPhrase(s.Enum), "; got ")
	case "const":
		return "must be " + shortJSON(s.Const)
	case "minimum":
		return "must be >= " + s.Minimum.Lit
	case "maximum":
		return "must be <= " + s.Maximum.Lit
	case "exclusiveMinimum":
		return "must be > " + s.ExclusiveMinimum.Lit
	case "exclusiveMaximum":
		return "must be < " + s.ExclusiveMaximum.Lit
	case "multipleOf":
		return "must be a multiple of " + s.MultipleOf.Lit
	case "minLength":
		return emit.CountPhrase(f.keyword, *s.MinLength)
	case "maxLength":
		return emit.CountPhrase(f.keyword, *s.MaxLength)
	case "pattern":
		return "must match the pattern " + s.Pattern.Source
	case "format":
		return strings.TrimSuffix(model.FormatTable[s.Format].Phrase, ": ")
	case "minItems":
		return emit.CountPhrase(f.keyword, *s.MinItems)
	case "maxItems":
		return emit.CountPhrase(f.keyword, *s.MaxItems)
	case "uniqueItems":
		return "equals " + f.equals
	case "minProperties":
		return emit.CountPhrase(f.keyword, *s.MinProperties)
	case "maxProperties":
		return emit.CountPhrase(f.keyword, *s.MaxProperties)
	case "required":
		return "is required but missing"
	case "dependentRequired":
		return "is required by \"dependentRequired\""
	case "additionalProperties":
		return "is not allowed by \"additionalProperties\""
	case "propertyNames":
		return "is a name that \"propertyNames\" refuses"
	case "false":
		return "is not allowed: the schema is false"
	case "anyOf":
		return "must match at least one of the anyOf schemas; it matches none"
	case "oneOf":
		return "must match exactly one of the oneOf schemas"
	case "not":
		return "must not match the \"not\" schema"
	}
	return "fails \"" + f.keyword + "\""
}

// kindWords names the JSON type of v.
func kindWords(v *schema.Value) string {
	if v == nil {
		return "nothing"
	}
	return v.Kind.String()
}
