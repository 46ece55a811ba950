package model

import "context"

// Stopper lets a long loop over the schema notice a cancelled context
// without the cost of checking it at every step: it checks every 1,024
// steps and remembers the error.
type Stopper struct {
	ctx   context.Context
	steps int
	err   error
}

// NewStopper returns a stopper for ctx (never cancelled when nil).
func NewStopper(ctx context.Context) *Stopper {
	if ctx == nil {
		ctx = context.Background()
	}
	return &Stopper{ctx: ctx}
}

// Stopped counts a step and reports whether the context is done. A nil
// stopper never stops.
func (s *Stopper) Stopped() bool {
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

// Check returns the context's error now.
func (s *Stopper) Check() error {
	if s == nil {
		return nil
	}
	if s.err == nil {
		s.err = s.ctx.Err()
	}
	return s.err
}
