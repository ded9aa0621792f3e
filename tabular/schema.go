package tabular

import (
	"fmt"
	"strings"
	"unicode"
)

// Column is one column an importer reads: its name, the other header
// names that mean it, and whether a file must have it.
type Column struct {
	Name     string
	Aliases  []string
	Required bool
}

// Schema says which columns an importer reads and how strictly.
type Schema struct {
	Columns []Column
	// RejectUnknown refuses a header naming a column the schema does not
	// know; otherwise such columns are ignored.
	RejectUnknown bool
	// MaxRows is the most data rows accepted; 0 means DefaultMaxRows.
	MaxRows int
	// AllowNoRows accepts a file holding only its header.
	AllowNoRows bool
	// FixedWidth refuses a row with more or fewer cells than the header.
	FixedWidth bool
	// Unguard undoes the export's formula guard (see Guard).
	Unguard bool
}

// DefaultMaxRows is the row limit of a schema that sets none.
const DefaultMaxRows = 100000

// Names are compared by their letters and digits only, without case:
// "E-mail", "e_mail" and "EMail" are the same header. A "#" reads as
// "no", so "Request #" is "Request No." and not "Request".
func normalize(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r == '#' {
			b.WriteString("no")
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Names lists the schema's column names, in order.
func (s Schema) Names() []string {
	out := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		out[i] = c.Name
	}
	return out
}

// lookup maps every normalized name and alias to its column's index.
func (s Schema) lookup() map[string]int {
	m := map[string]int{}
	for i, c := range s.Columns {
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			if _, taken := m[normalize(n)]; !taken {
				m[normalize(n)] = i
			}
		}
	}
	return m
}

// bind matches a header row to the schema: pos[i] is the cell index of
// column i, or -1 when the file lacks it. Header problems are reported on
// line.
func (s Schema) bind(header []string, line int) (pos []int, err error) {
	names := s.lookup()
	pos = make([]int, len(s.Columns))
	for i := range pos {
		pos[i] = -1
	}
	seen := map[string]int{}
	for cell, h := range header {
		norm := normalize(h)
		if norm == "" {
			continue // an unnamed column holds nothing we read
		}
		if first, dup := seen[norm]; dup {
			return nil, lineError(line, h, ErrDuplicateColumn, "the column is repeated (columns %d and %d)", first+1, cell+1)
		}
		seen[norm] = cell
		i, ok := names[norm]
		if !ok {
			if s.RejectUnknown {
				return nil, lineError(line, h, ErrUnknownColumn, "unknown column; the columns are: %s", strings.Join(s.Names(), ", "))
			}
			continue
		}
		if prev := pos[i]; prev >= 0 {
			return nil, lineError(line, "", ErrDuplicateColumn, "columns %q and %q both give %s", header[prev], h, s.Columns[i].Name)
		}
		pos[i] = cell
	}
	for i, c := range s.Columns {
		if c.Required && pos[i] < 0 {
			return nil, lineError(line, "", ErrMissingColumn, "no %q column%s", c.Name, alsoAccepted(c))
		}
	}
	return pos, nil
}

// alsoAccepted names a few of a column's aliases for an error message.
func alsoAccepted(c Column) string {
	if len(c.Aliases) == 0 {
		return ""
	}
	shown := c.Aliases
	if len(shown) > 4 {
		shown = shown[:4]
	}
	quoted := make([]string, len(shown))
	for i, a := range shown {
		quoted[i] = fmt.Sprintf("%q", a)
	}
	return " (or a header such as " + strings.Join(quoted, ", ") + ")"
}
