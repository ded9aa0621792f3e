package app

import (
	"context"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/availability"
)

// Availability monitoring: everyone who reads the program reads services,
// uptime and SLA reports; admins (ActionManageMonitoring) add, change and
// remove services and plan maintenance.

func mayReadAvailability(p Principal) error {
	if !p.User.Can(assay.ActionRead, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not show availability.", p.User.Role)
	}
	return nil
}

func mayManageAvailability(p Principal) error {
	if !p.User.Can(assay.ActionManageMonitoring, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Only admins manage availability monitoring; your role is %s.", p.User.Role)
	}
	return nil
}

// ReportLocation is the time zone months and days of availability reports
// are counted in: the server's local zone (TZ).
func ReportLocation() *time.Location { return time.Local }

// ServiceSummary is a service with its headline figures.
type ServiceSummary struct {
	assay.Service
	Uptime24h float64            `json:"uptime_24h"` // percent; -1: not measured
	Uptime30d float64            `json:"uptime_30d"`
	SLA       availability.SLA   `json:"sla"`
	Days      []availability.Day `json:"days,omitempty"`
}

// Services lists the services with their uptime over 24 hours and 30
// days, this month's SLA and (days > 0) their last days' bars.
func (a *App) Services(ctx context.Context, p Principal, days int) ([]ServiceSummary, error) {
	if err := mayReadAvailability(p); err != nil {
		return nil, err
	}
	list, err := p.Org.Services(ctx)
	if err != nil {
		return nil, err
	}
	now, loc := a.clock.Now(), ReportLocation()
	out := make([]ServiceSummary, 0, len(list))
	for _, s := range list {
		from := now.Add(-31 * 24 * time.Hour)
		if d := now.AddDate(0, 0, -days-1); d.Before(from) {
			from = d
		}
		if ms := availability.MonthStart(now, loc); ms.Before(from) {
			from = ms
		}
		h, err := availability.Load(ctx, p.Org, s, from, now.Add(time.Second))
		if err != nil {
			return nil, err
		}
		out = append(out, ServiceSummary{Service: s,
			Uptime24h: h.Uptime(now.Add(-24*time.Hour), now, now).Percent,
			Uptime30d: h.Uptime(now.Add(-30*24*time.Hour), now, now).Percent,
			SLA:       h.SLA(availability.MonthStart(now, loc), loc, now),
			Days:      h.Days(now, days, loc)})
	}
	return out, nil
}

// ServiceDetail is everything a service's page shows.
type ServiceDetail struct {
	availability.Figures
	Latency     []assay.Rollup            `json:"latency"` // hourly, the last 7 days
	Downtimes   []assay.StatusPeriod      `json:"downtimes"`
	Maintenance []assay.MaintenanceWindow `json:"maintenance"` // the last 90 days and planned
	Recent      []assay.ProbeResult       `json:"recent"`
	// Minutes is the last hour's per-minute latency, every location merged.
	Minutes []assay.Rollup `json:"minutes"`
	// Locations is how each named probe location sees the service (empty
	// when no server names its location).
	Locations []LocationSummary `json:"locations"`
}

// Service is one service with its figures: uptime over 24 h to a year,
// 90 daily bars, this month's SLA, 7 days of hourly latency and the last
// hour's per minute, its last downtimes, its maintenance and how each
// probe location sees it.
func (a *App) Service(ctx context.Context, p Principal, id int64) (ServiceDetail, error) {
	if err := mayReadAvailability(p); err != nil {
		return ServiceDetail{}, err
	}
	s, err := p.Org.Service(ctx, id)
	if err != nil {
		return ServiceDetail{}, err
	}
	now := a.clock.Now()
	f, err := availability.ComputeFigures(ctx, p.Org, s, now, 90, ReportLocation())
	if err != nil {
		return ServiceDetail{}, err
	}
	d := ServiceDetail{Figures: f}
	if d.Latency, err = p.Org.Rollups(ctx, id, true, now.Add(-7*24*time.Hour).Truncate(time.Hour), now.Add(time.Hour)); err != nil {
		return d, err
	}
	periods, err := p.Org.StatusPeriods(ctx, id, now.Add(-90*24*time.Hour), now.Add(time.Second))
	if err != nil {
		return d, err
	}
	d.Downtimes = []assay.StatusPeriod{}
	for i := len(periods) - 1; i >= 0 && len(d.Downtimes) < 50; i-- {
		if periods[i].State == assay.StateDown {
			d.Downtimes = append(d.Downtimes, periods[i])
		}
	}
	if d.Maintenance, err = p.Org.MaintenanceWindows(ctx, id, now.Add(-90*24*time.Hour), now.AddDate(1, 0, 0)); err != nil {
		return d, err
	}
	if d.Recent, err = p.Org.ProbeResults(ctx, id, now.Add(-assay.RawRetention), now.Add(time.Second), 20); err != nil {
		return d, err
	}
	d.Locations, d.Minutes, err = serviceLocations(ctx, p, id, now)
	return d, err
}

