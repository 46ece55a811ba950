package workflow

import (
	"gopkg.in/yaml.v3"
)

// unreachable warns about each state no path of transitions leads to from
// the start state (start.state, else the first state): Direktiv accepts it,
// but it never runs, which is usually a misspelt or forgotten transition.
// The walk visits each state once.
func (c *checker) unreachable(root *yaml.Node) {
	list := resolve(lookup(root, "states"))
	if list == nil || list.Kind != yaml.SequenceNode || len(list.Content) == 0 {
		return
	}
	type state struct {
		id   *yaml.Node
		next []string
	}
	var order []string
	states := map[string]*state{}
	for _, s := range list.Content {
		s = resolve(s)
		id := resolve(lookup(s, "id"))
		if !isScalar(id, "!!str") || id.Value == "" || states[id.Value] != nil {
			continue
		}
		st := &state{id: id}
		add := func(v *yaml.Node) {
			if v = resolve(v); isScalar(v, "!!str") && v.Value != "" {
				st.next = append(st.next, v.Value)
			}
		}
		for _, key := range transitionFields {
			add(lookup(s, key))
		}
		for _, key := range []string{"catch", "conditions", "events"} {
			if l := resolve(lookup(s, key)); l != nil && l.Kind == yaml.SequenceNode {
				for _, e := range l.Content {
					add(lookup(resolve(e), "transition"))
				}
			}
		}
		states[id.Value] = st
		order = append(order, id.Value)
	}
	if len(order) == 0 {
		return
	}
	start := order[0]
	if v := resolve(lookup(resolve(lookup(root, "start")), "state")); isScalar(v, "!!str") && v.Value != "" {
		start = v.Value
	}
	if states[start] == nil {
		return // reported as a transition to no state
	}
	seen := map[string]bool{start: true}
	queue := []string{start}
	for len(queue) > 0 {
		s := states[queue[0]]
		queue = queue[1:]
		for _, n := range s.next {
			if states[n] != nil && !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
	}
	for _, id := range order {
		if !seen[id] {
			c.warnf(states[id].id, "state %q is never reached: no transition leads to it from the start state %q; add one (a transition, a catch or a switch condition), or remove the state", id, start)
		}
	}
}
