package main

import (
	"context"
	"reflect"
	"testing"
)

func TestHandle(t *testing.T) {
	// A valid input, generated from input.schema.json.
	in, err := DecodeInput([]byte("{\"name\":\"World\"}"))
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
