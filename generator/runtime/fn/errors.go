package fn

import (
	"errors"
	"fmt"
)

// ErrorCode is an error code as Direktiv sees it: the function id, a dot
// and a name. A workflow catches it with catch[].error and retries on it
// with retries.codes, both unanchored regular expressions. The function's
// codes are constants of its package main (errors.gen.go).
//
//direktivfn:api
type ErrorCode string

// Error is an error with a code: when a handler returns it, wrapped or
// not, the call fails with an error that the workflow can catch.
//
//direktivfn:api
type Error struct {
	// Code is the error code Direktiv reports.
	Code ErrorCode
	// Message explains the error to the workflow's author.
	Message string
	// Err is the cause, or nil: errors.Is and errors.As look into it.
	Err error
}

// NewError returns an *Error with code and a message formatted as
// fmt.Errorf does: the error of a %w verb becomes its cause (with several
// %w verbs, the cause wraps them all). Return it from a handler to fail
// the call with code.
//
//direktivfn:api
func NewError(code ErrorCode, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	cause := errors.Unwrap(err)
	if _, ok := err.(interface{ Unwrap() []error }); ok {
		cause = err
	}
	return &Error{Code: code, Message: err.Error(), Err: cause}
}

// Error returns the message. The code travels beside it to Direktiv.
func (e *Error) Error() string {
	return e.Message
}

// Unwrap returns the cause, or nil.
func (e *Error) Unwrap() error {
	return e.Err
}
