package tabular

import (
	"errors"
	"testing"
)

// FuzzReadBytes feeds the reader anything: it must not panic, every error
// is an *Error, and rows come with rising line numbers.
func FuzzReadBytes(f *testing.F) {
	for _, seed := range []string{
		"name,email\nAda,ada@example.com\n",
		"name,email\n\"",
		"\ufeffName;E-mail\r\nAda;a@x\r\n",
		"\xff\xfen\x00a\x00m\x00e\x00\t\x00e\x00m\x00a\x00i\x00l\x00\n\x00",
		"name,email,name\n",
		"name,email\n,,\n\n'=1,'+2\n",
		"PK\x03\x04",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Add(xlsx(f, [][]any{{"Name", "E-mail"}, {"Ada", "ada@example.com"}, {}, {"=1+1", 3.5}}))
	schema := Schema{Columns: []Column{{Name: "name", Required: true}, {Name: "email", Aliases: []string{"mail"}}}, Unguard: true, MaxRows: 50}
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := ReadBytes(data, schema)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || err.Error() == "" {
				t.Fatalf("error %v is not a *tabular.Error", err)
			}
			return
		}
		last := 0
		for _, r := range tb.Rows {
			if r.Line <= last {
				t.Fatalf("line %d after line %d", r.Line, last)
			}
			last = r.Line
			_ = r.Get("name") + r.Get("email") + r.Get("other")
		}
	})
}
