package server

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/store"
)

// gridDays is how many days the monitoring grid shows.
const gridDays = 30

// checkRow is one check as the monitoring page and the API show it: its
// definition, what it says now, and its last 30 days.
type checkRow struct {
	assay.Check
	Status  string     `json:"status"` // failing, error, passing or no_data
	Failing int        `json:"failing"`
	Passing int        `json:"passing"`
	Errors  int        `json:"errors"`
	Sources []int64    `json:"sources,omitempty"`
	Days    []gridCell `json:"days,omitempty"`
}

// gridCell is one day of a check's grid.
type gridCell struct {
	Day    time.Time `json:"day"`
	Result string    `json:"result"` // fail, error, pass or none
	Pass   int       `json:"pass"`
	Fail   int       `json:"fail"`
	Error  int       `json:"error"`
	Reason string    `json:"reason,omitempty"`
}

// Label is the cell's text for tooltips and screen readers.
func (c gridCell) Label() string {
	d := c.Day.Format("2 Jan 2006")
	switch c.Result {
	case "fail":
		s := d + ": failed (" + strconv.Itoa(c.Fail) + " failing result"
		if c.Fail != 1 {
			s += "s"
		}
		s += ")"
		if c.Reason != "" {
			s += ": " + c.Reason
		}
		return s
	case "error":
		s := d + ": error"
		if c.Reason != "" {
			s += ": " + c.Reason
		}
		return s
	case "pass":
		return d + ": passed"
	}
	return d + ": no data"
}

// DayParam is the cell's day as a query value.
func (c gridCell) DayParam() string { return c.Day.Format("2006-01-02") }

// checksOf returns the organisation's checks: the library and its custom
// checks (app.Checks).
func (s *Server) checksOf(ctx context.Context, org store.OrgStore) ([]assay.Check, error) {
	return s.app.Checks(ctx, org)
}

// checkFilter narrows the monitoring list.
type checkFilter struct {
	Source    int64  `json:"source,omitempty"`
	Control   string `json:"control,omitempty"`
	Criterion string `json:"criterion,omitempty"`
	Severity  string `json:"severity,omitempty"`
	Status    string `json:"status,omitempty"` // failing, error, passing, no_data
	Query     string `json:"q,omitempty"`
}

func checkFilterFrom(q url.Values) (checkFilter, error) {
	f := checkFilter{Control: strings.TrimSpace(q.Get("control")), Criterion: strings.TrimSpace(q.Get("criterion")),
		Severity: strings.TrimSpace(q.Get("severity")), Status: strings.TrimSpace(q.Get("status")), Query: strings.TrimSpace(q.Get("q"))}
	if v := strings.TrimSpace(q.Get("source")); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return f, assay.Invalid("source", "source must be a source id.")
		}
		f.Source = id
	}
	if f.Severity != "" && !assay.CheckSeverity(f.Severity).Valid() {
		return f, assay.Invalid("severity", "Unknown severity %q; use critical, high, medium or low.", f.Severity)
	}
	switch f.Status {
	case "", "failing", "error", "passing", "no_data":
	case "fail":
		f.Status = "failing"
	case "pass":
		f.Status = "passing"
	default:
		return f, assay.Invalid("status", "Unknown status %q; use failing, error, passing or no_data.", f.Status)
	}
	return f, nil
}

