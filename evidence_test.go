package assay_test

import (
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

var evNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func day(s string) *time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return &t
}

func TestNewEvidenceValidate(t *testing.T) {
	good := func() assay.NewEvidence {
		return assay.NewEvidence{Kind: "link", Title: " Access review Q4 ", URL: "https://drive.example/review", Controls: []string{" acc-01", "ACC-01", "acc-02"}}
	}
	n := good()
	if err := n.Normalize(evNow); err != nil {
		t.Fatal(err)
	}
	if n.Title != "Access review Q4" || strings.Join(n.Controls, ",") != "ACC-01,ACC-02" || n.ValidDays != assay.DefaultEvidenceValidDays {
		t.Fatalf("normalised: %+v", n)
	}
	bad := map[string]func(n *assay.NewEvidence){
		"kind":         func(n *assay.NewEvidence) { n.Kind = "video" },
		"title":        func(n *assay.NewEvidence) { n.Title = "  " },
		"url":          func(n *assay.NewEvidence) { n.URL = "javascript:alert(1)" },
		"note_text":    func(n *assay.NewEvidence) { n.NoteText = "a note on a link" },
		"valid_days":   func(n *assay.NewEvidence) { n.ValidDays = -3 },
		"collected_at": func(n *assay.NewEvidence) { n.CollectedAt = ptr(evNow.Add(time.Hour)) },
		"period_start": func(n *assay.NewEvidence) { n.PeriodEnd = day("2026-01-01") },
		"period_end":   func(n *assay.NewEvidence) { n.PeriodStart, n.PeriodEnd = day("2026-02-01"), day("2026-01-01") },
		"controls":     func(n *assay.NewEvidence) { n.Controls = nil },
		"description":  func(n *assay.NewEvidence) { n.Description = strings.Repeat("d", assay.MaxControlText+1) },
	}
	for field, breakIt := range bad {
		n := good()
		breakIt(&n)
		err := n.Normalize(evNow)
		if e, ok := err.(*assay.Error); !ok || e.Code != assay.EINVALID || e.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	// A period may not end after the evidence was collected.
	n = good()
	n.PeriodStart, n.PeriodEnd = day("2026-01-01"), day("2026-03-31")
	if err := n.Normalize(evNow); assay.ErrorCode(err) != assay.EINVALID {
		t.Errorf("period ending after collection: %v", err)
	}
	// File evidence needs its digest; the title defaults to the file name.
	f := assay.NewEvidence{Kind: "file", Filename: `C:\Users\dana\export "final".csv`, Controls: []string{"ACC-01"}}
	if err := f.Normalize(evNow); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("file without digest: %v", err)
	}
	f.SHA256 = strings.Repeat("ab", 32)
	if err := f.Normalize(evNow); err != nil || f.Title != "export final.csv" || f.Filename != "export final.csv" || f.MediaType != "text/csv; charset=utf-8" {
		t.Fatalf("file: %+v %v", f, err)
	}
	note := assay.NewEvidence{Kind: "note", Title: "x", Controls: []string{"ACC-01"}, SHA256: strings.Repeat("ab", 32)}
	note.NoteText = "written"
	if err := note.Normalize(evNow); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("a note with a digest: %v", err)
	}
}

func TestEvidenceExpiryAndState(t *testing.T) {
	collected := time.Date(2026, 1, 10, 15, 0, 0, 0, time.UTC)
	if got := assay.EvidenceExpiry(collected, nil, 92); !got.Equal(time.Date(2026, 4, 12, 15, 0, 0, 0, time.UTC)) {
		t.Fatalf("expiry from collection: %v", got)
	}
	if got := assay.EvidenceExpiry(collected, day("2025-12-31"), 92); !got.Equal(time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("expiry from period end: %v", got)
	}
	e := assay.Evidence{ExpiresAt: evNow.Add(40 * 24 * time.Hour)}
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{evNow, assay.EvidenceCurrent},
		{evNow.Add(10 * 24 * time.Hour), assay.EvidenceExpiring},
		{e.ExpiresAt, assay.EvidenceExpired},
	} {
		if got := e.State(c.at); got != c.want {
			t.Errorf("state at %v: %s, want %s", c.at, got, c.want)
		}
	}
	e.SupersededBy = 9
	if e.State(evNow) != assay.EvidenceSuperseded {
		t.Error("superseded evidence is not superseded")
	}
}

