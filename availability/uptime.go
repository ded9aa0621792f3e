package availability

import (
	"context"
	"slices"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// Uptime is a service's availability over a window. Time is counted from
// the status periods and maintenance windows, not from probe rows: the
// window (cut to the time the service has been probed, up to now) less
// maintenance and unknown time is the measured time, and the down time
// outside maintenance is what it lost.
type Uptime struct {
	From        time.Time     `json:"from"`
	To          time.Time     `json:"to"`
	Monitored   time.Duration `json:"monitored_ns"`   // the window while the service was probed
	Maintenance time.Duration `json:"maintenance_ns"` // planned, excluded
	Unknown     time.Duration `json:"unknown_ns"`     // the prober could not tell, excluded
	Down        time.Duration `json:"down_ns"`        // down outside maintenance
	// Percent is the uptime of the measured time; -1 when none was measured.
	Percent float64 `json:"percent"`
}

// Measured is the time the uptime is a share of.
func (u Uptime) Measured() time.Duration { return u.Monitored - u.Maintenance - u.Unknown }

type span struct{ from, to time.Time }

func clipSpan(s span, w span) (span, bool) {
	if s.from.Before(w.from) {
		s.from = w.from
	}
	if s.to.After(w.to) {
		s.to = w.to
	}
	return s, s.to.After(s.from)
}

// merge sorts spans and joins the overlapping ones.
func merge(in []span) []span {
	slices.SortFunc(in, func(a, b span) int { return a.from.Compare(b.from) })
	var out []span
	for _, s := range in {
		if n := len(out); n > 0 && !s.from.After(out[n-1].to) {
			if s.to.After(out[n-1].to) {
				out[n-1].to = s.to
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// outside is how much of s lies outside the merged spans m.
func outside(s span, m []span) time.Duration {
	d := s.to.Sub(s.from)
	for _, x := range m {
		if c, ok := clipSpan(x, s); ok {
			d -= c.to.Sub(c.from)
		}
	}
	return d
}

// Compute is the uptime of the window [from, to) given the service's
// first probe, its status periods and maintenance windows, at now.
func Compute(from, to time.Time, firstProbe *time.Time, periods []assay.StatusPeriod, maint []assay.MaintenanceWindow, now time.Time) Uptime {
	u := Uptime{From: from, To: to, Percent: -1}
	w := span{from, to}
	if firstProbe == nil {
		return u
	}
	if w.from.Before(*firstProbe) {
		w.from = *firstProbe
	}
	if w.to.After(now) {
		w.to = now
	}
	if !w.to.After(w.from) {
		return u
	}
	u.Monitored = w.to.Sub(w.from)
	var ms []span
	for _, m := range maint {
		if c, ok := clipSpan(span{m.StartsAt, m.EndsAt}, w); ok {
			ms = append(ms, c)
		}
	}
	ms = merge(ms)
	for _, m := range ms {
		u.Maintenance += m.to.Sub(m.from)
	}
	for _, p := range periods {
		c, ok := clipSpan(span{p.StartedAt, p.End(now)}, w)
		if !ok {
			continue
		}
		switch p.State {
		case assay.StateDown:
			u.Down += outside(c, ms)
		case assay.StateUnknown:
			u.Unknown += outside(c, ms)
		}
	}
	if m := u.Measured(); m > 0 {
		u.Percent = 100 * float64(m-u.Down) / float64(m)
	}
	return u
}

// Windows are the uptime figures a service page shows.
var Windows = []struct {
	Name string
	Span time.Duration
}{
	{"24h", 24 * time.Hour}, {"7d", 7 * 24 * time.Hour}, {"30d", 30 * 24 * time.Hour},
	{"90d", 90 * 24 * time.Hour}, {"1y", 365 * 24 * time.Hour},
}

// Figures are a service's uptime over the standard windows, its daily
// bars and its SLA this month.
type Figures struct {
	Service assay.Service `json:"service"`
	Windows []Window      `json:"uptime"`
	Days    []Day         `json:"days,omitempty"`
	SLA     SLA           `json:"sla"`
}

// Window is one uptime figure.
type Window struct {
	Name string `json:"window"`
	Uptime
}

// Day is one daily bar.
type Day struct {
	Date string `json:"date"` // YYYY-MM-DD in the report's time zone
	Uptime
}

// History is what the figures are computed from: a service's periods and
// maintenance over a span, read once.
type History struct {
	Service     assay.Service
	Periods     []assay.StatusPeriod
	Maintenance []assay.MaintenanceWindow
}

// Load reads a service's history over [from, to).
func Load(ctx context.Context, org store.OrgStore, svc assay.Service, from, to time.Time) (History, error) {
	h := History{Service: svc}
	var err error
	if h.Periods, err = org.StatusPeriods(ctx, svc.ID, from, to); err != nil {
		return h, err
	}
	h.Maintenance, err = org.MaintenanceWindows(ctx, svc.ID, from, to)
	return h, err
}

// Uptime is the history's uptime over [from, to) at now.
func (h History) Uptime(from, to, now time.Time) Uptime {
	return Compute(from, to, h.Service.FirstProbe, h.effective(now), h.Maintenance, now)
}

// effective is the periods as of now: when the service has gone longer
// than its probe gap without a result (the prober stopped, or the service
// is paused), the time since its last result (plus an interval) is
// unknown, and a period still open ends there.
func (h History) effective(now time.Time) []assay.StatusPeriod {
	s := h.Service
	if s.LastProbeAt == nil || s.IntervalSecs <= 0 || now.Sub(*s.LastProbeAt) <= s.ProbeGap() {
		return h.Periods
	}
	cut := s.LastProbeAt.Add(s.Interval())
	out := make([]assay.StatusPeriod, 0, len(h.Periods)+1)
	for _, p := range h.Periods {
		if p.EndedAt == nil {
			if !p.StartedAt.Before(cut) {
				continue
			}
			p.EndedAt = &cut
		}
		out = append(out, p)
	}
	return append(out, assay.StatusPeriod{ServiceID: s.ID, State: assay.StateUnknown, StartedAt: cut, Error: "no probe results"})
}

// ComputeFigures reads a service's last year and computes its figures at
// now: the standard windows, days daily bars (in loc) and this month's SLA.
func ComputeFigures(ctx context.Context, org store.OrgStore, svc assay.Service, now time.Time, days int, loc *time.Location) (Figures, error) {
	from := now.Add(-366 * 24 * time.Hour)
	if ms := MonthStart(now, loc); ms.Before(from) {
		from = ms
	}
	h, err := Load(ctx, org, svc, from, now.Add(time.Second))
	if err != nil {
		return Figures{}, err
	}
	f := Figures{Service: svc}
	for _, w := range Windows {
		f.Windows = append(f.Windows, Window{Name: w.Name, Uptime: h.Uptime(now.Add(-w.Span), now, now)})
	}
	f.Days = h.Days(now, days, loc)
	f.SLA = h.SLA(MonthStart(now, loc), loc, now)
	return f, nil
}

// Days is the uptime of each of the last n days (in loc), oldest first,
// today included.
func (h History) Days(now time.Time, n int, loc *time.Location) []Day {
	if n <= 0 {
		return nil
	}
	l := now.In(loc)
	today := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	out := make([]Day, 0, n)
	for i := n - 1; i >= 0; i-- {
		d := today.AddDate(0, 0, -i)
		out = append(out, Day{Date: d.Format(time.DateOnly), Uptime: h.Uptime(d, d.AddDate(0, 0, 1), now)})
	}
	return out
}

// MonthStart is midnight of the first day of now's month in loc.
func MonthStart(now time.Time, loc *time.Location) time.Time {
	l := now.In(loc)
	return time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, loc)
}

// SLA is a service's month against its target.
type SLA struct {
	Month  string  `json:"month"` // YYYY-MM
	Target float64 `json:"target"`
	Uptime
	// Budget is the downtime the target allows in the month's measured
	// time so far; BudgetLeft what is left of it (negative: overspent).
	Budget     time.Duration `json:"budget_ns"`
	BudgetLeft time.Duration `json:"budget_left_ns"`
	Met        bool          `json:"met"`
}

// SLA is the month starting at start (in loc) at now.
func (h History) SLA(start time.Time, loc *time.Location, now time.Time) SLA {
	start = start.In(loc)
	end := start.AddDate(0, 1, 0)
	u := h.Uptime(start, end, now)
	s := SLA{Month: start.Format("2006-01"), Target: h.Service.SLATarget, Uptime: u}
	// Kept to the millisecond, so the figure does not carry float noise.
	s.Budget = time.Duration(float64(u.Measured()) * (100 - s.Target) / 100).Round(time.Millisecond)
	s.BudgetLeft = s.Budget - u.Down
	s.Met = u.Percent < 0 || u.Percent >= s.Target
	return s
}

// MonthReport is a service's monthly SLA report: its figure, every
// downtime in the month (cut to it) and, apart, its maintenance.
type MonthReport struct {
	SLA
	Service     assay.Service             `json:"service"`
	Downtimes   []Downtime                `json:"downtimes"`
	Maintenance []assay.MaintenanceWindow `json:"maintenance"`
	Unknowns    []Downtime                `json:"unknown"`
}

// Downtime is one downtime of a report, cut to the month.
type Downtime struct {
	Start      time.Time     `json:"start"`
	End        time.Time     `json:"end"`
	Ongoing    bool          `json:"ongoing"`
	Duration   time.Duration `json:"duration_ns"`
	IncidentID int64         `json:"incident_id,omitempty"`
	Error      string        `json:"error,omitempty"`
}

// Report is the month starting at start (in loc) for the service, at now.
func Report(ctx context.Context, org store.OrgStore, svc assay.Service, start time.Time, loc *time.Location, now time.Time) (MonthReport, error) {
	start = MonthStart(start, loc)
	end := start.AddDate(0, 1, 0)
	h, err := Load(ctx, org, svc, start, end)
	if err != nil {
		return MonthReport{}, err
	}
	r := MonthReport{SLA: h.SLA(start, loc, now), Service: svc, Downtimes: []Downtime{}, Maintenance: h.Maintenance, Unknowns: []Downtime{}}
	w := span{start, end}
	for _, p := range h.effective(now) {
		c, ok := clipSpan(span{p.StartedAt, p.End(now)}, w)
		if !ok {
			continue
		}
		d := Downtime{Start: c.from, End: c.to, Ongoing: p.EndedAt == nil, Duration: c.to.Sub(c.from), IncidentID: p.IncidentID, Error: p.Error}
		if p.State == assay.StateDown {
			r.Downtimes = append(r.Downtimes, d)
		} else {
			r.Unknowns = append(r.Unknowns, d)
		}
	}
	return r, nil
}
