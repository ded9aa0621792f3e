package web

import (
	"cmp"
	"net/http"
	"slices"
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
	Total      int // checks that match, of which Rows is one page
	Pager      pager
	// All shows the checks without data too; otherwise, when some check
	// has data from a configured source, those are listed and the rest
	// are counted in Hidden behind the "Every check" filter.
	All    bool
	Hidden int
}

// GET /monitoring: every check with its 30-day grid, filtered like the
// controls page (htmx swaps the results while filters change).
func (s *Server) monitoringPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	// htmx asks for the results alone while filters change; a history restore needs the whole page.
	return s.renderKept(w, r, p, "monitoring", "results", func() (pageData, error) { return s.monitoringView(r, p) })
}

func (s *Server) monitoringView(r *http.Request, p *httpkit.Principal) (pageData, error) {
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
		return pageData{}, err
	}
	counts := map[string]int{}
	for _, row := range rows {
		counts[row.Status]++
	}
	// The checks that apply to the configured sources (they have results)
	// come first; those without data wait behind a filter unless asked for.
	all := r.URL.Query().Get("show") == "all" || f.Status == "no_data"
	hidden := 0
	slices.SortStableFunc(rows, func(a, b app.CheckRow) int {
		return cmp.Compare(boolInt(a.Status == "no_data"), boolInt(b.Status == "no_data"))
	})
	if !all && counts["no_data"] < len(rows) {
		hidden = counts["no_data"]
		rows = rows[:len(rows)-hidden]
	}
	var days []time.Time
	if len(rows) > 0 {
		for _, c := range rows[0].Days {
			days = append(days, c.Day)
		}
	}
	shown, pg := pageOf(r, rows, monitoringRows)
	return pageData{Title: "Monitoring", Nav: "monitoring", Error: errMsg, Flash: monitoringFlash[r.URL.Query().Get("flash")], Data: monitoringData{
		Rows:       shown,
		Total:      len(rows),
		Pager:      pg,
		Filter:     f,
		Sources:    sources,
		Controls:   controls,
		Criteria:   s.criteria,
		Severities: assay.CheckSeverities,
		Statuses:   []string{"failing", "error", "passing", "no_data"},
		Counts:     counts,
		Days:       days,
		CanManage:  p.User.Can(assay.ActionManageMonitoring, nil),
		All:        all,
		Hidden:     hidden,
	}}, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
