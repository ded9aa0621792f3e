package roster

import (
	"bytes"
	"errors"
	"strings"
	"unicode"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/tabular"
)

// norm compares header names as the tabular package does: by their
// letters and digits, without case.
func norm(name string) string {
	var b strings.Builder
	for _, r := range name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// probe is a schema with one optional column per header that signs a
// format: reading a file against it tells which of them the file has,
// through the tabular reader (encodings, XLSX, quoting) like the read
// proper.
var probe = func() tabular.Schema {
	s := tabular.Schema{AllowNoRows: true}
	seen := map[string]bool{}
	for _, f := range formats {
		for _, group := range f.signs {
			for _, sign := range group {
				for _, h := range strings.Split(sign, "&") {
					if n := norm(h); !seen[n] {
						seen[n] = true
						s.Columns = append(s.Columns, tabular.Column{Name: n})
					}
				}
			}
		}
	}
	return s
}()

// detect tells the format of a file from its header: the first export
// whose signs it bears, or the generic roster.
func detect(data []byte) (format, error) {
	t, err := tabular.ReadBytes(data, probe)
	if errors.Is(err, tabular.ErrEmpty) {
		return format{}, assay.Invalid("input", "the roster CSV is empty")
	} else if err != nil {
		return format{}, assay.Invalid("input", "%v", err)
	}
	has := func(sign string) bool {
		for _, h := range strings.Split(sign, "&") {
			if !t.Has(norm(h)) {
				return false
			}
		}
		return true
	}
	for _, f := range formats {
		if bears(f, has) {
			return f, nil
		}
	}
	return generic, nil
}

// bears reports whether every sign group of f has a header in the file.
func bears(f format, has func(string) bool) bool {
	for _, group := range f.signs {
		found := false
		for _, sign := range group {
			found = found || has(sign)
		}
		if !found {
			return false
		}
	}
	return len(f.signs) > 0
}

// withoutTypeLine blanks the "#TYPE System.Management.Automation.PSCustomObject"
// line Windows PowerShell's Export-Csv writes above the header unless told
// not to (-NoTypeInformation), as in a JumpCloud export made with the
// JumpCloud PowerShell module. The line stays, empty, so that line numbers
// still match the file.
func withoutTypeLine(data []byte) []byte {
	text := bytes.TrimPrefix(data, []byte("\ufeff"))
	if !bytes.HasPrefix(text, []byte("#TYPE ")) {
		return data
	}
	i := bytes.IndexByte(text, '\n')
	if i < 0 {
		return nil
	}
	return append([]byte("\n"), text[i+1:]...)
}
