package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/availability"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
	"github.com/assay-platform/assay/tabular"
)

// availabilityRoutes registers the availability pages: everyone who reads
// the program reads services, uptime and SLA reports; admins
// (ActionManageMonitoring) add, change and remove services and plan
// maintenance.
func (s *Server) availabilityRoutes() {
	s.page("GET /availability", assay.ActionRead, s.servicesPage)
	s.page("POST /availability", assay.ActionManageMonitoring, s.createServiceForm)
	s.page("GET /availability/{id}", assay.ActionRead, s.servicePage)
	s.page("POST /availability/{id}", assay.ActionManageMonitoring, s.updateServiceForm)
	s.page("POST /availability/{id}/delete", assay.ActionManageMonitoring, s.deleteServiceForm)
	s.page("GET /availability/{id}/sla", assay.ActionRead, s.slaPage)
	s.page("GET /availability/{id}/sla.csv", assay.ActionRead, s.slaCSV)
	s.page("POST /availability/{id}/maintenance", assay.ActionManageMonitoring, s.createMaintenanceForm)
	s.page("POST /availability/{id}/maintenance/{window}/delete", assay.ActionManageMonitoring, s.deleteMaintenanceForm)
}

// availabilityData is what the services page shows.
type availabilityData struct {
	Services  []app.ServiceSummary
	Kinds     []assay.ProbeKind
	Form      map[string]string
	CanManage bool
}

// GET /availability
func (s *Server) servicesPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showServices(w, r, p, http.StatusOK, "", nil)
}

func (s *Server) showServices(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form map[string]string) error {
	list, err := s.app.Services(r.Context(), p.App(), 30)
	if err != nil {
		return err
	}
	if form == nil {
		form = map[string]string{"kind": "http", "interval": "60", "timeout": "10", "retries": "2", "incident_after": "300", "sla": "99.9"}
	}
	s.render(w, r, status, "availability", pageData{Title: "Availability", Nav: "availability", Error: errMsg, Data: availabilityData{
		Services: list, Kinds: assay.ProbeKinds, Form: form, CanManage: p.User.Can(assay.ActionManageMonitoring, nil)}})
	return nil
}

// serviceFromForm reads the add and edit form.
func serviceFromForm(r *http.Request, s assay.Service) (assay.Service, error) {
	f := r.PostForm
	num := func(name, field string, dst *int) error {
		v := strings.TrimSpace(f.Get(name))
		if v == "" {
			*dst = 0
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return assay.Invalid(field, "%s must be a whole number.", name)
		}
		*dst = n
		return nil
	}
	if k := f.Get("kind"); k != "" {
		s.Kind = assay.ProbeKind(k)
	}
	s.Name, s.Target, s.Keyword, s.Description = f.Get("name"), f.Get("target"), f.Get("keyword"), f.Get("description")
	for _, n := range []struct {
		name, field string
		dst         *int
	}{{"interval", "interval_seconds", &s.IntervalSecs}, {"timeout", "timeout_seconds", &s.TimeoutSecs}, {"retries", "retries", &s.Retries},
		{"incident_after", "incident_after_seconds", &s.IncidentAfterS}, {"expect_status", "expect_status", &s.ExpectStatus}, {"latency", "latency_ms", &s.LatencyMillis}} {
		if err := num(n.name, n.field, n.dst); err != nil {
			return s, err
		}
	}
	s.SLATarget = 0
	if v := strings.TrimSpace(f.Get("sla")); v != "" {
		t, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return s, assay.Invalid("sla_target", "The SLA target is a percentage, such as 99.95.")
		}
		s.SLATarget = t
	}
	s.Public, s.Enabled = f.Get("public") != "", f.Get("enabled") != ""
	return s, nil
}

func formOf(r *http.Request) map[string]string {
	out := map[string]string{}
	for k, v := range r.PostForm {
		if len(v) > 0 && k != "csrf" {
			out[k] = v[0]
		}
	}
	return out
}

