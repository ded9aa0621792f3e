package tabular

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// formulaStart holds the characters that make a spreadsheet read a cell
// as a formula (or, for tab and carriage return, hide one).
const formulaStart = "=+-@\t\r"

// Guard makes a cell safe to open in a spreadsheet: one that starts with a
// formula character gets a single quote in front, so it shows as text.
func Guard(v string) string {
	if v != "" && strings.IndexByte(formulaStart, v[0]) >= 0 {
		return "'" + v
	}
	return v
}

// Unguard removes the quote Guard added; other cells are unchanged.
func Unguard(v string) string {
	if len(v) > 1 && v[0] == '\'' && strings.IndexByte(formulaStart, v[1]) >= 0 {
		return v[1:]
	}
	return v
}

// WriteCSV writes rows as CSV with every cell guarded.
func WriteCSV(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	for _, row := range rows {
		safe := make([]string, len(row))
		for i, v := range row {
			safe[i] = Guard(v)
		}
		if err := cw.Write(safe); err != nil {
			return fmt.Errorf("write CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}
