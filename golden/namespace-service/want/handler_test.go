package main

import (
	"context"
	"reflect"
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
	// Replace this check with checks of your own output.
	if !reflect.DeepEqual(out.Input, in) {
		t.Errorf("Handle(%+v).Input = %+v, want the input", in, out.Input)
	}
}