func TestEvidenceCondition(t *testing.T) {
	by := map[string]assay.ControlEvidence{
		"ACC-01": {ControlID: "ACC-01", Items: 1, LatestExpiry: evNow.Add(time.Hour)},
		"ACC-02": {ControlID: "ACC-02", Items: 2, LatestExpiry: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
	}
	cond := assay.EvidenceCondition(evNow, by)
	impl := func(id string) assay.Control { return assay.Control{ID: id, Status: assay.StatusImplemented} }
	for id, want := range map[string]string{"ACC-01": "", "ACC-02": "evidence expired on 2026-03-01", "ACC-03": "no current evidence"} {
		if got := cond(impl(id)); got != want {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	if got := cond(assay.Control{ID: "ACC-03", Status: assay.StatusInProgress}); got != "" {
		t.Errorf("a control not yet implemented gets an evidence reason: %q", got)
	}
	// Through the rule: an implemented control without evidence holds its criterion back.
	crit := []assay.Criterion{{ID: "CC6.1", Category: assay.CategorySecurity}}
	controls := []assay.Control{impl("ACC-01"), impl("ACC-02")}
	controls[0].Criteria, controls[1].Criteria = []string{"CC6.1"}, []string{"CC6.1"}
	rd := assay.ReadinessRule{Conditions: []assay.ControlCondition{cond}}.Compute(evNow, crit, assay.Scope{}, controls)
	if rd.Overall.Met != 0 || len(rd.Gaps) != 1 || len(rd.Gaps[0].Missing) != 1 || rd.Gaps[0].Missing[0].Reason != "evidence expired on 2026-03-01" {
		t.Fatalf("readiness: %+v", rd.Gaps)
	}
}

func TestNewEvidenceRequestValidate(t *testing.T) {
	n := assay.NewEvidenceRequest{ControlID: " acc-01 ", AssigneeID: 3, DueDate: evNow.Add(72 * time.Hour), Description: " The Q1 access review. "}
	if err := n.Validate(evNow); err != nil || n.ControlID != "ACC-01" || !n.DueDate.Equal(*day("2026-03-05")) {
		t.Fatalf("%+v %v", n, err)
	}
	for field, breakIt := range map[string]func(n *assay.NewEvidenceRequest){
		"control_id":  func(n *assay.NewEvidenceRequest) { n.ControlID = "" },
		"assignee_id": func(n *assay.NewEvidenceRequest) { n.AssigneeID = 0 },
		"due_date":    func(n *assay.NewEvidenceRequest) { n.DueDate = evNow.AddDate(0, 0, -2) },
		"description": func(n *assay.NewEvidenceRequest) { n.Description = "" },
	} {
		m := assay.NewEvidenceRequest{ControlID: "ACC-01", AssigneeID: 3, DueDate: evNow, Description: "x"}
		breakIt(&m)
		if e, ok := m.Validate(evNow).(*assay.Error); !ok || e.Field != field {
			t.Errorf("%s: %v", field, e)
		}
	}
	r := assay.EvidenceRequest{Status: assay.RequestOpen, DueDate: *day("2026-03-01")}
	if !r.Overdue(evNow) || r.Overdue(*day("2026-03-01")) {
		t.Error("overdue is wrong")
	}
}

func TestCleanFilename(t *testing.T) {
	for in, want := range map[string]string{"../../etc/passwd": "passwd", "": "evidence", "..": "evidence", "a\x00b\nc.txt": "abc.txt", "report.pdf": "report.pdf"} {
		if got := assay.CleanFilename(in); got != want {
			t.Errorf("CleanFilename(%q) = %q, want %q", in, got, want)
		}
	}
	if got := assay.CleanFilename(strings.Repeat("é", 200)); len(got) > assay.MaxFilenameLen {
		t.Errorf("long name kept %d bytes", len(got))
	}
}

func ptr[T any](v T) *T { return &v }
