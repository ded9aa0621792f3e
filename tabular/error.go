package tabular

import (
	"errors"
	"fmt"
	"strings"
)

// The kinds of problem the reader reports, wrapped in an *Error; match
// them with errors.Is.
var (
	ErrEmpty           = errors.New("the file is empty; the first line must name the columns")
	ErrNoRows          = errors.New("the file has a header but no rows")
	ErrTooManyRows     = errors.New("too many rows")
	ErrMissingColumn   = errors.New("a required column is missing")
	ErrUnknownColumn   = errors.New("unknown column")
	ErrDuplicateColumn = errors.New("repeated column")
	ErrSyntax          = errors.New("the file cannot be read")
)

// Error is a problem with one line of the input, and with one column of it
// when Column (the header as the file writes it) is set. Line 0 means the
// whole file.
type Error struct {
	Line   int
	Column string
	Err    error
}

func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Column != "":
		return fmt.Sprintf("line %d, column %q: %v", e.Line, e.Column, e.Err)
	case e.Line > 0:
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	case e.Column != "":
		return fmt.Sprintf("column %q: %v", e.Column, e.Err)
	}
	return fmt.Sprint(e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// lineError is an *Error whose reason is formatted, wrapping kind so that
// errors.Is still finds it.
func lineError(line int, column string, kind error, format string, args ...any) *Error {
	return &Error{Line: line, Column: column, Err: &reason{kind: kind, msg: fmt.Sprintf(format, args...)}}
}

// reason is a message that says more than its kind, and still matches it.
type reason struct {
	kind error
	msg  string
}

func (r *reason) Error() string { return r.msg }
func (r *reason) Unwrap() error { return r.kind }

// MaxReported is how many row errors an Errors message spells out.
const MaxReported = 20

// Errors collects the bad rows of an import, so that all of them are
// reported together and nothing is imported.
type Errors []*Error

// Add records a problem with a line (and a column, when not empty). A nil
// err adds nothing; an *Error is kept as it is.
func (es *Errors) Add(line int, column string, err error) {
	if err == nil {
		return
	}
	var e *Error
	if errors.As(err, &e) {
		*es = append(*es, e)
		return
	}
	*es = append(*es, &Error{Line: line, Column: column, Err: err})
}

// Err is nil when nothing was added, and the collection otherwise.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

func (es Errors) Error() string {
	shown := es
	if len(shown) > MaxReported {
		shown = shown[:MaxReported]
	}
	parts := make([]string, len(shown))
	for i, e := range shown {
		parts[i] = e.Error()
	}
	msg := strings.Join(parts, "; ")
	if len(es) > MaxReported {
		msg += fmt.Sprintf(" (and %d more)", len(es)-MaxReported)
	}
	return msg
}

// Unwrap lets errors.As find each *Error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}