// POST /availability
func (s *Server) createServiceForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	svc, err := serviceFromForm(r, assay.Service{})
	if err == nil {
		svc, err = s.app.CreateService(r.Context(), p.App(), svc)
	}
	if err != nil {
		return reshow(err, func(status int, msg string) error { return s.showServices(w, r, p, status, msg, formOf(r)) })
	}
	http.Redirect(w, r, fmt.Sprintf("/availability/%d?flash=saved", svc.ID), http.StatusSeeOther)
	return nil
}

// serviceData is what a service's page shows.
type serviceData struct {
	app.ServiceDetail
	Bars  template.HTML
	Chart template.HTML
	// MinuteChart is the last hour, per minute.
	MinuteChart template.HTML
	Upcoming    []assay.MaintenanceWindow
	Past        []assay.MaintenanceWindow
	CanManage   bool
	Now         time.Time
}

// GET /availability/{id}
func (s *Server) servicePage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showService(w, r, p, http.StatusOK, "")
}

func (s *Server) showService(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string) error {
	id, err := input.PathID(r, "Service")
	if err != nil {
		return err
	}
	d, err := s.app.Service(r.Context(), p.App(), id)
	if err != nil {
		return err
	}
	now := s.app.Now()
	data := serviceData{ServiceDetail: d, Bars: dailyBarsSVG(d.Days), Chart: latencySVG(d.Latency, now), MinuteChart: minuteLatencySVG(d.Minutes, now), CanManage: p.User.Can(assay.ActionManageMonitoring, nil), Now: now}
	for _, m := range d.Maintenance {
		if m.EndsAt.After(now) {
			data.Upcoming = append(data.Upcoming, m)
		} else {
			data.Past = append(data.Past, m)
		}
	}
	flash := ""
	if r.URL.Query().Get("flash") == "saved" {
		flash = "Saved."
	}
	s.render(w, r, status, "availability_service", pageData{Title: d.Service.Name, Nav: "availability", Error: errMsg, Flash: flash, Data: data})
	return nil
}

// POST /availability/{id}
func (s *Server) updateServiceForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Service")
	if err != nil {
		return err
	}
	before, err := s.app.Service(r.Context(), p.App(), id)
	if err != nil {
		return err
	}
	svc, err := serviceFromForm(r, before.Service)
	if err == nil {
		_, err = s.app.SaveService(r.Context(), p.App(), id, svc)
	}
	if err != nil {
		return reshow(err, func(status int, msg string) error { return s.showService(w, r, p, status, msg) })
	}
	http.Redirect(w, r, fmt.Sprintf("/availability/%d?flash=saved", id), http.StatusSeeOther)
	return nil
}

// POST /availability/{id}/delete
func (s *Server) deleteServiceForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Service")
	if err != nil {
		return err
	}
	if err := s.app.DeleteService(r.Context(), p.App(), id); err != nil {
		return reshow(err, func(status int, msg string) error { return s.showService(w, r, p, status, msg) })
	}
	http.Redirect(w, r, "/availability", http.StatusSeeOther)
	return nil
}

// POST /availability/{id}/maintenance
func (s *Server) createMaintenanceForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Service")
	if err != nil {
		return err
	}
	loc := app.ReportLocation()
	parse := func(field string) (time.Time, error) {
		t, err := time.ParseInLocation("2006-01-02T15:04", r.PostForm.Get(field), loc)
		if err != nil {
			return t, assay.Invalid(field, "Give the %s as a date and time.", strings.ReplaceAll(field, "_", " "))
		}
		return t, nil
	}
	var m assay.MaintenanceWindow
	m.ServiceID, m.Reason = id, r.PostForm.Get("reason")
	m.StartsAt, err = parse("starts_at")
	if err == nil {
		m.EndsAt, err = parse("ends_at")
	}
	if err == nil {
		_, err = s.app.CreateMaintenance(r.Context(), p.App(), m)
	}
	if err != nil {
		return reshow(err, func(status int, msg string) error { return s.showService(w, r, p, status, msg) })
	}
	http.Redirect(w, r, fmt.Sprintf("/availability/%d?flash=saved", id), http.StatusSeeOther)
	return nil
}

