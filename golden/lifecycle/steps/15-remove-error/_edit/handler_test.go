package main

import (
	"context"

	"testing"
)

func TestHandle(t *testing.T) {
	in, err := DecodeInput([]byte(`{"name": "nightly", "tags": ["db"]}`))
	if err != nil {
		t.Fatalf("DecodeInput: %v", err)
	}
	out, err := Handle(context.Background(), in)
	if err != nil {
		t.Fatalf("Handle: %v", err)
	}
	if out.Archive != "nightly.tar.gz" || out.Tags != 1 {
		t.Errorf("Handle = %+v", out)
	}
}
