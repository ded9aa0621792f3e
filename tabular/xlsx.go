package tabular

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Limits on a workbook's unpacked size, so that a small upload cannot
// expand into gigabytes.
const (
	maxUnzipped    = 64 << 20
	maxUnzippedXML = 32 << 20
)

// xlsxRecords reads the first sheet of a workbook; a row's line is its
// row number in the sheet.
type xlsxRecords struct {
	rows [][]string
	i    int
}

func openXLSX(data []byte) (x *xlsxRecords, err error) {
	// The workbook comes from outside: whatever excelize trips over in a
	// malformed file is a bad file, not a crash.
	defer func() {
		if p := recover(); p != nil {
			x, err = nil, &Error{Err: fmt.Errorf("%w: the workbook is damaged (%v)", ErrSyntax, p)}
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzippedXML})
	if err != nil {
		return nil, &Error{Err: fmt.Errorf("%w: not a workbook Excel can open: %v", ErrSyntax, err)}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, &Error{Err: ErrEmpty}
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, &Error{Err: fmt.Errorf("%w: the sheet %q cannot be read: %v", ErrSyntax, sheets[0], err)}
	}
	if err := isoDates(f, sheets[0], rows); err != nil {
		return nil, &Error{Err: fmt.Errorf("%w: the sheet %q cannot be read: %v", ErrSyntax, sheets[0], err)}
	}
	return &xlsxRecords{rows: rows}, nil
}

// isoDates replaces, in rows, the text of every cell holding a date (a
// number shown through a date format) with the date as 2006-01-02, or
// 2006-01-02T15:04:05Z when it has a time of day: what the sheet shows
// ("May-28", "3/4/27") depends on the author's format and locale, while
// the importers read ISO dates.
func isoDates(f *excelize.File, sheet string, rows [][]string) error {
	raw, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return err
	}
	dateStyle := map[int]bool{}
	for i, row := range rows {
		for j, shown := range row {
			if i >= len(raw) || j >= len(raw[i]) || raw[i][j] == shown {
				continue
			}
			serial, err := strconv.ParseFloat(raw[i][j], 64)
			if err != nil {
				continue
			}
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				return err
			}
			idx, err := f.GetCellStyle(sheet, cell)
			if err != nil {
				return err
			}
			isDate, seen := dateStyle[idx]
			if !seen {
				style, err := f.GetStyle(idx)
				if err != nil {
					return err
				}
				isDate = style != nil && isDateFormat(style)
				dateStyle[idx] = isDate
			}
			if !isDate {
				continue
			}
			t, err := excelize.ExcelDateToTime(serial, false)
			if err != nil {
				continue
			}
			if t.Equal(t.Truncate(24 * time.Hour)) {
				rows[i][j] = t.Format("2006-01-02")
			} else {
				rows[i][j] = t.UTC().Format(time.RFC3339)
			}
		}
	}
	return nil
}

// isDateFormat reports whether a cell style shows numbers as dates: one of
// Excel's built-in date formats, or a custom format with a day, month or
// year outside quotes.
func isDateFormat(s *excelize.Style) bool {
	if s.CustomNumFmt != nil {
		inQuote := false
		for _, r := range strings.ToLower(*s.CustomNumFmt) {
			switch {
			case r == '"':
				inQuote = !inQuote
			case !inQuote && (r == 'd' || r == 'y'):
				return true
			}
		}
		return false
	}
	n := s.NumFmt
	return (n >= 14 && n <= 22) || (n >= 27 && n <= 36) || (n >= 45 && n <= 47) || (n >= 50 && n <= 58)
}

func (x *xlsxRecords) next() (int, []string, error) {
	if x.i >= len(x.rows) {
		return 0, nil, io.EOF
	}
	x.i++
	return x.i, x.rows[x.i-1], nil
}
