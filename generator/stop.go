package generator

import "context"

// stopper lets a long loop over the schema notice a cancelled context
// without the cost of checking it at every step: it checks every 1,024
// steps and remembers the error.
type stopper struct {
	ctx   context.Context
	steps int
	err   error
}

// newStopper returns a stopper for ctx (never cancelled when nil).
func newStopper(ctx context.Context) *stopper {
	if ctx == nil {
		ctx = context.Background()
	}
	return &stopper{ctx: ctx}
}

// stopped counts a step and reports whether the context is done. A nil
// stopper never stops.
func (s *stopper) stopped() bool {
	if s == nil {
		return false
	}
	if s.err == nil {
		if s.steps++; s.steps%1024 == 0 {
			s.err = s.ctx.Err()
		}
	}
	return s.err != nil
}

// check returns the context's error now.
func (s *stopper) check() error {
	if s == nil {
		return nil
	}
	if s.err == nil {
		s.err = s.ctx.Err()
	}
	return s.err
}
