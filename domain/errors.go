// Package domain holds Dayline's hand-written domain types (organisations,
// users, schedules, tasks, completions, agenda items), their rules, and the
// error codes every layer speaks. It depends on nothing but scalars.
package domain

import (
	"errors"
	"fmt"
)

// Code classifies an error for clients. The values are the errorType strings
// sent to GraphQL clients (AppSync style).
type Code string

// Error codes. Every error that reaches a client carries exactly one of them.
const (
	CodeBadRequest   Code = "BadRequest"
	CodeUnauthorized Code = "Unauthorized"
	CodeNotFound     Code = "NotFound"
	CodeConflict     Code = "Conflict"
	CodeUnavailable  Code = "ServiceUnavailable"
	CodeInternal     Code = "InternalError"
)

// Error is a domain error: a code plus a message that is safe to show a client.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and a formatted client-safe message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, or
// CodeInternal when there is none (an unexpected error).
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the client-safe message of the first *Error in err's
// chain, or "" when there is none: internal errors have no client message.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return ""
}

// IsCode reports whether err carries the given code.
func IsCode(err error, code Code) bool { return ErrorCode(err) == code }

// NotFound returns a NotFound error naming the kind and id that was missing
// (an id that is no valid id shortened and escaped, see printableID).
func NotFound(kind, id string) *Error {
	return Errorf(CodeNotFound, "%s %s not found", kind, printableID(id))
}

// Conflict returns a Conflict error for a stale expectedVersion.
func Conflict(kind, id string) *Error {
	return Errorf(CodeConflict, "%s %s was changed by someone else: reload it and try again with its current version", kind, printableID(id))
}

// Taken returns a Conflict error for a create whose id is already in use.
func Taken(kind, id string) *Error {
	return Errorf(CodeConflict, "%s id %s is already in use", kind, printableID(id))
}

// Unauthorized returns an Unauthorized error with the given message.
func Unauthorized(format string, args ...any) *Error {
	return Errorf(CodeUnauthorized, format, args...)
}

// BadRequest returns a BadRequest error with the given message.
func BadRequest(format string, args ...any) *Error { return Errorf(CodeBadRequest, format, args...) }

// Unavailable returns a ServiceUnavailable error with the given message:
// the request may succeed if it is tried again later.
func Unavailable(format string, args ...any) *Error { return Errorf(CodeUnavailable, format, args...) }
