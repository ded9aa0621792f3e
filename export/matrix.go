package export

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Sheet names and the matrix's columns.
const (
	SummarySheet = "Summary"
	MatrixSheet  = "Control matrix"
)

// MatrixHeader is the control matrix's header row.
var MatrixHeader = []string{
	"Criterion", "Criterion title", "Control", "Control name", "Control description",
	"How it is tested", "Evidence (name, SHA-256)", "Result over the period", "Exceptions",
	"Automated checks", "Check runs in the period", "Days failing", "Automated-test exceptions", // MonitoringHeader (export/monitoring.go)
}

var matrixWidths = []float64{11, 40, 12, 30, 60, 36, 60, 34, 60, 24, 36, 10, 80}

// MatrixRows is the matrix: one row per (in-scope criterion, mapped control).
// A criterion with no control gets one row that says so.
func (d *Data) MatrixRows() [][]string {
	var rows [][]string
	for _, cr := range d.CriterionResults() {
		if len(cr.Controls) == 0 {
			rows = append(rows, []string{cr.Criterion.ID, cr.Criterion.Title, "", "", "", "", "", ResultException, "No control is mapped to this criterion.", "", "", "", ""})
			continue
		}
		for _, c := range cr.Controls {
			res := d.ControlResult(c)
			var ev []string
			for _, it := range d.EvidenceFor(c.ID) {
				line := fmt.Sprintf("%s (#%d, %s", it.Title, it.ID, it.Kind)
				if it.SHA256 != "" {
					line += ", sha256:" + it.SHA256
				}
				ev = append(ev, line+")")
			}
			rows = append(rows, []string{cr.Criterion.ID, cr.Criterion.Title, c.ID, c.Name, c.Description,
				howTested(c.Frequency, c.Kind, c.Automation, c.AutomationNote), strings.Join(ev, "\n"), res.Summary, strings.Join(res.Exceptions, "\n")})
			rows[len(rows)-1] = append(rows[len(rows)-1], d.MonitoringCells(c.ID)...)
		}
	}
	return rows
}

func howTested(freq, kind, automation, note string) string {
	parts := []string{}
	if freq != "" {
		parts = append(parts, "Frequency: "+strings.ReplaceAll(freq, "_", " "))
	}
	if kind != "" {
		parts = append(parts, "Kind: "+kind)
	}
	if automation != "" || note != "" {
		a := "Automated"
		if automation != "" {
			a += " (" + automation + ")"
		}
		if note != "" {
			a += ": " + note
		}
		parts = append(parts, a)
	} else {
		parts = append(parts, "Manual attestation")
	}
	return strings.Join(parts, "\n")
}

// WriteMatrix writes the control matrix workbook to w.
func WriteMatrix(w io.Writer, d *Data) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SummarySheet); err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE4EE"}}})
	if err != nil {
		return err
	}
	if err := writeSummary(f, d, bold); err != nil {
		return err
	}
	if _, err := f.NewSheet(MatrixSheet); err != nil {
		return err
	}
	rows := d.MatrixRows()
	for i, h := range MatrixHeader {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(MatrixSheet, cell, h); err != nil {
			return err
		}
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
			if err := f.SetCellStr(MatrixSheet, cell, v); err != nil {
				return err
			}
		}
	}
	last, _ := excelize.ColumnNumberToName(len(MatrixHeader))
	for i, wd := range matrixWidths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(MatrixSheet, col, col, wd); err != nil {
			return err
		}
	}
	lastRow := len(rows) + 1
	if err := f.SetCellStyle(MatrixSheet, "A1", last+"1", bold); err != nil {
		return err
	}
	if lastRow > 1 {
		if err := f.SetCellStyle(MatrixSheet, "A2", fmt.Sprintf("%s%d", last, lastRow), wrap); err != nil {
			return err
		}
	}
	if err := f.SetPanes(MatrixSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := f.AutoFilter(MatrixSheet, fmt.Sprintf("A1:%s%d", last, lastRow), nil); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

func writeSummary(f *excelize.File, d *Data, bold int) error {
	cp := "none signed yet"
	if d.Checkpoint != nil {
		cp = fmt.Sprintf("tree size %d, root %s (signed %s)", d.Checkpoint.Size, d.Checkpoint.Root, d.Checkpoint.CreatedAt.UTC().Format(time.RFC3339))
	}
	operated, total := 0, 0
	for _, c := range d.Controls {
		if r := d.ControlResult(c); r.Applicable {
			total++
			if r.Operated {
				operated++
			}
		}
	}
	satisfied := 0
	crs := d.CriterionResults()
	for _, c := range crs {
		if c.Satisfied {
			satisfied++
		}
	}
	rows := [][2]string{
		{"Organisation", d.Org.Name},
		{"Period", d.Period.String()},
		{"Generated at", d.GeneratedAt.UTC().Format(time.RFC3339)},
		{"Ledger checkpoint", cp},
		{"Criteria in scope", fmt.Sprintf("%d (%d satisfied)", len(crs), satisfied)},
		{"Controls relied on", fmt.Sprintf("%d (%d operated without exception)", total, operated)},
		{"Evidence items in force", fmt.Sprint(len(d.Evidence))},
		{"Automated testing", d.monitoringSummary()},
		{"Generated by", "Assay; the evidence bundle for the same period carries the files, their digests and ledger proofs."},
	}
	for i, r := range rows {
		if err := f.SetCellStr(SummarySheet, fmt.Sprintf("A%d", i+1), r[0]); err != nil {
			return err
		}
		if err := f.SetCellStr(SummarySheet, fmt.Sprintf("B%d", i+1), r[1]); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(SummarySheet, "A1", fmt.Sprintf("A%d", len(rows)), bold); err != nil {
		return err
	}
	if err := f.SetColWidth(SummarySheet, "A", "A", 26); err != nil {
		return err
	}
	return f.SetColWidth(SummarySheet, "B", "B", 100)
}