// CreateService adds a service to probe.
func (a *App) CreateService(ctx context.Context, p Principal, s assay.Service) (assay.Service, error) {
	if err := mayManageAvailability(p); err != nil {
		return assay.Service{}, err
	}
	return p.Org.CreateService(ctx, p.Actor(), s)
}

// ServicePatch changes a service; nil fields stay.
type ServicePatch struct {
	Name           *string          `json:"name"`
	Target         *string          `json:"target"`
	ExpectStatus   *int             `json:"expect_status"`
	Keyword        *string          `json:"keyword"`
	LatencyMillis  *int             `json:"latency_ms"`
	IntervalSecs   *int             `json:"interval_seconds"`
	TimeoutSecs    *int             `json:"timeout_seconds"`
	Retries        *int             `json:"retries"`
	IncidentAfterS *int             `json:"incident_after_seconds"`
	SLATarget      *float64         `json:"sla_target"`
	Public         *bool            `json:"public"`
	Enabled        *bool            `json:"enabled"`
	Description    *string          `json:"description"`
	Kind           *assay.ProbeKind `json:"kind"`
}

// Apply sets the patch's fields on s.
func (c ServicePatch) Apply(s assay.Service) assay.Service {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	seti := func(dst *int, v *int) {
		if v != nil {
			*dst = *v
		}
	}
	set(&s.Name, c.Name)
	set(&s.Target, c.Target)
	set(&s.Keyword, c.Keyword)
	set(&s.Description, c.Description)
	seti(&s.ExpectStatus, c.ExpectStatus)
	seti(&s.LatencyMillis, c.LatencyMillis)
	seti(&s.IntervalSecs, c.IntervalSecs)
	seti(&s.TimeoutSecs, c.TimeoutSecs)
	seti(&s.Retries, c.Retries)
	seti(&s.IncidentAfterS, c.IncidentAfterS)
	if c.SLATarget != nil {
		s.SLATarget = *c.SLATarget
	}
	if c.Public != nil {
		s.Public = *c.Public
	}
	if c.Enabled != nil {
		s.Enabled = *c.Enabled
	}
	if c.Kind != nil {
		s.Kind = *c.Kind
	}
	return s
}

// UpdateService changes a service's settings.
func (a *App) UpdateService(ctx context.Context, p Principal, id int64, c ServicePatch) (assay.Service, error) {
	if err := mayManageAvailability(p); err != nil {
		return assay.Service{}, err
	}
	s, err := p.Org.Service(ctx, id)
	if err != nil {
		return s, err
	}
	return p.Org.UpdateService(ctx, p.Actor(), id, c.Apply(s))
}

// SaveService replaces a service's settings with s's (the edit form).
func (a *App) SaveService(ctx context.Context, p Principal, id int64, s assay.Service) (assay.Service, error) {
	if err := mayManageAvailability(p); err != nil {
		return assay.Service{}, err
	}
	return p.Org.UpdateService(ctx, p.Actor(), id, s)
}

// DeleteService removes a service never probed (a probed one is paused instead).
func (a *App) DeleteService(ctx context.Context, p Principal, id int64) error {
	if err := mayManageAvailability(p); err != nil {
		return err
	}
	return p.Org.DeleteService(ctx, p.Actor(), id)
}

// CreateMaintenance plans a maintenance window.
func (a *App) CreateMaintenance(ctx context.Context, p Principal, m assay.MaintenanceWindow) (assay.MaintenanceWindow, error) {
	if err := mayManageAvailability(p); err != nil {
		return m, err
	}
	return p.Org.CreateMaintenance(ctx, p.Actor(), m)
}

