package tabular

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// TestGuard quotes formula cells on export and the import undoes it.
func TestGuard(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+1": "'+1", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\r=x": "'\r=x",
		"plain": "plain", "": "", "'quoted": "'quoted", "a=b": "a=b"} {
		if got := Guard(in); got != want {
			t.Errorf("Guard(%q) = %q, want %q", in, got, want)
		}
		if got := Unguard(Guard(in)); got != in {
			t.Errorf("Unguard(Guard(%q)) = %q", in, got)
		}
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, [][]string{{"title", "owner"}, {"=HYPERLINK(\"x\")", "ada"}}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil || recs[1][0] != `'=HYPERLINK("x")` || recs[1][1] != "ada" {
		t.Errorf("WriteCSV: %q %v", recs, err)
	}
	tb, err := ReadBytes([]byte("title,owner\n\"'=HYPERLINK(\"\"x\"\")\",'ada\n"), Schema{Columns: []Column{{Name: "title"}, {Name: "owner"}}, Unguard: true})
	if err != nil || tb.Rows[0].Get("title") != `=HYPERLINK("x")` || tb.Rows[0].Get("owner") != "'ada" {
		t.Errorf("unguard on read: %v", err)
	}
}
