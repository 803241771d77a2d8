// Package errs defines the one error type Warroom uses to carry meaning
// across layers: a code that transports map to HTTP statuses and CLI exit
// codes, a message that is safe to show to the caller, and optional
// per-field details for validation failures.
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error for transports. The set is closed on purpose:
// every transport must be able to map every code.
type Code string

// The error codes, as in DESIGN.md §3.
const (
	Invalid            Code = "invalid"
	NotFound           Code = "not_found"
	Conflict           Code = "conflict"
	PreconditionFailed Code = "precondition_failed"
	Unauthorized       Code = "unauthorized"
	Forbidden          Code = "forbidden"
	TooManyRequests    Code = "too_many_requests"
	TooLarge           Code = "too_large"
	UnsupportedMedia   Code = "unsupported_media_type"
	Internal           Code = "internal"
)

// FieldError says what was wrong with one input field and what is allowed.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is an error whose message may be shown to the caller.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
	Err     error // the underlying cause, never shown
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %s", e.Err)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an Error with a formatted message.
func E(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// NotFoundf is the error for a resource the caller cannot see: missing and
// hidden (restricted, other tenant) look the same on purpose.
func NotFoundf(format string, args ...any) *Error { return E(NotFound, format, args...) }

// Invalidf is the error for bad input that is not tied to one field.
func Invalidf(format string, args ...any) *Error { return E(Invalid, format, args...) }

// Forbiddenf is the error for a visible resource the caller may not change.
func Forbiddenf(format string, args ...any) *Error { return E(Forbidden, format, args...) }

// Conflictf is the error for a write that clashes with existing state.
func Conflictf(format string, args ...any) *Error { return E(Conflict, format, args...) }

// CodeOf returns the code of err, Internal when err carries none and "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// MessageOf returns the message safe to show for err; internal errors get a
// generic message so no detail of the server leaks.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != Internal {
		return e.Message
	}
	return "internal error"
}

// FieldsOf returns the per-field details of err, if any.
func FieldsOf(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Validation collects field errors so a caller learns every problem at once.
type Validation struct{ fields []FieldError }

// Add records a problem with field.
func (v *Validation) Add(field, format string, args ...any) {
	v.fields = append(v.fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns an Invalid error listing every problem, or nil when there were none.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	msg := "invalid input"
	if len(v.fields) == 1 {
		msg = "invalid " + v.fields[0].Field
	}
	return &Error{Code: Invalid, Message: msg, Fields: v.fields}
}
