package main

import (
	"context"

	"example.com/lister/internal/fn"
)

// Handle runs one call of lister. The runtime has decoded and validated the
// input against input.schema.json. Output, generated from output.schema.json
// (in output.gen.go), is the call's result: Direktiv stores it at .return
// in the instance data, once the runtime has checked it against the schema
// (an output that does not match fails the call with lister.invalidOutput).
// Return only what the workflow needs: .return is shown in the instance's
// logs, so never echo secrets.
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
// errors.gen.go. Any other error fails the call with code lister.failed,
// and a panic with lister.panic.
func Handle(ctx context.Context, in Input) (Output, error) {
	fn.Logf(ctx, "lister: handling a call")
	// An example output that output.schema.json accepts: build yours.
	return Output{Status: OutputStatusComplete, Count: 0, Objects: []StoredObject{}}, nil
}
