package export

import (
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

// Every sheet's rows are as wide as its header, and its widths list.
func TestWorkpaperRowsMatchTheirHeaders(t *testing.T) {
	due := time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
	wp := &Workpaper{GeneratedAt: due.AddDate(0, 0, 1), Controls: map[string]assay.Control{},
		Period: assay.AuditPeriod{Controls: []assay.PeriodControl{{ID: "ACC-01", Requests: []assay.EvidenceRequest{{ID: 1, ControlID: "ACC-01",
			Reference: "PBC-01", SampleID: 2, SampleItem: "user:7", DueDate: due, Status: assay.RequestOpen, Comments: 3,
			Evidence: []assay.EvidenceRef{{ID: 9, Title: "Export", SHA256: "ab"}}}}}}}}
	rows := wp.RequestRows()
	if len(rows) != 1 || len(rows[0]) != len(RequestsHeader) || len(requestsWidths) != len(RequestsHeader) {
		t.Fatalf("requests: %d cells for %d headers and %d widths", len(rows[0]), len(RequestsHeader), len(requestsWidths))
	}
	got := map[string]string{}
	for i, h := range RequestsHeader {
		got[h] = rows[0][i]
	}
	if got["Reference"] != "PBC-01" || got["Sampled item"] != "user:7 (sample 2)" || got["Overdue"] != "yes" || got["Comments"] != "3" {
		t.Fatalf("requests row by header: %v", got)
	}
	if len(samplesWidths) != len(SamplesHeader) {
		t.Fatalf("samples: %d widths for %d headers", len(samplesWidths), len(SamplesHeader))
	}
}
