package app

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
	"github.com/assay-platform/assay/store"
)

// CheckGridDays is how many days the monitoring grid shows.
const CheckGridDays = 30

// CheckRow is one check as the monitoring page and the API show it: its
// definition, what it says now, and its last 30 days.
type CheckRow struct {
	assay.Check
	Status  string     `json:"status"` // failing, error, passing or no_data
	Failing int        `json:"failing"`
	Passing int        `json:"passing"`
	Errors  int        `json:"errors"`
	Sources []int64    `json:"sources,omitempty"`
	Days    []GridCell `json:"days,omitempty"`
}

// GridCell is one day of a check's grid.
type GridCell struct {
	Day    time.Time `json:"day"`
	Result string    `json:"result"` // fail, error, pass or none
	Pass   int       `json:"pass"`
	Fail   int       `json:"fail"`
	Error  int       `json:"error"`
	Reason string    `json:"reason,omitempty"`
}

// Label is the cell's text for tooltips and screen readers.
func (c GridCell) Label() string {
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

// ShortLabel is Label without the reason, for the monitoring grid's
// cells (the check's page on that day gives the reason).
func (c GridCell) ShortLabel() string {
	c.Reason = ""
	return c.Label()
}

// DayParam is the cell's day as a query value.
func (c GridCell) DayParam() string { return c.Day.Format("2006-01-02") }

// CheckFilter narrows the monitoring list.
type CheckFilter struct {
	Source    int64  `json:"source,omitempty"`
	Control   string `json:"control,omitempty"`
	Criterion string `json:"criterion,omitempty"`
	Severity  string `json:"severity,omitempty"`
	Status    string `json:"status,omitempty"` // failing, error, passing, no_data
	Query     string `json:"q,omitempty"`
}

// CheckRows builds the rows of every check that matches f, with grids when
// days is true. Rows come failing first, then by severity and id.
func (a *App) CheckRows(ctx context.Context, org store.OrgStore, f CheckFilter, days bool) ([]CheckRow, error) {
	checks, err := a.Checks(ctx, org)
	if err != nil {
		return nil, err
	}
	totals, err := org.CheckTotals(ctx) // the runs' totals: no resource is read
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
	today := assay.Day(a.clock.Now())
	from := today.AddDate(0, 0, -(CheckGridDays - 1))
	if days {
		// The grid's days change only with a run (a change) or the day:
		// read once per snapshot (rules.Derived) and only read after.
		grid, err = rules.Derived(org, "check-days "+from.Format(time.DateOnly), func() (map[string][]assay.CheckDay, error) {
			return org.CheckDays(ctx, from, today)
		})
		if err != nil {
			return nil, err
		}
	}
	byCheck := map[string]*CheckRow{}
	rows := make([]CheckRow, 0, len(checks))
	for _, c := range checks {
		if c.Controls == nil {
			c.Controls = []string{}
		}
		rows = append(rows, CheckRow{Check: c})
	}
	for i := range rows {
		byCheck[rows[i].ID] = &rows[i]
	}
	for _, t := range totals {
		row := byCheck[t.CheckID]
		if row == nil || (f.Source != 0 && t.SourceID != f.Source) {
			continue
		}
		row.Failing += t.Fail
		row.Passing += t.Pass
		row.Errors += t.Error
		if !slices.Contains(row.Sources, t.SourceID) {
			row.Sources = append(row.Sources, t.SourceID)
		}
	}
	// An error that covers a whole source (its collector failed) is no
	// resource's, so the runs' per-check totals do not count it: those
	// results are read as they are, few as they are.
	sourceErrors, err := org.CurrentResults(ctx, assay.ResultFilter{SourceID: f.Source, Status: assay.CheckError, NoReasons: true, SourceLevel: true})
	if err != nil {
		return nil, err
	}
	for _, r := range sourceErrors {
		row := byCheck[r.CheckID]
		if row == nil || r.ResourceID != "" {
			continue
		}
		row.Errors++
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
	slices.SortStableFunc(out, func(a, b CheckRow) int {
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

func matchCheck(row CheckRow, f CheckFilter, criterionControls map[string]bool) bool {
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
func gridOf(days []assay.CheckDay, from time.Time) []GridCell {
	cells := make([]GridCell, CheckGridDays)
	for i := range cells {
		cells[i] = GridCell{Day: from.AddDate(0, 0, i), Result: "none"}
	}
	for _, d := range days {
		i := int(assay.Day(d.Day).Sub(from).Hours() / 24)
		if i < 0 || i >= CheckGridDays {
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

// FindCheck returns one of the organisation's checks.
func (a *App) FindCheck(ctx context.Context, org store.OrgStore, id string) (assay.Check, error) {
	checks, err := a.Checks(ctx, org)
	if err != nil {
		return assay.Check{}, err
	}
	i := slices.IndexFunc(checks, func(c assay.Check) bool { return c.ID == id })
	if i < 0 {
		return assay.Check{}, assay.Errorf(assay.ENOTFOUND, "Check %q not found.", id)
	}
	return checks[i], nil
}

// CheckDetail is a check with its current results and 30-day history.
type CheckDetail struct {
	Row     CheckRow
	Results []assay.CurrentResult
	History []assay.Transition
}

func (a *App) CheckDetail(ctx context.Context, p Principal, id string) (CheckDetail, error) {
	var d CheckDetail
	c, err := a.FindCheck(ctx, p.Org, id)
	if err != nil {
		return d, err
	}
	rows, err := a.CheckRows(ctx, p.Org, CheckFilter{}, true)
	if err != nil {
		return d, err
	}
	for _, row := range rows {
		if row.ID == c.ID {
			d.Row = row
		}
	}
	if d.Results, err = p.Org.CurrentResults(ctx, assay.ResultFilter{CheckID: c.ID}); err != nil {
		return d, err
	}
	now := a.clock.Now()
	if d.History, err = p.Org.CheckHistory(ctx, c.ID, 0, "", assay.Day(now).AddDate(0, 0, -(CheckGridDays-1)), now); err != nil {
		return d, err
	}
	return d, nil
}