// DeleteMaintenance cancels a window of the service that has not started
// (a window of another service is not found).
func (a *App) DeleteMaintenance(ctx context.Context, p Principal, serviceID, id int64) error {
	if err := mayManageAvailability(p); err != nil {
		return err
	}
	now := a.clock.Now()
	windows, err := p.Org.MaintenanceWindows(ctx, serviceID, now.AddDate(-1, 0, 0), now.AddDate(20, 0, 0))
	if err != nil {
		return err
	}
	for _, w := range windows {
		if w.ID == id {
			return p.Org.DeleteMaintenance(ctx, p.Actor(), id)
		}
	}
	return assay.Errorf(assay.ENOTFOUND, "Maintenance window not found.")
}

// ParseMonth reads "2026-03" as the start of that month in loc; "" is
// the current month.
func ParseMonth(s string, now time.Time, loc *time.Location) (time.Time, error) {
	if s == "" {
		return availability.MonthStart(now, loc), nil
	}
	t, err := time.ParseInLocation("2006-01", s, loc)
	if err != nil {
		return time.Time{}, assay.Invalid("month", "Give the month as YYYY-MM, such as 2026-03.")
	}
	return t, nil
}

// SLAReport is a service's monthly SLA report (month "YYYY-MM"; "" this month).
func (a *App) SLAReport(ctx context.Context, p Principal, id int64, month string) (availability.MonthReport, error) {
	if err := mayReadAvailability(p); err != nil {
		return availability.MonthReport{}, err
	}
	now, loc := a.clock.Now(), ReportLocation()
	start, err := ParseMonth(month, now, loc)
	if err != nil {
		return availability.MonthReport{}, err
	}
	s, err := p.Org.Service(ctx, id)
	if err != nil {
		return availability.MonthReport{}, err
	}
	return availability.Report(ctx, p.Org, s, start, loc, now)
}

// SLAReportRows is the report as CSV rows (header first): a summary row,
// then one row per downtime, then one per maintenance window and per
// unknown stretch. Write them with tabular.WriteCSV, which guards the
// cells against formulas.
func SLAReportRows(r availability.MonthReport) [][]string {
	t := struct{ Rows [][]string }{Rows: [][]string{{"service", "month", "kind", "start", "end", "duration_seconds", "incident", "detail"}}}
	ts := func(v time.Time) string { return v.UTC().Format(time.RFC3339) }
	pct := "not measured"
	if r.Percent >= 0 {
		pct = fmt.Sprintf("uptime %.4f%% (target %.3f%%, met %t, budget %s, left %s, maintenance %s, unknown %s)", r.Percent, r.Target, r.Met,
			r.Budget.Round(time.Second), r.BudgetLeft.Round(time.Second), r.Uptime.Maintenance.Round(time.Second), r.Unknown.Round(time.Second))
	}
	t.Rows = append(t.Rows, []string{r.Service.Name, r.Month, "summary", ts(r.From), ts(r.To), fmt.Sprintf("%.0f", r.Down.Seconds()), "", pct})
	for _, d := range r.Downtimes {
		inc := ""
		if d.IncidentID != 0 {
			inc = fmt.Sprint(d.IncidentID)
		}
		detail := d.Error
		if d.Ongoing {
			detail = "ongoing; " + detail
		}
		t.Rows = append(t.Rows, []string{r.Service.Name, r.Month, "downtime", ts(d.Start), ts(d.End), fmt.Sprintf("%.0f", d.Duration.Seconds()), inc, detail})
	}
	for _, m := range r.Maintenance {
		t.Rows = append(t.Rows, []string{r.Service.Name, r.Month, "maintenance", ts(m.StartsAt), ts(m.EndsAt), fmt.Sprintf("%.0f", m.EndsAt.Sub(m.StartsAt).Seconds()), "", m.Reason})
	}
	for _, d := range r.Unknowns {
		t.Rows = append(t.Rows, []string{r.Service.Name, r.Month, "unknown", ts(d.Start), ts(d.End), fmt.Sprintf("%.0f", d.Duration.Seconds()), "", d.Error})
	}
	return t.Rows
}
