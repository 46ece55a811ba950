package schema

import (
	"fmt"
	"strings"
)

// This file refuses reference cycles that never reach a value: a schema
// that applies itself to the same instance ({"$ref": "#"}, "$defs" x ->
// y -> x, an "allOf" that refers to its own schema) decides nothing, and
// every walk over it would never end. A cycle through a property, an item
// or any other keyword that moves to a part of the instance (a tree, a
// linked list) is fine: an instance is finite.

// edge is one in-place step from a schema to a subschema or to a
// reference's target, through keyword kw.
type edge struct {
	to *Schema
	kw string
}

// inPlace returns the steps from s to the schemas that apply to the same
// instance as s: the target of "$ref" and the in-place applicators, in a
// fixed order.
func inPlace(s *Schema) []edge {
	var out []edge
	if s.Ref != nil && s.Ref.Target != nil {
		out = append(out, edge{s.Ref.Target, "$ref"})
	}
	for _, c := range s.AllOf {
		out = append(out, edge{c, "allOf"})
	}
	for _, c := range s.AnyOf {
		out = append(out, edge{c, "anyOf"})
	}
	for _, c := range s.OneOf {
		out = append(out, edge{c, "oneOf"})
	}
	for _, c := range []struct {
		kw string
		s  *Schema
	}{{"not", s.Not}, {"if", s.If}, {"then", s.Then}, {"else", s.Else}} {
		if c.s != nil {
			out = append(out, edge{c.s, c.kw})
		}
	}
	for _, d := range s.DependentSchemas {
		out = append(out, edge{d.Schema, "dependentSchemas"})
	}
	return out
}

// walkFrame is a schema on the path of refCycles' walk, with the steps
// from it still to take.
type walkFrame struct {
	s     *Schema
	edges []edge
	// via is the step that led to s from the frame before.
	via  edge
	next int
}

// refCycles reports every cycle of in-place steps among the schemas of the
// document, each as the chain of its schemas' JSON Pointers. It walks
// depth first with an explicit stack (no recursion, however long a chain
// of references), from every schema in document order so that the same
// cycles are found at every run, and visits each schema once: the walk is
// linear in the size of the document. It stops when the parse is
// cancelled.
func (p *parser) refCycles() {
	const (
		unseen = iota
		open   // on the current path
		done
	)
	state := make(map[*Schema]int, len(p.all))
	for _, start := range p.all {
		if state[start] != unseen {
			continue
		}
		state[start] = open
		path := []*walkFrame{{s: start, edges: inPlace(start)}}
		for len(path) > 0 {
			if p.stopped() {
				return
			}
			top := path[len(path)-1]
			if top.next == len(top.edges) {
				state[top.s] = done
				path = path[:len(path)-1]
				continue
			}
			e := top.edges[top.next]
			top.next++
			switch state[e.to] {
			case unseen:
				state[e.to] = open
				path = append(path, &walkFrame{s: e.to, edges: inPlace(e.to), via: e})
			case open:
				p.cycle(path, e)
			}
		}
	}
}

// cycle reports the cycle that closes when the walk on path takes the
// step last back to a schema on the path. The diagnostic is at the first
// step of the cycle (the "$ref" or the applicator's subschema) and names
// every schema of the chain.
func (p *parser) cycle(path []*walkFrame, last edge) {
	i := len(path) - 1
	for path[i].s != last.to {
		i--
	}
	var chain []string
	for _, f := range path[i:] {
		chain = append(chain, displayPointer(f.s.Pointer))
	}
	chain = append(chain, displayPointer(last.to.Pointer))
	if len(chain) > 9 {
		// A long chain shows its ends.
		chain = append(append(chain[:4:4], fmt.Sprintf("(%d more)", len(chain)-8)), chain[len(chain)-4:]...)
	}
	first := last
	if i+1 < len(path) {
		first = path[i+1].via
	}
	from := path[i].s
	at, ptr := from.Pos, from.Pointer+"/"+first.kw
	if kp, ok := from.KeywordPos(first.kw); ok && first.kw == "$ref" {
		at = kp
	} else if first.kw != "$ref" {
		at, ptr = first.to.Pos, first.to.Pointer
	}
	p.diags = append(p.diags, Diagnostic{File: p.file, Pos: at, Pointer: ptr, Message: strings.Join(chain, " -> ") +
		": a reference cycle that never reaches a value: let it pass through \"properties\" or \"items\" (a tree), or remove a reference"})
}

// displayPointer shows a schema's JSON Pointer as diagnostics do: "(root)"
// for the root.
func displayPointer(ptr string) string {
	if ptr == "" {
		return "(root)"
	}
	return ptr
}
