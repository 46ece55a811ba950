package sample

import (
	"github.com/direktiv-fn/direktiv-fn/generator/model"
	"github.com/direktiv-fn/direktiv-fn/schema"
)

// propValue returns the sample value of property p: one of the "examples"
// or the "default" written beside its "$ref", when the property has its
// own and they are valid, else its node's sample.
func (sm *Sampler) propValue(p *model.Prop, full bool) *schema.Value {
	n := p.Node
	scalar := n.Kind != schema.TypeObject && n.Kind != schema.TypeArray
	if !full || scalar {
		var own []*schema.Value
		if !sameValues(p.Ann.Examples, n.Schema.Examples) {
			own = append(own, p.Ann.Examples...)
		}
		if p.Ann.Default != nil && p.Ann.Default != n.Schema.Default {
			own = append(own, p.Ann.Default)
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
