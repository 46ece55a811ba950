package schema

import "testing"

// TestKeywordTable: the table the parser dispatches on holds every
// annotation (a keyword that changes no verdict), and no keyword that is
// refused as unsupported.
func TestKeywordTable(t *testing.T) {
	for _, name := range []string{"$schema", "$id", "$anchor", "$comment", "title", "description",
		"default", "examples", "deprecated", "readOnly", "writeOnly"} {
		if keywords[name] == nil {
			t.Errorf("annotation %q has no parser in keywords", name)
		}
	}
	for name := range unsupported {
		if keywords[name] != nil {
			t.Errorf("unsupported keyword %q has a parser in keywords", name)
		}
	}
	if got := nearest("minLenght"); got != "minLength" {
		t.Errorf("nearest(minLenght) = %q, want minLength", got)
	}
	if got := nearest("descripton"); got != "description" {
		t.Errorf("nearest(descripton) = %q, want description", got)
	}
}