// checkRows builds the rows of every check that matches f, with grids when
// days is true. Rows come failing first, then by severity and id.
func (s *Server) checkRows(ctx context.Context, org store.OrgStore, f checkFilter, days bool) ([]checkRow, error) {
	checks, err := s.checksOf(ctx, org)
	if err != nil {
		return nil, err
	}
	current, err := org.CurrentResults(ctx, assay.ResultFilter{SourceID: f.Source})
	if err != nil {
		return nil, err
	}
	var controlsOfCriterion map[string]bool
	if f.Criterion != "" {
		ctls, err := org.Controls(ctx, assay.ControlFilter{Criterion: f.Criterion})
		if err != nil {
			return nil, err
		}
		controlsOfCriterion = map[string]bool{}
		for _, c := range ctls {
			controlsOfCriterion[c.ID] = true
		}
	}
	var grid map[string][]assay.CheckDay
	today := assay.Day(s.clock.Now())
	from := today.AddDate(0, 0, -(gridDays - 1))
	if days {
		if grid, err = org.CheckDays(ctx, from, today); err != nil {
			return nil, err
		}
	}
	byCheck := map[string]*checkRow{}
	rows := make([]checkRow, 0, len(checks))
	for _, c := range checks {
		if c.Controls == nil {
			c.Controls = []string{}
		}
		rows = append(rows, checkRow{Check: c})
	}
	for i := range rows {
		byCheck[rows[i].ID] = &rows[i]
	}
	for _, r := range current {
		row := byCheck[r.CheckID]
		if row == nil {
			continue
		}
		switch r.Status {
		case assay.CheckFail:
			row.Failing++
		case assay.CheckPass:
			row.Passing++
		case assay.CheckError:
			row.Errors++
		}
		if !slices.Contains(row.Sources, r.SourceID) {
			row.Sources = append(row.Sources, r.SourceID)
		}
	}
	out := rows[:0]
	for _, row := range rows {
		switch {
		case row.Failing > 0:
			row.Status = "failing"
		case row.Errors > 0:
			row.Status = "error"
		case row.Passing > 0:
			row.Status = "passing"
		default:
			row.Status = "no_data"
		}
		if !matchCheck(row, f, controlsOfCriterion) {
			continue
		}
		if days {
			row.Days = gridOf(grid[row.ID], from)
		}
		out = append(out, row)
	}
	rank := map[string]int{"failing": 0, "error": 1, "passing": 2, "no_data": 3}
	slices.SortStableFunc(out, func(a, b checkRow) int {
		if d := rank[a.Status] - rank[b.Status]; d != 0 {
			return d
		}
		if d := slices.Index(assay.CheckSeverities, a.Severity) - slices.Index(assay.CheckSeverities, b.Severity); d != 0 {
			return d
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

func matchCheck(row checkRow, f checkFilter, criterionControls map[string]bool) bool {
	if f.Source != 0 && !slices.Contains(row.Sources, f.Source) {
		return false
	}
	if f.Control != "" && !slices.Contains(row.Controls, f.Control) {
		return false
	}
	if criterionControls != nil && !slices.ContainsFunc(row.Controls, func(c string) bool { return criterionControls[c] }) {
		return false
	}
	if f.Severity != "" && string(row.Severity) != f.Severity {
		return false
	}
	if f.Status != "" && row.Status != f.Status {
		return false
	}
	if f.Query != "" {
		q := strings.ToLower(f.Query)
		if !strings.Contains(strings.ToLower(row.ID+" "+row.Title+" "+row.Kind), q) {
			return false
		}
	}
	return true
}

// gridOf spreads a check's days over the 30 cells from from.
func gridOf(days []assay.CheckDay, from time.Time) []gridCell {
	cells := make([]gridCell, gridDays)
	for i := range cells {
		cells[i] = gridCell{Day: from.AddDate(0, 0, i), Result: "none"}
	}
	for _, d := range days {
		i := int(assay.Day(d.Day).Sub(from).Hours() / 24)
		if i < 0 || i >= gridDays {
			continue
		}
		c := &cells[i]
		c.Pass, c.Fail, c.Error, c.Reason = d.Pass, d.Fail, d.Error, d.Reason
		switch {
		case d.Fail > 0:
			c.Result = "fail"
		case d.Error > 0:
			c.Result = "error"
		case d.Pass > 0:
			c.Result = "pass"
		}
	}
	return cells
}

// findCheck returns one of the organisation's checks.
func (s *Server) findCheck(ctx context.Context, org store.OrgStore, id string) (assay.Check, error) {
	checks, err := s.checksOf(ctx, org)
	if err != nil {
		return assay.Check{}, err
	}
	i := slices.IndexFunc(checks, func(c assay.Check) bool { return c.ID == id })
	if i < 0 {
		return assay.Check{}, assay.Errorf(assay.ENOTFOUND, "Check %q not found.", id)
	}
	return checks[i], nil
}

// compileCustomCheck normalises a custom check and compiles it against
// the organisation's controls; a bad expression is refused with its
// position.
func (s *Server) compileCustomCheck(ctx context.Context, p *principal, c assay.Check) (assay.Check, error) {
	c.ID, c.Kind = strings.TrimSpace(c.ID), strings.TrimSpace(c.Kind)
	if c.ID != "" && !strings.HasPrefix(c.ID, monitor.CustomPrefix) {
		c.ID = monitor.CustomPrefix + c.ID
	}
	ctls, err := p.Org.Controls(ctx, assay.ControlFilter{})
	if err != nil {
		return assay.Check{}, err
	}
	known := map[string]bool{}
	for _, ctl := range ctls {
		known[ctl.ID] = true
	}
	if err := monitor.ValidateCheck(c, func(id string) bool { return known[id] }); err != nil {
		return assay.Check{}, err
	}
	c.Custom = true
	return c, nil
}

// saveCustomCheck compiles and stores a new custom check; a bad expression
// is refused with its position and nothing is saved.
func (s *Server) saveCustomCheck(ctx context.Context, p *principal, c assay.Check) (assay.Check, error) {
	c, err := s.compileCustomCheck(ctx, p, c)
	if err != nil {
		return assay.Check{}, err
	}
	return p.Org.CreateCustomCheck(ctx, p.actor(), c)
}

// customCheckOf returns one of the organisation's custom checks: a library
// check is a conflict (it cannot be changed or deleted), anything else not
// found.
func (s *Server) customCheckOf(ctx context.Context, p *principal, id string) (assay.Check, error) {
	c, err := s.findCheck(ctx, p.Org, id)
	if err != nil {
		return assay.Check{}, err
	}
	if !c.Custom {
		return assay.Check{}, assay.Errorf(assay.ECONFLICT, "Check %s is part of the check library and cannot be changed or deleted; write a custom check instead.", id)
	}
	return c, nil
}

// updateCustomCheck compiles and stores a custom check's new definition
// (its id stays); a bad expression changes nothing.
func (s *Server) updateCustomCheck(ctx context.Context, p *principal, id string, c assay.Check) (assay.Check, error) {
	if _, err := s.customCheckOf(ctx, p, id); err != nil {
		return assay.Check{}, err
	}
	c.ID = id
	c, err := s.compileCustomCheck(ctx, p, c)
	if err != nil {
		return assay.Check{}, err
	}
	return p.Org.UpdateCustomCheck(ctx, p.actor(), id, c)
}

// deleteCustomCheck removes a custom check: its history stays, its current
// results end and its open findings close (see the store).
func (s *Server) deleteCustomCheck(ctx context.Context, p *principal, id string) error {
	if _, err := s.customCheckOf(ctx, p, id); err != nil {
		return err
	}
	return p.Org.DeleteCustomCheck(ctx, p.actor(), id)
}

// failingChecks counts the checks failing on some resource now, for the
// dashboard; 0 (no notice) when it cannot be read.
func (s *Server) failingChecks(ctx context.Context, p *principal) int {
	m, err := p.Org.FailingByCheck(ctx)
	if err != nil {
		s.log.Warn("failing checks for the dashboard", "err", err)
		return 0
	}
	return len(m)
}
