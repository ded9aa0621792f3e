package export

import (
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

func TestEvidenceGapsAreExceptions(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	p := Period{From: day("2026-01-01"), To: day("2026-12-31")}
	item := func(from, expires string) Item {
		return Item{Evidence: assay.Evidence{CollectedAt: day(from), ExpiresAt: day(expires), Controls: []string{"AC-01"}}}
	}
	ctl := assay.Control{ID: "AC-01", Status: assay.StatusImplemented}
	history := map[string][]StatusChange{"AC-01": {{Seq: 1, At: day("2025-06-01"), Status: assay.StatusImplemented}}}

	cases := []struct {
		name  string
		items []Item
		want  []string
	}{
		{"covered throughout by renewals", []Item{item("2025-12-15", "2026-04-01"), item("2026-03-20", "2026-07-01"), item("2026-06-25", "2027-02-01")}, nil},
		{"lapsed in the summer", []Item{item("2025-12-15", "2026-06-01"), item("2026-08-01", "2027-02-01")}, []string{"No evidence covered 2026-06-01 to 2026-07-31."}},
		{"collected late", []Item{item("2026-03-01", "2027-03-01")}, []string{"No evidence covered 2026-01-01 to 2026-02-28."}},
		{"expired before the end", []Item{item("2025-12-01", "2026-11-01")}, []string{"No evidence covered 2026-11-01 to 2026-12-31."}},
	}
	for _, tc := range cases {
		d := &Data{Period: p, GeneratedAt: day("2027-01-15"), History: history, Evidence: tc.items}
		r := d.ControlResult(ctl)
		if len(tc.want) == 0 {
			if !r.Operated {
				t.Errorf("%s: %+v, want operated", tc.name, r)
			}
			continue
		}
		if r.Operated || strings.Join(r.Exceptions, " | ") != strings.Join(tc.want, " | ") {
			t.Errorf("%s: exceptions %q, want %q", tc.name, r.Exceptions, tc.want)
		}
	}

	// A period still running is judged only up to the export.
	d := &Data{Period: p, GeneratedAt: day("2026-05-01"), History: history, Evidence: []Item{item("2025-12-15", "2026-06-01")}}
	if r := d.ControlResult(ctl); !r.Operated {
		t.Errorf("the future part of the period counted as a gap: %q", r.Exceptions)
	}
}
