package export_test

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/assay-platform/assay/export"
	"github.com/assay-platform/assay/store/sqlstore"
)

func TestParsePeriod(t *testing.T) {
	now := time.Date(2026, 5, 2, 10, 0, 0, 0, time.UTC)
	p, err := export.ParsePeriod("2026-01-01", "2026-03-31", now)
	if err != nil || p.String() != "2026-01-01 to 2026-03-31" {
		t.Fatalf("got %v, %v", p, err)
	}
	if p, err = export.ParsePeriod("", "", now); err != nil || p.String() != "2025-05-03 to 2026-05-02" {
		t.Fatalf("default period: %v, %v", p, err)
	}
	for _, c := range [][2]string{{"2026-04-01", "2026-03-01"}, {"yesterday", ""}, {"", "2026-13-01"}} {
		if _, err := export.ParsePeriod(c[0], c[1], now); err == nil {
			t.Errorf("%q..%q: no error", c[0], c[1])
		}
	}
}

func TestResults(t *testing.T) {
	backends(t, func(t *testing.T, open func(sqlstore.Config) *sqlstore.DB) {
		w := newWorld(t, open)
		d, _ := w.data()
		if len(d.Evidence) != 3 {
			t.Fatalf("evidence in force: %d, want 3", len(d.Evidence))
		}
		byID := map[string]export.Result{}
		for _, c := range d.Controls {
			byID[c.ID] = d.ControlResult(c)
		}
		if r := byID["AC-01"]; !r.Operated || r.Summary != export.ResultOperated {
			t.Errorf("AC-01: %+v", r)
		}
		if r := byID["AC-02"]; r.Operated || len(r.Exceptions) != 2 || !strings.Contains(r.Exceptions[0], "in progress on 2026-03-01") {
			t.Errorf("AC-02: %+v", r)
		}
		if r := byID["GV-01"]; r.Operated || !strings.Contains(strings.Join(r.Exceptions, " "), "No evidence") {
			t.Errorf("GV-01: %+v", r)
		}
		if r := byID["OP-01"]; r.Applicable || !strings.HasPrefix(r.Summary, export.ResultNotApplicable) {
			t.Errorf("OP-01: %+v", r)
		}
		// CC6.2 relies on AC-01 only; CC6.1 on AC-01 and AC-02.
		for _, cr := range d.CriterionResults() {
			want := cr.Criterion.ID == "CC6.2"
			if cr.Satisfied != want {
				t.Errorf("%s satisfied %v, want %v (%s)", cr.Criterion.ID, cr.Satisfied, want, cr.Reason)
			}
		}
	})
}

func TestControlMatrix(t *testing.T) {
	backends(t, func(t *testing.T, open func(sqlstore.Config) *sqlstore.DB) {
		w := newWorld(t, open)
		d, cp := w.data()
		var buf bytes.Buffer
		if err := export.WriteMatrix(&buf, d); err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatalf("not a zip: %v", err)
		}
		hasCT := false
		for _, f := range zr.File {
			hasCT = hasCT || f.Name == "[Content_Types].xml"
		}
		if !hasCT {
			t.Fatal("no [Content_Types].xml")
		}
		f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got := f.GetSheetList(); len(got) != 2 || got[0] != export.SummarySheet || got[1] != export.MatrixSheet {
			t.Fatalf("sheets %v", got)
		}
		rows, err := f.GetRows(export.MatrixSheet)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(rows[0], "|") != strings.Join(export.MatrixHeader, "|") {
			t.Fatalf("header %q", rows[0])
		}
		// Security only: CC1.1 (GV-01, OP-01), CC6.1 (AC-01, AC-02), CC6.2 (AC-01).
		if len(rows) != 6 {
			t.Fatalf("%d rows, want 6: %q", len(rows), rows)
		}
		var found bool
		for _, r := range rows[1:] {
			if r[0] == "CC6.2" && r[2] == "AC-01" {
				found = true
				if r[7] != export.ResultOperated || !strings.Contains(r[6], "Access review Q1") || !strings.Contains(r[6], "sha256:") ||
					!strings.Contains(r[5], "Frequency: annual") || !strings.Contains(r[5], "Manual attestation") {
					t.Errorf("CC6.2/AC-01 row: %q", r)
				}
			}
		}
		if !found {
			t.Error("no CC6.2/AC-01 row")
		}
		sum, _ := f.GetRows(export.SummarySheet)
		text := ""
		for _, r := range sum {
			text += strings.Join(r, ": ") + "\n"
		}
		for _, want := range []string{"Organisation: Northwind Test", "Period: 2026-02-01 to 2026-04-30", cp.Root.String()} {
			if !strings.Contains(text, want) {
				t.Errorf("summary lacks %q:\n%s", want, text)
			}
		}
		panes, err := f.GetPanes(export.MatrixSheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("panes %+v, %v", panes, err)
		}
	})
}
