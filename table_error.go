package assay

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/assay-platform/assay/tabular"
)

// InvalidTable turns what the tabular reader or an importer's row checks
// found into an EINVALID error on field: bad rows collected together say
// that nothing was imported and list each line; a single problem with the
// file reads as a sentence. Other errors are returned as they are.
func InvalidTable(field string, err error) error {
	var rows tabular.Errors
	if errors.As(err, &rows) && len(rows) > 0 {
		return Invalid(field, "Nothing was imported. Fix %s.", strings.TrimSuffix(rows.Error(), "."))
	}
	var one *tabular.Error
	if errors.As(err, &one) {
		return Invalid(field, "%s", sentence(one.Error()))
	}
	return err
}

// TableRowError names the bad row of an import: the line, the column the
// problem is in (as the file heads it, when err is an *Error for one of
// its columns) and the message of err.
func TableRowError(row tabular.Row, err error) *tabular.Error {
	var e *Error
	if errors.As(err, &e) {
		return row.Error(e.Field, errors.New(strings.TrimSuffix(e.Message, ".")))
	}
	return row.Error("", err)
}

// sentence starts a message with a capital letter and ends it with a
// full stop.
func sentence(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
