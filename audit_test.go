package assay

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestDrawSample(t *testing.T) {
	keys := []string{"user:3", "user:1", "user:10", "user:2", "user:7"}
	a := DrawSample(keys, 99, 3)
	if b := DrawSample(slices.Clone(keys), 99, 3); !slices.Equal(a, b) {
		t.Fatalf("same seed, different samples: %v %v", a, b)
	}
	if len(a) != 3 || len(DrawSample(keys, 99, 10)) != 5 {
		t.Fatalf("sizes: %v", a)
	}
	if !slices.Equal(keys, []string{"user:3", "user:1", "user:10", "user:2", "user:7"}) {
		t.Fatal("DrawSample changed its input")
	}
	// The order of the input does not matter: the keys are sorted first.
	rev := slices.Clone(keys)
	slices.Reverse(rev)
	if b := DrawSample(rev, 99, 3); !slices.Equal(a, b) {
		t.Fatalf("input order changed the sample: %v %v", a, b)
	}
	differs := false
	for seed := range uint64(20) {
		if !slices.Equal(DrawSample(keys, seed, 3), a) {
			differs = true
		}
	}
	if !differs {
		t.Fatal("every seed gives the same sample")
	}
	if PopulationDigest(nil) != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Fatal("digest of the empty population is not sha256 of nothing")
	}
}

func TestNewAuditValidate(t *testing.T) {
	d := func(m time.Month, day int) *time.Time { t := time.Date(2026, m, day, 13, 0, 0, 0, time.UTC); return &t }
	n := NewAudit{Type: AuditType2, Name: "A", Firm: "F", PeriodStart: d(1, 1), PeriodEnd: d(6, 30)}
	if w, err := n.Validate(); err != nil || len(w) != 0 || n.PeriodStart.Hour() != 0 {
		t.Fatalf("six months: %v %v %v", w, err, n.PeriodStart)
	}
	n = NewAudit{Type: AuditType2, Name: "A", Firm: "F", PeriodStart: d(1, 1), PeriodEnd: d(3, 30)}
	if w, err := n.Validate(); err != nil || len(w) != 1 {
		t.Fatalf("under three months: %v %v", w, err)
	}
	n = NewAudit{Type: AuditType2, Name: "A", Firm: "F", PeriodStart: d(1, 1), PeriodEnd: d(1, 1)}
	if _, err := n.Validate(); err != nil {
		t.Fatalf("one day: %v", err)
	}
}

func TestExceptions(t *testing.T) {
	at := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	start, end := at(1, 1), at(7, 1)
	changes := []StatusChange{
		{Seq: 1, At: at(1, 10), From: StatusNotStarted, To: StatusImplemented},
		{Seq: 2, At: at(3, 1), From: StatusImplemented, To: StatusInProgress},
		{Seq: 3, At: at(3, 5), From: StatusInProgress, To: StatusImplemented},
		{Seq: 4, At: at(6, 1), From: StatusImplemented, To: StatusNotStarted},
	}
	x := NotImplementedExceptions(start, end, changes, StatusNotStarted)
	if len(x) != 3 || !x[0].From.Equal(start) || x[0].To == nil || !x[0].To.Equal(at(1, 10)) ||
		!x[1].From.Equal(at(3, 1)) || x[2].Resolution != Unresolved {
		t.Fatalf("exceptions: %+v", x)
	}
	ev := []Evidence{
		{ID: 1, Title: "Q4", CollectedAt: at(1, 2), ExpiresAt: at(2, 1)},
		{ID: 2, Title: "Q1", CollectedAt: at(1, 25), ExpiresAt: at(5, 1)}, // renewed before 1 expired
		{ID: 3, Title: "Q2", CollectedAt: at(5, 20), ExpiresAt: at(9, 1)}, // late renewal of 2
	}
	y := ExpiredEvidenceExceptions(start, end, ev)
	if len(y) != 1 || y[0].From != at(5, 1) || y[0].To == nil || !y[0].To.Equal(at(5, 20)) || y[0].Resolution == Unresolved {
		t.Fatalf("evidence exceptions: %+v", y)
	}
}

func TestDefaultSampleSize(t *testing.T) {
	for n, want := range map[int]int{1: 1, 5: 5, 6: 5, 50: 5, 51: 6, 100: 10, 250: 25, 251: 25, 10_000: 25} {
		if got := DefaultSampleSize(n); got != want {
			t.Errorf("DefaultSampleSize(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestSummarizeAudit(t *testing.T) {
	now := time.Date(2028, 2, 29, 12, 0, 0, 0, time.UTC)
	due := func(d int) time.Time { return Day(now.AddDate(0, 0, d)) }
	p := AuditPeriod{Controls: []PeriodControl{
		{ID: "A", Evidence: []Evidence{{ID: 1}}, Exceptions: []AuditException{{Kind: ExceptionNotImplemented}}},
		{ID: "B", Exceptions: []AuditException{{}, {}}, Requests: []EvidenceRequest{{Status: RequestOpen, DueDate: due(-1)}, {Status: RequestAccepted, DueDate: due(-5)}}},
		{ID: "C", Monitoring: &PeriodMonitoring{Runs: 3}, Requests: []EvidenceRequest{{Status: RequestSubmitted, DueDate: due(3)}}},
		{ID: "D"},
	}}
	s := SummarizeAudit(p, []AuditSample{{ControlID: "D"}}, now)
	want := AuditSummary{Controls: 4, Tested: 3, WithExceptions: 2, Exceptions: 3, OpenRequests: 2, OverdueRequests: 1, Samples: 1,
		ByControl: []ControlExceptions{{ID: "B", Count: 2}, {ID: "A", Count: 1}}}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("summary = %+v\nwant      %+v", s, want)
	}
}

func TestAuditCovers(t *testing.T) {
	d := func(s string) *time.Time {
		v, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return &v
	}
	a := Audit{Type: AuditType2, PeriodStart: d("2026-01-01"), PeriodEnd: d("2026-03-31")}
	for _, c := range []struct {
		name string
		e    Evidence
		want bool
	}{
		{"period inside", Evidence{PeriodStart: d("2026-02-01"), PeriodEnd: d("2026-02-28")}, true},
		{"period ends on the first day", Evidence{PeriodStart: d("2025-12-01"), PeriodEnd: d("2026-01-01")}, true},
		{"period starts on the last day", Evidence{PeriodStart: d("2026-03-31"), PeriodEnd: d("2026-04-30")}, true},
		{"period before", Evidence{PeriodStart: d("2025-11-01"), PeriodEnd: d("2025-12-31")}, false},
		{"period after", Evidence{PeriodStart: d("2026-04-01"), PeriodEnd: d("2026-04-30")}, false},
		{"collected inside", Evidence{CollectedAt: time.Date(2026, 3, 31, 23, 59, 0, 0, time.UTC)}, true},
		{"collected the day after", Evidence{CollectedAt: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}, false},
		{"collected before", Evidence{CollectedAt: time.Date(2025, 12, 31, 23, 59, 0, 0, time.UTC)}, false},
	} {
		if got := a.Covers(c.e); got != c.want {
			t.Errorf("%s: Covers = %v", c.name, got)
		}
	}
}
