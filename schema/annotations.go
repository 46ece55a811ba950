package schema

// Annotations are the annotation keywords in effect for a schema.
type Annotations struct {
	Title       string
	Description string
	Default     *Value
	Examples    []*Value
	Deprecated  bool
	ReadOnly    bool
	WriteOnly   bool
}

// maxRefChain bounds how many "$ref"s Annotations follows.
const maxRefChain = 64

// Annotations returns the annotations in effect for s: each of "title",
// "description", "default", "examples", "deprecated", "readOnly" and
// "writeOnly" is the one written in s, else the one of the schema its
// "$ref" points to, and so on along the chain of references. An
// annotation written beside a "$ref" so wins over its target's, as draft
// 2020-12 says (section 7.7.1.1: the annotation of the referencing schema
// is the one a reader of that location sees). The chain is followed at
// most 64 references deep (Parse refuses a cycle of references).
func (s *Schema) Annotations() Annotations {
	var a Annotations
	var haveTitle, haveDesc, haveDeprecated, haveReadOnly, haveWriteOnly bool
	for i := 0; s != nil && i <= maxRefChain; i++ {
		if !haveTitle && s.has("title") {
			a.Title, haveTitle = s.Title, true
		}
		if !haveDesc && s.has("description") {
			a.Description, haveDesc = s.Description, true
		}
		if a.Default == nil {
			a.Default = s.Default
		}
		if a.Examples == nil {
			a.Examples = s.Examples
		}
		if !haveDeprecated && s.has("deprecated") {
			a.Deprecated, haveDeprecated = s.Deprecated, true
		}
		if !haveReadOnly && s.has("readOnly") {
			a.ReadOnly, haveReadOnly = s.ReadOnly, true
		}
		if !haveWriteOnly && s.has("writeOnly") {
			a.WriteOnly, haveWriteOnly = s.WriteOnly, true
		}
		if s.Ref == nil {
			break
		}
		s = s.Ref.Target
	}
	return a
}

// has reports whether the keyword name is written in s.
func (s *Schema) has(name string) bool {
	_, ok := s.KeywordPos(name)
	return ok
}
