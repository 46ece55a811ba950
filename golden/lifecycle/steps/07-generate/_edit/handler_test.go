package main

import (
	"context"
	"errors"
	"testing"

	"example.com/archive/internal/fn"
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

func TestHandleTooManyTags(t *testing.T) {
	in, err := DecodeInput([]byte(`{"name": "n", "tags": ["1","2","3","4","5","6","7","8","9","10","11"]}`))
	if err != nil {
		t.Fatalf("DecodeInput: %v", err)
	}
	_, err = Handle(context.Background(), in)
	var e *fn.Error
	if !errors.As(err, &e) || e.Code != ErrBadInput {
		t.Errorf("Handle: %v, want code %s", err, ErrBadInput)
	}
}
