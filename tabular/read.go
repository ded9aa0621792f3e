// Package tabular reads the tables people import: CSV or tab-separated
// text (UTF-8 with or without a byte order mark, or UTF-16 with one, as
// Excel saves) and XLSX workbooks, against a schema of named columns.
// Headers match without regard to case, spaces or punctuation; every
// problem names its line and, where it has one, its column.
package tabular

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// records yields the rows of a file with their line numbers, then io.EOF.
type records interface {
	next() (line int, cells []string, err error)
}

// Read reads all of r and parses it as ReadBytes does.
func Read(r io.Reader, s Schema) (*Table, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read table: %w", err)
	}
	return ReadBytes(data, s)
}

// ReadBytes parses a file against the schema: a header row naming the
// columns, then data rows, blank ones skipped and every cell trimmed.
// Errors are *Error values naming the line (and column) at fault.
func ReadBytes(data []byte, s Schema) (*Table, error) {
	var src records
	var format Format
	if isZip(data) {
		x, err := openXLSX(data)
		if err != nil {
			return nil, err
		}
		src, format = x, XLSX
	} else {
		text, err := decodeText(data)
		if err != nil {
			return nil, err
		}
		c := newCSVRecords(text)
		src, format = c, c.format
	}
	return readTable(src, format, s)
}

func readTable(src records, format Format, s Schema) (*Table, error) {
	headerLine, header, err := firstNonBlank(src)
	if errors.Is(err, io.EOF) {
		return nil, &Error{Err: ErrEmpty}
	} else if err != nil {
		return nil, err
	}
	pos, err := s.bind(header, headerLine)
	if err != nil {
		return nil, err
	}
	t := &Table{Format: format, schema: s, index: map[string]int{}, header: make([]string, len(s.Columns))}
	for i, c := range s.Columns {
		t.index[c.Name] = i
		if pos[i] >= 0 {
			t.header[i] = strings.TrimSpace(header[pos[i]])
		}
	}
	maxRows := s.MaxRows
	if maxRows <= 0 {
		maxRows = DefaultMaxRows
	}
	width := len(header)
	for {
		line, rec, err := src.next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, err
		}
		if blank(rec) {
			continue
		}
		if s.FixedWidth && !fits(rec, width, format) {
			return nil, lineError(line, "", ErrSyntax, "%d cells, but the header has %d columns", len(rec), width)
		}
		if len(t.Rows) == maxRows {
			return nil, lineError(line, "", ErrTooManyRows, "at most %d rows at a time", maxRows)
		}
		row := Row{Line: line, cells: make([]string, len(s.Columns)), table: t}
		for i, p := range pos {
			if p >= 0 && p < len(rec) {
				row.cells[i] = cell(rec[p], s.Unguard)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	if len(t.Rows) == 0 && !s.AllowNoRows {
		return nil, &Error{Err: ErrNoRows}
	}
	return t, nil
}

// firstNonBlank returns the first record holding something: the header.
func firstNonBlank(src records) (int, []string, error) {
	for {
		line, rec, err := src.next()
		if err != nil || !blank(rec) {
			return line, rec, err
		}
	}
}

// fits reports whether a row has the header's width. A spreadsheet leaves
// out trailing empty cells, so there only extra non-empty cells count.
func fits(rec []string, width int, format Format) bool {
	if format != XLSX {
		return len(rec) == width
	}
	return len(rec) <= width || blank(rec[width:])
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// cell trims a value and, with unguard, removes the quote Guard puts
// before a formula character.
func cell(v string, unguard bool) string {
	v = strings.TrimSpace(v)
	if unguard {
		v = strings.TrimSpace(Unguard(v))
	}
	return v
}

func isZip(data []byte) bool { return bytes.HasPrefix(data, []byte("PK\x03\x04")) }
