package main

import (
	"context"
	"testing"
)

func TestHandle(t *testing.T) {
	// inputSample (in input.gen_test.go) is a valid input, regenerated
	// from input.schema.json whenever the schema changes.
	in, err := DecodeInput([]byte(inputSample))
	if err != nil {
		t.Fatalf("DecodeInput: %v", err)
	}
	out, err := Handle(context.Background(), in)
	if err != nil {
		t.Fatalf("Handle: %v", err)
	}
	// Replace these checks with checks of your own output.
	// The runtime checks every output with CheckOutput before returning it.
	if err := CheckOutput(out); err != nil {
		t.Errorf("Handle(%+v) = %+v, which the runtime refuses: %v", in, out, err)
	}
}
