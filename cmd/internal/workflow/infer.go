package workflow

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/direktiv-fn/direktiv-fn/generator/direktiv"
)

// Inference is what a workflow file tells of its era.
type Inference struct {
	// Eras are the eras the file fits, oldest first: all of them when it
	// tells nothing, or when its signs contradict each other.
	Eras []direktiv.Era
	// Signs say what narrowed them, for messages: "direktiv_api (line 1)".
	Signs []string
	// Conflicts are the signs ignored because they contradict the ones
	// before them.
	Conflicts []string
}

// Infer reads the signs of its era from a workflow file: a direktiv_api
// (Direktiv v0.8.0 and later), a top-level id (required by the isolated
// era, refused by the later ones), function types isolated (v0.6.0 and
// earlier) or knative-workflow (v0.6.1 and later), then the lack of a
// top-level id. Each sign narrows the
// eras; a sign that would leave none is recorded as a conflict instead. A
// file that does not parse fits every era.
func Infer(data []byte) Inference {
	inf := Inference{Eras: append([]direktiv.Era(nil), direktiv.Eras...)}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return inf
	}
	root := resolve(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return inf
	}
	narrow := func(sign string, keep func(direktiv.Era) bool) {
		var out []direktiv.Era
		for _, e := range inf.Eras {
			if keep(e) {
				out = append(out, e)
			}
		}
		if len(out) == 0 {
			inf.Conflicts = append(inf.Conflicts, sign)
			return
		}
		if len(out) < len(inf.Eras) {
			inf.Signs = append(inf.Signs, sign)
		}
		inf.Eras = out
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		switch k.Value {
		case "direktiv_api":
			narrow(fmt.Sprintf("direktiv_api (line %d)", k.Line), func(e direktiv.Era) bool { return e.DirektivAPI })
		case "id":
			narrow(fmt.Sprintf("the top-level id (line %d)", k.Line), func(e direktiv.Era) bool { return e.WorkflowID })
		}
	}
	if fns := resolve(lookup(root, "functions")); fns != nil && fns.Kind == yaml.SequenceNode {
		for _, fn := range fns.Content {
			t := resolve(lookup(resolve(fn), "type"))
			if !isScalar(t, "!!str") {
				continue
			}
			switch t.Value {
			case direktiv.Isolated, direktiv.Knative:
				mode := t.Value
				narrow(fmt.Sprintf("function type %s (line %d)", mode, t.Line), func(e direktiv.Era) bool { return e.Mode == mode })
			}
		}
	}
	if lookup(root, "id") == nil {
		narrow("no top-level id", func(e direktiv.Era) bool { return !e.WorkflowID })
	}
	return inf
}

// String says which eras the file fits and why: "Direktiv v0.8.0–v0.10.0
// (knative-workflow functions), from direktiv_api (line 1)".
func (inf Inference) String() string {
	var names []string
	for _, e := range inf.Eras {
		names = append(names, e.String())
	}
	s := strings.Join(names, " or ")
	if len(inf.Signs) > 0 {
		s += ", from " + strings.Join(inf.Signs, " and ")
	}
	if len(inf.Conflicts) > 0 {
		s += "; contradicted by " + strings.Join(inf.Conflicts, " and ")
	}
	return s
}
