package export_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/xuri/excelize/v2"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/export"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/store/sqlstore"
)

// monitor records, for a custom check testing AC-01, a run every twelve
// hours through the period except from 10 to 14 March, with the check
// failing on db.internal from 20 March 06:00 to 22 March 06:00.
func (w *world) monitor() {
	w.t.Helper()
	back := w.clock.T
	defer func() { w.clock.T = back }()
	w.clock.Set(time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC))
	if _, err := w.org.CreateCustomCheck(w.ctx, actor, assay.Check{ID: "custom-tls", Title: "TLS 1.2 or later", Kind: "http.endpoint",
		Expr: "r.tls_min >= 12", Severity: assay.SeverityHigh, Reason: "Old TLS on {{.Name}}", Controls: []string{"AC-01"}}); err != nil {
		w.t.Fatal(err)
	}
	src, err := w.org.CreateSource(w.ctx, actor, assay.Source{Name: "edge", Kind: "http", Enabled: true, Settings: map[string]string{"urls": "https://db.internal"}}, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	failFrom, failTo := time.Date(2026, 3, 20, 6, 0, 0, 0, time.UTC), time.Date(2026, 3, 22, 6, 0, 0, 0, time.UTC)
	for at := time.Date(2026, 2, 1, 6, 0, 0, 0, time.UTC); at.Before(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)); at = at.Add(12 * time.Hour) {
		if !at.Before(time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)) && at.Before(time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)) {
			continue
		}
		r := assay.CheckResult{CheckID: "custom-tls", ResourceKind: "http.endpoint", ResourceID: "https://db.internal", ResourceName: "db.internal", Status: assay.CheckPass}
		if !at.Before(failFrom) && at.Before(failTo) {
			r.Status, r.Reason = assay.CheckFail, "Old TLS on db.internal"
		}
		w.clock.Set(at)
		if _, _, err := w.org.RecordRun(w.ctx, actor, assay.MonitorRun{SourceID: src.ID, Trigger: assay.TriggerSchedule, StartedAt: at, EndedAt: at.Add(time.Second),
			Status: assay.RunOK}, []assay.CheckResult{r}, map[string]store.CheckMeta{"custom-tls": {Severity: assay.SeverityHigh, Controls: []string{"AC-01"}}}); err != nil {
			w.t.Fatal(err)
		}
	}
}

func TestMonitoringInExports(t *testing.T) {
	sch := compileOSCAL(t)
	backends(t, func(t *testing.T, open func(sqlstore.Config) *sqlstore.DB) {
		w := newWorld(t, open)
		w.monitor()
		d, _ := w.data()
		m, ok := d.Monitoring["AC-01"]
		// 89 days, 8 runs lost to the silent days 10 to 13 March.
		if !ok || m.Runs != 170 || m.Days != 89 || m.DaysCovered != 85 || m.FailingDays != 3 || len(m.Failures) != 1 || len(m.Gaps) != 1 {
			t.Fatalf("AC-01's monitoring: runs %d days %d covered %d failing %d failures %+v gaps %+v", m.Runs, m.Days, m.DaysCovered, m.FailingDays, m.Failures, m.Gaps)
		}
		if _, ok := d.Monitoring["AC-02"]; ok {
			t.Fatal("AC-02 has monitoring but no check tests it")
		}

		var buf bytes.Buffer
		if err := export.WriteMatrix(&buf, d); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows(export.MatrixSheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows[0]) != len(export.MatrixHeader) || strings.Join(rows[0][9:], "|") != strings.Join(export.MonitoringHeader, "|") {
			t.Fatalf("header %q", rows[0])
		}
		seen := 0
		for _, r := range rows[1:] {
			switch r[2] {
			case "AC-01":
				seen++
				if r[9] != "custom-tls" || !strings.Contains(r[10], "170 runs by edge (http); 85 of 89 days with a successful run") || r[11] != "3" {
					t.Errorf("AC-01's automated testing: %q", r[9:])
				}
				ex := strings.Split(r[12], "\n")
				if len(ex) != 2 || !strings.HasPrefix(ex[0], "2026-03-09 18:00 to 2026-03-14 06:00 UTC: No successful run of source edge") ||
					!strings.HasPrefix(ex[1], "2026-03-20 06:00 to 2026-03-22 06:00 UTC: Check custom-tls failed on db.internal (source edge): Old TLS on db.internal") ||
					!strings.Contains(ex[1], "Passed again in run #") || !strings.Contains(ex[1], "corrective action #") {
					t.Errorf("AC-01's automated-test exceptions:\n%s", r[12])
				}
			case "AC-02":
				if r[9] != "None" {
					t.Errorf("AC-02's automated testing: %q", r[9:])
				}
			}
		}
		if seen != 2 { // CC6.1 and CC6.2
			t.Fatalf("AC-01 rows: %d", seen)
		}
		sum, _ := f.GetRows(export.SummarySheet)
		if !strings.Contains(fmt.Sprint(sum), "1 controls tested by automated checks; 1 failing windows and 1 gaps") {
			t.Errorf("summary: %q", sum)
		}

		buf.Reset()
		if err := export.WriteOSCAL(&buf, d); err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Fatalf("not valid OSCAL: %v", err)
		}
		var doc struct {
			AR struct {
				Results []struct {
					Observations []struct {
						UUID, Title, Description string
						Methods                  []string
					}
					Findings []struct {
						Target struct {
							TargetID string `json:"target-id"`
						} `json:"target"`
						Related []struct {
							UUID string `json:"observation-uuid"`
						} `json:"related-observations"`
					}
				}
			} `json:"assessment-results"`
		}
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		var obs string
		for _, o := range doc.AR.Results[0].Observations {
			if o.Title == "Automated testing of AC-01" {
				obs = o.UUID
				if len(o.Methods) != 1 || o.Methods[0] != "TEST" || !strings.Contains(o.Description, "170 runs") || !strings.Contains(o.Description, "failing on 3 days") ||
					!strings.Contains(o.Description, "Check custom-tls failed on db.internal") {
					t.Errorf("observation: %+v", o)
				}
			}
		}
		if obs == "" {
			t.Fatal("no automated-testing observation for AC-01")
		}
		linked := 0
		for _, f := range doc.AR.Results[0].Findings {
			for _, r := range f.Related {
				if r.UUID == obs && (f.Target.TargetID == "CC6.1" || f.Target.TargetID == "CC6.2") {
					linked++
				}
			}
		}
		if linked != 2 {
			t.Errorf("the observation is linked from %d of CC6.1 and CC6.2's findings", linked)
		}
	})
}
