package main

import (
	"context"

	"example.com/archive/internal/fn"
)

// Output is the function's result: Direktiv stores it, encoded as JSON, at
// .return in the instance data.
type Output struct {
	// Archive is the name of the archive written.
	Archive string `json:"archive"`
	// Tags counts the labels attached to it.
	Tags int `json:"tags"`
}

// Handle builds the archive (here: only its name).
func Handle(ctx context.Context, in Input) (Output, error) {
	fn.Logf(ctx, "archive: %s, level %v", in.Name, in.Level)
	return Output{Archive: in.Name + ".tar.gz", Tags: len(in.Tags)}, nil
}
