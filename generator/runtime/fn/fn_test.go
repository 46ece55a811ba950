package fn

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// The runtime's tests run a function of their own: Input and Output,
// DecodeInput and the three built-in codes stand for those a function's
// package main declares.

// Input is the test function's input.
type Input struct {
	Name string `json:"name"`
}

// Output is the test function's output.
type Output struct {
	Message string `json:"message,omitempty"`
}

// The test function's error codes.
const (
	ErrInvalidInput ErrorCode = "test.invalidInput"
	ErrFailed       ErrorCode = "test.failed"
	ErrPanic        ErrorCode = "test.panic"
	ErrTooBig       ErrorCode = "test.tooBig"
)

// testCodes are the test function's error codes.
var testCodes = []ErrorCode{ErrInvalidInput, ErrFailed, ErrPanic, ErrTooBig}

// DecodeInput decodes an object with a string "name" and nothing else.
func DecodeInput(data []byte) (Input, error) {
	var in Input
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return Input{}, fmt.Errorf("invalid input: %w", err)
	}
	if dec.More() {
		return Input{}, errors.New("invalid input: more than one value")
	}
	if !strings.HasPrefix(strings.TrimSpace(string(data)), "{") {
		return Input{}, errors.New("invalid input: not an object")
	}
	return in, nil
}

// handlerFunc is the type of the test function's handlers.
type handlerFunc func(ctx context.Context, in Input) (Output, error)

// testFunction returns the test function with handler handle.
func testFunction(handle handlerFunc) Function[Input, Output] {
	return Function[Input, Output]{
		ID:           "test",
		Decode:       DecodeInput,
		Handle:       handle,
		InvalidInput: ErrInvalidInput,
		Failed:       ErrFailed,
		Panic:        ErrPanic,
	}
}

// newTestServer returns the server of the test function with handler
// handle, logging to the sidecar at sidecarURL.
func newTestServer(handle handlerFunc, sidecarURL string) *server {
	return newServer(testFunction(handle).runner(), sidecarURL)
}

// runTest runs the test function with handler handle in the data folder
// dir with settings s.
func runTest(dir string, s dataSettings, handle handlerFunc) error {
	return runData(dir, s, testFunction(handle).runner())
}

func TestCallFromContext(t *testing.T) {
	if _, ok := CallFromContext(context.Background()); ok {
		t.Error("a context of no call has a call")
	}
	c := &Call{ActionID: "a", TempDir: "/t", Iterator: 2}
	got, ok := CallFromContext(withCall(context.Background(), c))
	if !ok || got.ActionID != "a" || got.TempDir != "/t" || got.Iterator != 2 {
		t.Errorf("CallFromContext = %+v, %v", got, ok)
	}
}

func TestLogf(t *testing.T) {
	var got []string
	ctx := withCall(context.Background(), &Call{log: func(msg string) { got = append(got, msg) }})
	Logf(ctx, "a %d", 1)
	Logf(ctx, "")
	Logf(ctx, "\n")
	Logf(ctx, "b\n")
	if strings.Join(got, "|") != "a 1|b\n" {
		t.Errorf("logged %q, want the non-empty messages", got)
	}
}
