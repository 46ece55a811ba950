package cmd

import "context"

// interruptible runs work, which should itself stop soon once ctx is done,
// and returns its result; or, as soon as ctx is done, ctx's error, leaving
// work to finish in the background. A step that cannot be interrupted
// (yaml.v3 reading a huge file, gofmt of a huge file) then cannot delay
// Ctrl-C: the commands write nothing until work has returned, and the
// process exits.
func interruptible[T any](ctx context.Context, work func(context.Context) (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := work(ctx)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
