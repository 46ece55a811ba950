package fn

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
)

// Function is a function as the runtime runs it: its id, the decoder of
// its input, its handler and its built-in error codes. The generated main
// fills it in.
type Function[In, Out any] struct {
	// ID is the function's id, which starts its messages on stderr.
	ID string
	// Decode decodes and validates an input; its error is the message of
	// an InvalidInput error.
	Decode func(data []byte) (In, error)
	// Handle runs a call.
	Handle func(ctx context.Context, in In) (Out, error)
	// InvalidInput is the code of an input that cannot be decoded, Failed
	// that of a handler's error without a code (and of the runtime's own
	// failures), Panic that of a handler that panicked.
	InvalidInput, Failed, Panic ErrorCode
}

// failure is the error a call reports: its code and message, and whether
// the input is at fault.
type failure struct {
	code    ErrorCode
	message string
	input   bool
}

// call runs one call of f on the input data with the handler's context
// ctx: its output as JSON, or the failure to report.
func (f Function[In, Out]) call(ctx context.Context, data []byte) ([]byte, *failure) {
	in, err := f.Decode(data)
	if err != nil {
		return nil, &failure{code: f.InvalidInput, message: err.Error(), input: true}
	}
	out, err := f.invoke(ctx, in)
	if err != nil {
		return nil, f.failureOf(err)
	}
	b, err := marshalJSON(out)
	if err != nil {
		return nil, &failure{code: f.Failed, message: fmt.Sprintf("encoding the output: %v", err)}
	}
	return b, nil
}

// invoke calls the handler and turns a panic into an error with code
// Panic, writing the stack to the call's log.
func (f Function[In, Out]) invoke(ctx context.Context, in In) (out Out, err error) {
	defer func() {
		if v := recover(); v != nil {
			Logf(ctx, "panic: %v\n%s", v, debug.Stack())
			err = &Error{Code: f.Panic, Message: fmt.Sprintf("panic: %v", v)}
		}
	}()
	return f.Handle(ctx, in)
}

// failureOf returns the failure Direktiv gets for a handler's err: the
// code of the first *Error in err's chain (Failed when there is none) and
// err's full text, so that context added by wrapping is kept.
func (f Function[In, Out]) failureOf(err error) *failure {
	code := f.Failed
	var e *Error
	if errors.As(err, &e) && e.Code != "" {
		code = e.Code
	}
	msg := err.Error()
	if msg == "" {
		// A code with an empty message is valid but says nothing.
		msg = string(code)
	}
	return &failure{code: code, message: msg}
}

// runner is a Function with its types erased, as the mode glue runs it.
type runner struct {
	id     string
	failed ErrorCode
	// invalid is the code of an input that cannot be read.
	invalid ErrorCode
	call    func(ctx context.Context, data []byte) ([]byte, *failure)
}

// runner returns f as the mode glue runs it.
func (f Function[In, Out]) runner() runner {
	return runner{id: f.ID, failed: f.Failed, invalid: f.InvalidInput, call: f.call}
}

// marshalJSON encodes v as JSON followed by a newline, without escaping
// '<', '>' and '&'.
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
