package csvimport

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/tabular"
)

// importSchema is an import's columns, the required ones named; other
// columns are ignored and the export's formula guard is undone.
func importSchema(columns []string, required ...string) tabular.Schema {
	s := tabular.Schema{Unguard: true}
	for _, c := range columns {
		s.Columns = append(s.Columns, tabular.Column{Name: c, Required: slices.Contains(required, c)})
	}
	return s
}

// readImportRows reads an import table (CSV, tab-separated text or XLSX)
// against its schema and hands each row to fn. A row fn refuses is
// reported with its line (and column), and when any row is refused
// nothing is imported. It returns the line number of every accepted row,
// in order.
func readImportRows(text string, s tabular.Schema, fn func(row tabular.Row) error) ([]int, error) {
	t, err := tabular.Read(strings.NewReader(text), s)
	if err != nil {
		return nil, assay.InvalidTable("csv", err)
	}
	var lines []int
	var bad tabular.Errors
	for _, row := range t.Rows {
		if err := fn(row); err != nil {
			bad = append(bad, assay.TableRowError(row, err))
			continue
		}
		lines = append(lines, row.Line)
	}
	if err := bad.Err(); err != nil {
		return nil, assay.InvalidTable("csv", err)
	}
	return lines, nil
}

// rowToLine turns the store's "Row N: reason" (N counting accepted rows
// from 0) into the CSV line the person can find.
func rowToLine(err error, lines []int) error {
	if err == nil {
		return nil
	}
	msg := assay.ErrorMessage(err)
	var idx int
	if _, serr := fmt.Sscanf(msg, "Row %d:", &idx); serr == nil && idx >= 0 && idx < len(lines) {
		return assay.Invalid("csv", "Nothing was imported. Fix line %d: %s", lines[idx], strings.TrimSpace(msg[strings.Index(msg, ":")+1:]))
	}
	return err
}

// registerSchema is how an import reads a register's columns: by header
// name, every one known (id is read and ignored), the required ones
// present, as many cells on a row as in the header, and the export's
// formula guard undone.
func registerSchema(columns, required []string, maxRows int) tabular.Schema {
	s := tabular.Schema{RejectUnknown: true, FixedWidth: true, Unguard: true, MaxRows: maxRows}
	for _, c := range columns {
		s.Columns = append(s.Columns, tabular.Column{Name: c, Required: slices.Contains(required, c)})
	}
	return s
}

func userCell(row tabular.Row, col string, byEmail map[string]int64) (int64, error) {
	email := strings.ToLower(row.Get(col))
	if email == "" {
		return 0, nil
	}
	id, ok := byEmail[email]
	if !ok {
		return 0, assay.Invalid(col, "no user with email %s", email)
	}
	return id, nil
}

func intCell(row tabular.Row, col string) (int, error) {
	v := row.Get(col)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, assay.Invalid(col, "%s must be a whole number, not %q", col, v)
	}
	return n, nil
}