// POST /availability/{id}/maintenance/{window}/delete
func (s *Server) deleteMaintenanceForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Service")
	if err != nil {
		return err
	}
	wid, err := input.PathIDOf(r, "window", "Maintenance window")
	if err != nil {
		return err
	}
	if err := s.app.DeleteMaintenance(r.Context(), p.App(), id, wid); err != nil {
		return reshow(err, func(status int, msg string) error { return s.showService(w, r, p, status, msg) })
	}
	http.Redirect(w, r, fmt.Sprintf("/availability/%d?flash=saved", id), http.StatusSeeOther)
	return nil
}

// slaData is what the monthly SLA report page shows.
type slaData struct {
	availability.MonthReport
	Prev, Next string
	Zone       string
}

// GET /availability/{id}/sla?month=YYYY-MM
func (s *Server) slaPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Service")
	if err != nil {
		return err
	}
	rep, err := s.app.SLAReport(r.Context(), p.App(), id, r.URL.Query().Get("month"))
	if err != nil {
		return err
	}
	start := rep.From.In(app.ReportLocation())
	s.render(w, r, http.StatusOK, "availability_sla", pageData{Title: "SLA " + rep.Month + ": " + rep.Service.Name, Nav: "availability", Data: slaData{
		MonthReport: rep, Prev: start.AddDate(0, -1, 0).Format("2006-01"), Next: start.AddDate(0, 1, 0).Format("2006-01"), Zone: app.ReportLocation().String()}})
	return nil
}

