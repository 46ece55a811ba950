package generator

import "github.com/direktiv-fn/direktiv-fn/schema"

// defaultHolder returns the schema whose "default" a property gets: s, or
// the first along its chain of "$ref"s that has one (as
// schema.Annotations finds it), so that a problem with the default is
// reported where it is written.
func defaultHolder(s *schema.Schema) *schema.Schema {
	for i := 0; i <= 64 && s.Default == nil && s.Ref != nil; i++ {
		s = s.Ref.Target
	}
	return s
}

// propValue returns the sample value of property p: one of the "examples"
// or the "default" written beside its "$ref", when the property has its
// own and they are valid, else its node's sample.
func (sm *sampler) propValue(p *prop, full bool) *schema.Value {
	n := p.node
	scalar := n.kind != schema.TypeObject && n.kind != schema.TypeArray
	if !full || scalar {
		var own []*schema.Value
		if !sameValues(p.ann.Examples, n.s.Examples) {
			own = append(own, p.ann.Examples...)
		}
		if p.ann.Default != nil && p.ann.Default != n.s.Default {
			own = append(own, p.ann.Default)
		}
		for _, v := range own {
			if len(checkValue(n, v, "")) == 0 {
				return v
			}
		}
	}
	return sm.value(n, full)
}

// sameValues reports whether a and b are the same slice of values.
func sameValues(a, b []*schema.Value) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
