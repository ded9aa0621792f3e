package tabular

// Format names the kind of file a table was read from.
type Format string

// The formats Read understands.
const (
	CSV  Format = "csv"  // comma- or semicolon-separated text
	TSV  Format = "tsv"  // tab-separated text, as Excel saves "Unicode text"
	XLSX Format = "xlsx" // the first sheet of an Excel workbook
)

// Table is a file read against a schema: which of its columns the file
// has, under which header, and the data rows.
type Table struct {
	Format Format
	Rows   []Row
	schema Schema
	index  map[string]int // column name to its index in the schema
	header []string       // header of each schema column as written; "" when absent
}

// Has reports whether the file has the named column.
func (t *Table) Has(name string) bool {
	i, ok := t.index[name]
	return ok && t.header[i] != ""
}

// Header is the named column's header as the file writes it ("" when the
// file lacks it), for messages.
func (t *Table) Header(name string) string {
	if i, ok := t.index[name]; ok {
		return t.header[i]
	}
	return ""
}

// Row is one data row: its line in the file and its cells, trimmed.
type Row struct {
	Line  int
	cells []string // by schema column
	table *Table
}

// Get returns the cell of the named column; "" when the file lacks the
// column or the row the cell.
func (r Row) Get(name string) string {
	if i, ok := r.table.index[name]; ok {
		return r.cells[i]
	}
	return ""
}

// Has reports whether the file has the named column (whatever this row
// holds in it).
func (r Row) Has(name string) bool { return r.table.Has(name) }

// Error is a problem with this row, in the named column when the file has
// it (named by its header as written), otherwise with the row as a whole.
func (r Row) Error(column string, err error) *Error {
	return &Error{Line: r.Line, Column: r.table.Header(column), Err: err}
}
