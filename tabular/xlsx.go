package tabular

import (
	"bytes"
	"fmt"
	"io"

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
	return &xlsxRecords{rows: rows}, nil
}

func (x *xlsxRecords) next() (int, []string, error) {
	if x.i >= len(x.rows) {
		return 0, nil, io.EOF
	}
	x.i++
	return x.i, x.rows[x.i-1], nil
}
