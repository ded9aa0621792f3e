package tabular

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"
)

var people = Schema{Columns: []Column{
	{Name: "name", Required: true},
	{Name: "email", Aliases: []string{"e-mail", "email address", "primaryEmail"}, Required: true},
	{Name: "likelihood"},
}}

func utf16(t testing.TB, s string, order unicode.Endianness) []byte {
	t.Helper()
	b, err := unicode.UTF16(order, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func xlsx(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReadEncodings reads the same table saved in every way a person's
// tools save it.
func TestReadEncodings(t *testing.T) {
	const text = "Name,E-mail,Notes\nAda, ada@example.com ,x\n\n , ,\nBob,bob@example.com,\n"
	tsv := strings.NewReplacer(",", "\t").Replace(text)
	for _, c := range []struct {
		name   string
		data   []byte
		format Format
	}{
		{"utf-8", []byte(text), CSV},
		{"utf-8 bom", []byte("\ufeff" + text), CSV},
		{"crlf", []byte(strings.ReplaceAll(text, "\n", "\r\n")), CSV},
		{"semicolons", []byte(strings.ReplaceAll(text, ",", ";")), CSV},
		{"utf-16le tabs", utf16(t, tsv, unicode.LittleEndian), TSV},
		{"utf-16be tabs", utf16(t, tsv, unicode.BigEndian), TSV},
		{"utf-16le commas", utf16(t, text, unicode.LittleEndian), CSV},
		{"xlsx", xlsx(t, [][]any{{"Name", "E-mail", "Notes"}, {"Ada", " ada@example.com ", "x"}, {}, {" ", " "}, {"Bob", "bob@example.com"}}), XLSX},
	} {
		t.Run(c.name, func(t *testing.T) {
			tb, err := ReadBytes(c.data, people)
			if err != nil {
				t.Fatal(err)
			}
			if tb.Format != c.format || len(tb.Rows) != 2 {
				t.Fatalf("format %s, %d rows", tb.Format, len(tb.Rows))
			}
			a, b := tb.Rows[0], tb.Rows[1]
			if a.Line != 2 || a.Get("name") != "Ada" || a.Get("email") != "ada@example.com" || b.Line != 5 || b.Get("email") != "bob@example.com" {
				t.Errorf("rows: %+v %+v", a, b)
			}
			if !tb.Has("email") || tb.Has("likelihood") || tb.Header("email") != "E-mail" || a.Get("likelihood") != "" || a.Get("nothing") != "" {
				t.Errorf("columns: has email %v, header %q", tb.Has("email"), tb.Header("email"))
			}
		})
	}
}

// TestReadHeaders matches headers without case or punctuation, by alias,
// and refuses repeated, missing or (when asked) unknown columns.
func TestReadHeaders(t *testing.T) {
	for _, h := range []string{"NAME,Email Address", "name,primary_email", "Name , PRIMARYEMAIL", "name,E_Mail,other"} {
		tb, err := ReadBytes([]byte(h+"\nAda,ada@example.com\n"), people)
		if err != nil || tb.Rows[0].Get("email") != "ada@example.com" {
			t.Errorf("%q: %v", h, err)
		}
	}
	for _, c := range []struct {
		schema Schema
		text   string
		kind   error
		want   string
	}{
		{people, "name,email,Name\n", ErrDuplicateColumn, `line 1, column "Name": the column is repeated (columns 1 and 3)`},
		{people, "name,email,Email Address\n", ErrDuplicateColumn, `line 1: columns "email" and "Email Address" both give email`},
		{people, "name,mail\n", ErrMissingColumn, `line 1: no "email" column (or a header such as "e-mail", "email address", "primaryEmail")`},
		{Schema{Columns: people.Columns, RejectUnknown: true}, "name,email,shoe size\n", ErrUnknownColumn,
			`line 1, column "shoe size": unknown column; the columns are: name, email, likelihood`},
		{people, "", ErrEmpty, "the file is empty"},
		{people, "\n,,\n", ErrEmpty, "the file is empty"},
		{people, "name,email\n\n", ErrNoRows, "header but no rows"},
	} {
		_, err := ReadBytes([]byte(c.text), c.schema)
		var e *Error
		if !errors.Is(err, c.kind) || !errors.As(err, &e) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.text, err, c.want)
		}
	}
}

// TestReadBadLines names the line of a row that cannot be read: a lone
// quote used to crash the importers.
func TestReadBadLines(t *testing.T) {
	for _, c := range []struct {
		schema Schema
		text   string
		want   string
	}{
		{people, "name,email\n\"", "line 2: the file cannot be read"},
		{people, "name,email\nAda,ada@example.com\nBob,\"bob\n", "line 3: the file cannot be read"},
		{people, "name,email\nA\"da,a@example.com\n", "line 2: the file cannot be read"},
		{Schema{Columns: people.Columns, FixedWidth: true}, "name,email\nAda,a@example.com,extra\n", "line 2: 3 cells, but the header has 2 columns"},
		{Schema{Columns: people.Columns, MaxRows: 1}, "name,email\nAda,a@example.com\n\nBob,b@example.com\n", "line 4: at most 1 rows at a time"},
	} {
		_, err := ReadBytes([]byte(c.text), c.schema)
		var e *Error
		if !errors.As(err, &e) || e.Line == 0 || err.Error() == "" || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.text, err, c.want)
		}
	}
	// A workbook's rows may stop short of the header's width.
	if _, err := ReadBytes(xlsx(t, [][]any{{"name", "email", "likelihood"}, {"Ada", "a@example.com"}}), Schema{Columns: people.Columns, FixedWidth: true}); err != nil {
		t.Errorf("short xlsx row: %v", err)
	}
	if _, err := ReadBytes([]byte("PK\x03\x04not really a zip"), people); err == nil || !strings.Contains(err.Error(), "workbook") {
		t.Errorf("broken xlsx: %v", err)
	}
}

// TestErrors collects row errors into one report.
func TestErrors(t *testing.T) {
	var es Errors
	if es.Err() != nil {
		t.Fatal("no errors should be nil")
	}
	es.Add(3, "likelihood", errors.New("must be a whole number"))
	es.Add(4, "", nil)
	if got := es.Err().Error(); got != `line 3, column "likelihood": must be a whole number` {
		t.Errorf("one: %q", got)
	}
	for i := 0; i < MaxReported+2; i++ {
		es.Add(5+i, "", ErrSyntax)
	}
	err := es.Err()
	var e *Error
	if !errors.As(err, &e) || e.Line != 3 || !errors.Is(err, ErrSyntax) || !strings.HasSuffix(err.Error(), "(and 3 more)") || !strings.Contains(err.Error(), "; line 5: ") {
		t.Errorf("many: %v", err)
	}
}
