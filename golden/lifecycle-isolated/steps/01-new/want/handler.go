package main

import (
	"context"

	"example.com/archive/internal/fn"
)

// Output is the function's result: Direktiv stores it, encoded as JSON, at
// .return in the instance data. This file is yours: replace the example
// field with your own. Return only what the workflow needs: .return is
// stored in the instance data and shown in its logs, so never echo secrets.
type Output struct {
	// Message says what the call did.
	Message string `json:"message"`
}

// Handle runs one call of archive. The runtime has decoded and validated the
// input against input.schema.json; Output is the call's result.
//
// fn.Logf writes to the instance log. fn.CallFromContext(ctx) gives the call's
// temp dir (the action's files in, variables out).
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
	fn.Logf(ctx, "archive: handling a call")
	return Output{Message: "archive handled the call"}, nil
}
