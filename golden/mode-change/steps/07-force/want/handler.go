package main

import (
	"context"
	"strings"

	"example.com/archive/internal/fn"
)

// Output is the function's result: Direktiv stores it, encoded as JSON, at
// .return in the instance data. This file is yours: replace the example
// fields with your own.
type Output struct {
	// Greeting is the greeting, written in the input's style and repeated
	// as many times as it asks.
	Greeting string `json:"greeting"`
	// Tags are the input's labels.
	Tags []string `json:"tags,omitempty"`
}

// Handle runs one call of archive. The runtime has decoded and validated the
// input against input.schema.json; Output is the call's result.
//
// fn.Logf writes to the instance log. fn.CallFromContext(ctx) gives the call's
// action id, temp dir (the action's files in, variables out) and
// iterator. ctx is cancelled when Direktiv gives up on the call (action
// timeout, or instance cancelled): return soon after.
//
// To fail with an error code that a workflow can catch, return an error
// made by fn.NewError, wrapped or not. It formats as fmt.Errorf does, so
// %w keeps the cause for errors.Is and errors.As:
//
//	return Output{}, fn.NewError(ErrFailed, "cannot read %s: %w", name, err)
//
// Add codes with "direktiv-fn add-error"; each becomes a constant in
// errors.gen.go. Any other error fails the call with code archive.failed,
// and a panic with archive.panic.
func Handle(ctx context.Context, in Input) (Output, error) {
	fn.Logf(ctx, "archive: greeting %s %d time(s)", in.Name, in.Times)
	greeting := in.Greeting + ", " + in.Name + "!"
	switch in.Style {
	case InputStyleShout:
		greeting = strings.ToUpper(greeting)
	case InputStyleWhisper:
		greeting = strings.ToLower(greeting)
	}
	words := make([]string, in.Times)
	for i := range words {
		words[i] = greeting
	}
	return Output{Greeting: strings.Join(words, " "), Tags: in.Tags}, nil
}
