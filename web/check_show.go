package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

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
