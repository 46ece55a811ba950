package decode

// The optional scalar members of an input are pointers. NewString,
// NewBool, NewInt and NewFloat hand them out from slabs, each next one
// twice as large as the last up to maxSlab values, so that many optional
// members cost an allocation per slab, not one each. A slab stays in
// memory as long as one of its values is referenced.
const (
	minSlab = 4
	maxSlab = 256
)

// slab is where the next values of one type come from.
type slab[T any] struct {
	free []T
	size int
}

// take returns a pointer to a new zero value from s.
func (s *slab[T]) take() *T {
	if len(s.free) == 0 {
		s.size = min(max(2*s.size, minSlab), maxSlab)
		s.free = make([]T, s.size)
	}
	p := &s.free[0]
	s.free = s.free[1:]
	return p
}

// NewString returns a pointer to a new empty string.
func (d *Decoder) NewString() *string { return d.strs.take() }

// NewBool returns a pointer to a new false.
func (d *Decoder) NewBool() *bool { return d.bools.take() }

// NewInt returns a pointer to a new zero int64.
func (d *Decoder) NewInt() *int64 { return d.ints.take() }

// NewFloat returns a pointer to a new zero float64.
func (d *Decoder) NewFloat() *float64 { return d.floats.take() }
