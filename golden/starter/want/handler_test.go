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
	if want := "Hello, World!"; out.Greeting != want {
		t.Errorf("Handle(%+v).Greeting = %q, want %q", in, out.Greeting, want)
	}
}

func TestHandleStyles(t *testing.T) {
	for _, tt := range []struct {
		in   Input
		want string
	}{
		{Input{Name: "Ada", Greeting: "Hi", Times: 2, Style: InputStylePlain}, "Hi, Ada! Hi, Ada!"},
		{Input{Name: "Ada", Greeting: "Hi", Times: 1, Style: InputStyleShout}, "HI, ADA!"},
		{Input{Name: "Ada", Greeting: "Hi", Times: 1, Style: InputStyleWhisper}, "hi, ada!"},
	} {
		out, err := Handle(context.Background(), tt.in)
		if err != nil {
			t.Fatalf("Handle(%+v): %v", tt.in, err)
		}
		if out.Greeting != tt.want {
			t.Errorf("Handle(%+v).Greeting = %q, want %q", tt.in, out.Greeting, tt.want)
		}
	}
}
