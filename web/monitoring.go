package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// monitoringData is what the monitoring page shows.
type monitoringData struct {
	Rows       []app.CheckRow
	Filter     app.CheckFilter
	Sources    []assay.Source
	Controls   []assay.Control
	Criteria   []assay.Criterion
	Severities []assay.CheckSeverity
	Statuses   []string
	Counts     map[string]int // rows by status
	Days       []time.Time    // the grid's columns
	CanManage  bool
}

// GET /monitoring: every check with its 30-day grid, filtered like the
// controls page (htmx swaps the results while filters change).
func (s *Server) monitoringPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	ctx := r.Context()
	f, err := input.CheckFilterFrom(r.URL.Query())
	errMsg := ""
	if assay.ErrorCode(err) == assay.EINVALID {
		errMsg, err, f = assay.ErrorMessage(err), nil, app.CheckFilter{}
	}
	var rows []app.CheckRow
	if err == nil {
		rows, err = s.app.CheckRows(ctx, p.Org, f, true)
	}
	var sources []assay.Source
	if err == nil {
		sources, err = p.Org.Sources(ctx)
	}
	var controls []assay.Control
	if err == nil {
		controls, err = p.Org.Controls(ctx, assay.ControlFilter{})
	}
	if err != nil {
		return err
	}
	counts := map[string]int{}
	for _, row := range rows {
		counts[row.Status]++
	}
	var days []time.Time
	if len(rows) > 0 {
		for _, c := range rows[0].Days {
			days = append(days, c.Day)
		}
	}
	data := pageData{Title: "Monitoring", Nav: "monitoring", Error: errMsg, Flash: monitoringFlash[r.URL.Query().Get("flash")], Data: monitoringData{
		Rows:       rows,
		Filter:     f,
		Sources:    sources,
		Controls:   controls,
		Criteria:   s.criteria,
		Severities: assay.CheckSeverities,
		Statuses:   []string{"failing", "error", "passing", "no_data"},
		Counts:     counts,
		Days:       days,
		CanManage:  p.User.Can(assay.ActionManageMonitoring, nil),
	}}
	w.Header().Set("Vary", "HX-Request")
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true" {
		s.renderBlock(w, r, http.StatusOK, "monitoring", "results", data)
		return nil
	}
	s.render(w, r, http.StatusOK, "monitoring", data)
	return nil
}

// resourceHistory is one resource's transitions on a check page.
type resourceHistory struct {
	SourceID     int64
	ResourceID   string
	ResourceName string
	Transitions  []assay.Transition
}

// monitoringCheckData is what a check's page shows.
type monitoringCheckData struct {
	Row         app.CheckRow
	Failing     []assay.CurrentResult
	Passing     []assay.CurrentResult
	History     []*resourceHistory
	Controls    []assay.Control
	Day         *app.GridCell // the day asked for, if any
	SourceNames map[int64]string
	CanEdit     bool
}

// GET /monitoring/checks/{id}?day=YYYY-MM-DD: the definition, the failing
// resources now, the history per resource; with day, that day's cell.
func (s *Server) checkPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showCheckPage(w, r, p, http.StatusOK, "")
}

func (s *Server) showCheckPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string) error {
	ctx := r.Context()
	d, err := s.app.CheckDetail(r.Context(), p.App(), r.PathValue("id"))
	if err != nil {
		return err
	}
	var day *app.GridCell
	if t, err := input.ParseDay(r.URL.Query().Get("day")); err == nil && !t.IsZero() {
		for i := range d.Row.Days {
			if d.Row.Days[i].Day.Equal(t) {
				day = &d.Row.Days[i]
			}
		}
	}
	var failing, others []assay.CurrentResult
	for _, res := range d.Results {
		if res.Status == assay.CheckPass {
			others = append(others, res)
		} else {
			failing = append(failing, res)
		}
	}
	byResource := map[string]*resourceHistory{}
	var history []*resourceHistory
	for _, t := range d.History {
		key := strconv.FormatInt(t.SourceID, 10) + "\x00" + t.ResourceID
		h := byResource[key]
		if h == nil {
			h = &resourceHistory{SourceID: t.SourceID, ResourceID: t.ResourceID, ResourceName: t.ResourceName}
			byResource[key] = h
			history = append(history, h)
		}
		h.Transitions = append(h.Transitions, t)
	}
	for _, h := range history {
		slices.Reverse(h.Transitions) // newest first
	}
	sources, err := p.Org.Sources(ctx)
	if err != nil {
		return err
	}
	sourceNames := map[int64]string{}
	for _, src := range sources {
		sourceNames[src.ID] = src.Name
	}
	var controls []assay.Control
	for _, id := range d.Row.Controls {
		if c, err := p.Org.Control(ctx, id); err == nil {
			controls = append(controls, c)
		}
	}
	flash := monitoringFlash[r.URL.Query().Get("flash")]
	s.render(w, r, status, "monitoring_check", pageData{Title: d.Row.Title, Nav: "monitoring", Error: errMsg, Flash: flash, Data: monitoringCheckData{
		Row:         d.Row,
		Failing:     failing,
		Passing:     others,
		History:     history,
		Controls:    controls,
		Day:         day,
		SourceNames: sourceNames,
		CanEdit:     d.Row.Custom && p.User.Can(assay.ActionManageMonitoring, nil),
	}})
	return nil
}

// GET /monitoring/checks/new
func (s *Server) newCheckPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showCheckForm(w, r, p, http.StatusOK, "", assay.Check{Severity: assay.SeverityMedium}, false)
}

// monitoringCheckNewData is what the new and edit check forms show.
type monitoringCheckNewData struct {
	Editing     bool
	Form        assay.Check
	ControlsCSV string
	Controls    []assay.Control
	Severities  []assay.CheckSeverity
	Field       string
}

// showCheckForm renders the new check form, or with editing the edit form
// of the custom check form.ID.
func (s *Server) showCheckForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form assay.Check, editing bool) error {
	field := ""
	if errMsg != "" {
		field = "form"
	}
	controls, err := p.Org.Controls(r.Context(), assay.ControlFilter{})
	if err != nil {
		return err
	}
	title := "New custom check"
	if editing {
		title = "Edit " + form.ID
	}
	s.render(w, r, status, "monitoring_check_new", pageData{Title: title, Nav: "monitoring", Error: errMsg, Data: monitoringCheckNewData{
		Editing:     editing,
		Form:        form,
		ControlsCSV: strings.Join(form.Controls, ", "),
		Controls:    controls,
		Severities:  assay.CheckSeverities,
		Field:       field,
	}})
	return nil
}

// POST /monitoring/checks: a bad expression re-shows the form with the
// message (line and column) and saves nothing.
func (s *Server) createCheckForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	c := checkFromForm(r)
	saved, err := s.app.CreateCustomCheck(r.Context(), p.App(), c)
	if err != nil {
		return reshow(err, func(status int, _ string) error {
			return s.showCheckForm(w, r, p, status, formError(err), c, false)
		})
	}
	http.Redirect(w, r, "/monitoring/checks/"+saved.ID+"?flash=saved", http.StatusSeeOther)
	return nil
}

// errField is the field an *assay.Error names, if any.
func errField(err error) string {
	var e *assay.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