// GET /availability/{id}/sla.csv?month=YYYY-MM
func (s *Server) slaCSV(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Service")
	if err != nil {
		return err
	}
	rep, err := s.app.SLAReport(r.Context(), p.App(), id, r.URL.Query().Get("month"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="sla-%d-%s.csv"`, id, rep.Month))
	_ = tabular.WriteCSV(w, app.SLAReportRows(rep))
	return nil
}

// barClass is the colour of a day's bar.
func barClass(pct float64) string {
	switch {
	case pct < 0:
		return "#d0d4da"
	case pct >= 99.9:
		return "#2f9e44"
	case pct >= 99:
		return "#f2b705"
	}
	return "#d9480f"
}

// dailyBarsSVG draws a bar per day, coloured by its uptime, with the
// figure as each bar's tooltip.
func dailyBarsSVG(days []availability.Day) template.HTML {
	if len(days) == 0 {
		return ""
	}
	const bw, gap, h = 6, 2, 34
	width := len(days) * (bw + gap)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="uptime-bars" role="img" aria-label="Uptime per day, last %d days" viewBox="0 0 %d %d" width="100%%" height="%d" preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg">`,
		len(days), width, h, h)
	for i, d := range days {
		label := "no data"
		if d.Percent >= 0 {
			label = fmt.Sprintf("%.3f%% up", d.Percent)
			if d.Down > 0 {
				label += fmt.Sprintf(", down %s", d.Down.Round(time.Second))
			}
		}
		if d.Uptime.Maintenance > 0 {
			label += fmt.Sprintf(", maintenance %s", d.Uptime.Maintenance.Round(time.Second))
		}
		fmt.Fprintf(&b, `<rect x="%d" y="0" width="%d" height="%d" rx="1" fill="%s"><title>%s: %s</title></rect>`,
			i*(bw+gap), bw, h, barClass(d.Percent), template.HTMLEscapeString(d.Date), template.HTMLEscapeString(label))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// latencySVG draws the hourly p50 and p95 latency of the last 7 days.
func latencySVG(hours []assay.Rollup, now time.Time) template.HTML {
	from := now.Add(-7 * 24 * time.Hour).Truncate(time.Hour)
	return latencyChart(hours, latencyAxis{from: from, to: now, bucket: time.Hour, tick: 24 * time.Hour, tickFormat: "Jan 2",
		label: "Hourly latency, p50 and p95, last 7 days", empty: "No latency measured in the last 7 days."})
}

// minuteLatencySVG draws the per-minute p50 and p95 latency of the last hour.
func minuteLatencySVG(minutes []assay.Rollup, now time.Time) template.HTML {
	from := now.Add(-time.Hour).Truncate(time.Minute)
	return latencyChart(minutes, latencyAxis{from: from, to: now, bucket: time.Minute, tick: 15 * time.Minute, tickFormat: "15:04",
		label: "Per-minute latency, p50 and p95, last hour", empty: "No latency measured in the last hour."})
}

// latencyAxis is a latency chart's time axis.
type latencyAxis struct {
	from, to     time.Time
	bucket, tick time.Duration // a roll-up's span; between labels
	tickFormat   string
	label, empty string
}

// latencyChart draws the p50 and p95 of roll-ups over the axis.
func latencyChart(rolls []assay.Rollup, ax latencyAxis) template.HTML {
	const w, h, padL, padB = 700, 160, 44, 18
	span := ax.to.Sub(ax.from).Seconds()
	maxMS := 0
	for _, r := range rolls {
		if r.P95 > maxMS {
			maxMS = r.P95
		}
	}
	if len(rolls) == 0 || maxMS == 0 || span <= 0 {
		return template.HTML(`<p class="muted">` + template.HTMLEscapeString(ax.empty) + `</p>`)
	}
	maxMS = niceCeil(maxMS)
	x := func(t time.Time) float64 { return padL + (w-padL-4)*t.Sub(ax.from).Seconds()/span }
	y := func(ms int) float64 { return 4 + (h-padB-4)*(1-float64(ms)/float64(maxMS)) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="latency-chart" role="img" aria-label="%s" viewBox="0 0 %d %d" width="100%%" xmlns="http://www.w3.org/2000/svg" font-size="10" font-family="sans-serif">`,
		template.HTMLEscapeString(ax.label), w, h)
	for _, frac := range []float64{0, 0.5, 1} {
		ms := int(float64(maxMS) * frac)
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#e3e6ea"/><text x="%d" y="%.1f" text-anchor="end" fill="#6b7280">%d ms</text>`,
			padL, w-4, y(ms), y(ms), padL-4, y(ms)+3, ms)
	}
	for t := ax.from; !t.After(ax.to); t = t.Add(ax.tick) {
		anchor := "middle"
		if t.Add(ax.tick).After(ax.to) {
			anchor = "end"
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="%s" fill="#6b7280">%s</text>`, x(t), h-4, anchor, t.In(app.ReportLocation()).Format(ax.tickFormat))
	}
	line := func(get func(assay.Rollup) int, colour, name string) {
		var pts []string
		for _, r := range rolls {
			if r.Up+r.Down == 0 {
				continue
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(r.Start.Add(ax.bucket/2)), y(get(r))))
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="1.5" points="%s"><title>%s</title></polyline>`, colour, strings.Join(pts, " "), name)
	}
	line(func(r assay.Rollup) int { return r.P95 }, "#f59f00", "p95")
	line(func(r assay.Rollup) int { return r.P50 }, "#1c7ed6", "p50")
	fmt.Fprintf(&b, `<text x="%d" y="12" fill="#1c7ed6">p50</text><text x="%d" y="12" fill="#f59f00">p95</text>`, padL+6, padL+36)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// niceCeil rounds a latency up to 1, 2 or 5 times a power of ten.
func niceCeil(v int) int {
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if m*p >= v {
				return m * p
			}
		}
	}
}

// serviceFormOf is the edit form's values for a service.
func serviceFormOf(s assay.Service) map[string]string {
	f := map[string]string{"name": s.Name, "kind": string(s.Kind), "target": s.Target, "keyword": s.Keyword, "description": s.Description,
		"interval": strconv.Itoa(s.IntervalSecs), "timeout": strconv.Itoa(s.TimeoutSecs), "retries": strconv.Itoa(s.Retries),
		"incident_after": strconv.Itoa(s.IncidentAfterS), "sla": strconv.FormatFloat(s.SLATarget, 'f', -1, 64)}
	if s.ExpectStatus != 0 {
		f["expect_status"] = strconv.Itoa(s.ExpectStatus)
	}
	if s.LatencyMillis != 0 {
		f["latency"] = strconv.Itoa(s.LatencyMillis)
	}
	if s.Enabled {
		f["enabled"] = "1"
	}
	if s.Public {
		f["public"] = "1"
	}
	return f
}
