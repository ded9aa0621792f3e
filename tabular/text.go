package tabular

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// decodeText turns the bytes of a text file into UTF-8: a UTF-8 byte
// order mark is dropped and UTF-16 (little or big endian, with its byte
// order mark, as Excel's "Unicode text") is decoded.
func decodeText(data []byte) (string, error) {
	out, _, err := transform.Bytes(unicode.BOMOverride(unicode.UTF8.NewDecoder()), data)
	if err != nil {
		return "", &Error{Err: fmt.Errorf("%w: the text encoding cannot be read: %v", ErrSyntax, err)}
	}
	return string(out), nil
}

// delimiter picks the separator the header line uses most: comma, tab or
// semicolon (comma when none appears). Quoted text does not count.
func delimiter(text string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range text {
		if r == '"' {
			quoted = !quoted
		} else if !quoted && (r == '\n' || r == '\r') {
			break
		} else if !quoted {
			counts[r]++
		}
	}
	best := ','
	for _, d := range []rune{'\t', ';'} {
		if counts[d] > counts[best] {
			best = d
		}
	}
	return best
}

// csvRecords reads delimited text with encoding/csv.
type csvRecords struct {
	r      *csv.Reader
	format Format
}

func newCSVRecords(text string) *csvRecords {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = delimiter(text)
	r.FieldsPerRecord = -1
	// A space after a comma may come before a quoted cell; a tab
	// separator is itself white space, so there nothing is skipped.
	r.TrimLeadingSpace = r.Comma != '\t'
	format := CSV
	if r.Comma == '\t' {
		format = TSV
	}
	return &csvRecords{r: r, format: format}
}

func (c *csvRecords) next() (int, []string, error) {
	rec, err := c.r.Read()
	if errors.Is(err, io.EOF) {
		return 0, nil, io.EOF
	}
	if err != nil {
		// Only the parse error knows the line: FieldPos must not be asked
		// about a record that failed.
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return 0, nil, &Error{Line: pe.StartLine, Err: fmt.Errorf("%w: %v", ErrSyntax, pe.Err)}
		}
		return 0, nil, &Error{Err: fmt.Errorf("%w: %v", ErrSyntax, err)}
	}
	line, _ := c.r.FieldPos(0)
	return line, rec, nil
}
