package availability

import (
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

func at(loc *time.Location, y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, loc)
}

func down(from, to time.Time) assay.StatusPeriod {
	return assay.StatusPeriod{State: assay.StateDown, StartedAt: from.UTC(), EndedAt: ptr(to.UTC())}
}

func ptr[T any](v T) *T { return &v }

// TestMonthBoundaries checks the monthly SLA where months are awkward: a
// downtime across a quarter end and across the year end splits between
// the months; February of a leap year has 29 days; the months of the DST
// changes in New York are an hour short and an hour long.
func TestMonthBoundaries(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	svc := assay.Service{SLATarget: 99.9}
	first := ptr(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	cases := []struct {
		name      string
		loc       *time.Location
		month     time.Time
		periods   []assay.StatusPeriod
		monthLen  time.Duration
		wantDown  time.Duration
		wantMonth string
	}{
		{"quarter end, March side", ny, at(ny, 2026, 3, 10, 0, 0), []assay.StatusPeriod{down(at(ny, 2026, 3, 31, 23, 50), at(ny, 2026, 4, 1, 0, 20))},
			31*24*time.Hour - time.Hour, 10 * time.Minute, "2026-03"},
		{"quarter end, April side", ny, at(ny, 2026, 4, 10, 0, 0), []assay.StatusPeriod{down(at(ny, 2026, 3, 31, 23, 50), at(ny, 2026, 4, 1, 0, 20))},
			30 * 24 * time.Hour, 20 * time.Minute, "2026-04"},
		{"29 February", time.UTC, at(time.UTC, 2028, 2, 29, 12, 0), []assay.StatusPeriod{down(at(time.UTC, 2028, 2, 29, 23, 0), at(time.UTC, 2028, 3, 1, 1, 0))},
			29 * 24 * time.Hour, time.Hour, "2028-02"},
		{"31 December", ny, at(ny, 2026, 12, 31, 12, 0), []assay.StatusPeriod{down(at(ny, 2026, 12, 31, 23, 30), at(ny, 2027, 1, 1, 0, 45))},
			31 * 24 * time.Hour, 30 * time.Minute, "2026-12"},
		{"1 January", ny, at(ny, 2027, 1, 2, 12, 0), []assay.StatusPeriod{down(at(ny, 2026, 12, 31, 23, 30), at(ny, 2027, 1, 1, 0, 45))},
			31 * 24 * time.Hour, 45 * time.Minute, "2027-01"},
		{"DST ends in November", ny, at(ny, 2026, 11, 20, 0, 0), []assay.StatusPeriod{down(at(ny, 2026, 11, 1, 0, 30), at(ny, 2026, 11, 1, 3, 0))},
			30*24*time.Hour + time.Hour, 3*time.Hour + 30*time.Minute, "2026-11"},
	}
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := History{Service: svc, Periods: c.periods}
			h.Service.FirstProbe = first
			s := h.SLA(MonthStart(c.month, c.loc), c.loc, now)
			if s.Month != c.wantMonth || s.Monitored != c.monthLen || s.Down != c.wantDown {
				t.Fatalf("sla = month %s monitored %v down %v; want %s %v %v", s.Month, s.Monitored, s.Down, c.wantMonth, c.monthLen, c.wantDown)
			}
			wantBudget := (c.monthLen / 1000).Round(time.Millisecond) // 0.1%
			if s.Budget != wantBudget || s.BudgetLeft != wantBudget-c.wantDown {
				t.Fatalf("budget %v left %v; want %v", s.Budget, s.BudgetLeft, wantBudget)
			}
			if want := 100 * float64(c.monthLen-c.wantDown) / float64(c.monthLen); s.Percent != want {
				t.Fatalf("percent %v, want %v", s.Percent, want)
			}
		})
	}
}

// TestDaysAcrossDST: the daily bars of New York days are 23 and 25 hours
// long on the days the clocks change.
func TestDaysAcrossDST(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	h := History{Service: assay.Service{FirstProbe: ptr(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))}}
	days := h.Days(at(ny, 2026, 3, 9, 12, 0), 3, ny)
	if len(days) != 3 || days[1].Date != "2026-03-08" || days[1].Monitored != 23*time.Hour || days[0].Monitored != 24*time.Hour ||
		days[2].Monitored != 12*time.Hour {
		t.Fatalf("days = %+v", days)
	}
}

// TestComputeExcludesMaintenanceAndUnknown: downtime inside maintenance is
// not downtime; unknown time is out of the measured time.
func TestComputeExcludesMaintenanceAndUnknown(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	periods := []assay.StatusPeriod{
		down(t0.Add(time.Hour), t0.Add(3*time.Hour)),
		{State: assay.StateUnknown, StartedAt: t0.Add(5 * time.Hour), EndedAt: ptr(t0.Add(6 * time.Hour))},
		{State: assay.StateDown, StartedAt: t0.Add(9 * time.Hour)}, // still down
	}
	maint := []assay.MaintenanceWindow{{StartsAt: t0.Add(2 * time.Hour), EndsAt: t0.Add(4 * time.Hour)}, {StartsAt: t0.Add(150 * time.Minute), EndsAt: t0.Add(170 * time.Minute)}}
	u := Compute(t0, t0.Add(24*time.Hour), &t0, periods, maint, t0.Add(10*time.Hour))
	if u.Monitored != 10*time.Hour || u.Maintenance != 2*time.Hour || u.Unknown != time.Hour || u.Down != 2*time.Hour {
		t.Fatalf("uptime = %+v", u)
	}
	if want := 100 * 5.0 / 7.0; u.Percent != want {
		t.Fatalf("percent %v, want %v", u.Percent, want)
	}
	if none := Compute(t0, t0.Add(time.Hour), nil, nil, nil, t0); none.Percent != -1 {
		t.Fatalf("never probed = %+v", none)
	}
}

// TestGapWithoutProbesIsUnknown: a service with no result for longer than
// three intervals (the prober stopped, or it is paused) is unknown from
// its last result on, not up, and an open downtime ends there.
func TestGapWithoutProbesIsUnknown(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	last := t0.Add(2 * time.Hour)
	h := History{Service: assay.Service{IntervalSecs: 60, FirstProbe: &t0, LastProbeAt: &last},
		Periods: []assay.StatusPeriod{{State: assay.StateDown, StartedAt: t0.Add(time.Hour)}}}
	u := h.Uptime(t0, t0.Add(24*time.Hour), t0.Add(5*time.Hour))
	if u.Down != time.Hour+time.Minute || u.Unknown != 3*time.Hour-time.Minute {
		t.Fatalf("uptime = %+v", u)
	}
	// Within the gap, nothing changes.
	if u := h.Uptime(t0, t0.Add(24*time.Hour), last.Add(2*time.Minute)); u.Unknown != 0 || u.Down != time.Hour+2*time.Minute {
		t.Fatalf("within the gap = %+v", u)
	}
}
