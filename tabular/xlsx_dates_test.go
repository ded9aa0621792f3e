package tabular

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// A date cell reads as an ISO date whatever format shows it, while
// numbers and text stay as shown.
func TestXLSXDatesReadAsISO(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	set := func(cell string, v any) {
		t.Helper()
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	style := func(cell string, s *excelize.Style) {
		t.Helper()
		id, err := f.NewStyle(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellStyle("Sheet1", cell, cell, id); err != nil {
			t.Fatal(err)
		}
	}
	for i, h := range []string{"name", "due", "stamp", "score", "custom"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		set(cell, h)
	}
	set("A2", "Ada")
	set("B2", time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC)) // excelize's default date style
	set("C2", time.Date(2027, 12, 31, 18, 30, 0, 0, time.UTC))
	style("C2", &excelize.Style{NumFmt: 22}) // m/d/yy h:mm
	set("D2", 0.25)
	style("D2", &excelize.Style{NumFmt: 9}) // 25%
	set("E2", 46000)
	mmm := `dd"-"mmm"-"yyyy`
	style("E2", &excelize.Style{CustomNumFmt: &mmm})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	tab, err := ReadBytes(buf.Bytes(), Schema{Columns: []Column{{Name: "name"}, {Name: "due"}, {Name: "stamp"}, {Name: "score"}, {Name: "custom"}}})
	if err != nil {
		t.Fatal(err)
	}
	r := tab.Rows[0]
	for col, want := range map[string]string{"due": "2028-02-29", "stamp": "2027-12-31T18:30:00Z", "score": "25%", "custom": "2025-12-09", "name": "Ada"} {
		if got := r.Get(col); got != want {
			t.Errorf("%s = %q, want %q", col, got, want)
		}
	}
}
