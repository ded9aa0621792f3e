package export

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// xlsxStyles are the two styles the workbooks use.
type xlsxStyles struct{ head, wrap int }

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	var err error
	if s.wrap, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
		return s, err
	}
	s.head, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE4EE"}}})
	return s, err
}

// writeTable fills sheet (created when missing) with a header row and
// rows, every cell a string (so nothing is read as a formula), sets the
// column widths, freezes the header and adds a filter.
func writeTable(f *excelize.File, st xlsxStyles, sheet string, header []string, widths []float64, rows [][]string) error {
	if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		if _, err := f.NewSheet(sheet); err != nil {
			return err
		}
	}
	for i, h := range header {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(sheet, cell, h); err != nil {
			return err
		}
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				return err
			}
		}
	}
	for i, wd := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, wd); err != nil {
			return err
		}
	}
	last, _ := excelize.ColumnNumberToName(len(header))
	lastRow := len(rows) + 1
	if err := f.SetCellStyle(sheet, "A1", last+"1", st.head); err != nil {
		return err
	}
	if lastRow > 1 {
		if err := f.SetCellStyle(sheet, "A2", fmt.Sprintf("%s%d", last, lastRow), st.wrap); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return f.AutoFilter(sheet, fmt.Sprintf("A1:%s%d", last, lastRow), nil)
}
