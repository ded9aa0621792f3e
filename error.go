package assay

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in one place (package api).
const (
	ECONFLICT     = "conflict"     // 409: the change clashes with the current state
	EINTERNAL     = "internal"     // 500: a fault of ours
	EINVALID      = "invalid"      // 400: the input is wrong
	ENOTFOUND     = "not_found"    // 404: no such thing in this organisation
	EUNAUTHORIZED = "unauthorized" // 401: who are you?
	EFORBIDDEN    = "forbidden"    // 403: you may not
	ETOOLARGE     = "too_large"    // 413: the request body is too big
	ETOOMANY      = "rate_limited" // 429: slow down
	EGONE         = "gone"         // 410: it existed and has ended (an expired link)
)

// Error is an error a person can be shown: a code and a plain message.
// Anything that is not an *Error is internal and its text is not shown.
type Error struct {
	Code    string
	Message string
	// Field names the input field at fault, when there is one.
	Field string
}

// Error is the message itself: an *Error is written for people, and its
// text ends up inside other messages (wrapped with %v or %w, printed by
// the CLI), where a code would only be noise. ErrorCode gives the code.
func (e *Error) Error() string {
	if e.Message == "" {
		return e.Code
	}
	return e.Message
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error for one field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, or EINTERNAL when err is not an *Error.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of err that is safe to show a person.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
