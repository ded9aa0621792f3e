package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// controlsData is the controls page's data.
type controlsData struct {
	Controls   []assay.Control
	Filter     assay.ControlFilter
	Owner      string // the owner filter as typed: "me", "none" or a user id
	Users      []assay.User
	Criteria   []assay.Criterion
	Categories []string
	Statuses   []assay.ControlStatus
	CanManage  bool
	Pager      pager // Controls is one page of those that match
	// All lists out-of-scope controls too (category "all"); otherwise the
	// list without a category holds the in-scope controls only.
	All bool
	// States are the controls' checks and evidence; nil when not shown
	// (an invited auditor sees the engagement, not today's state).
	States map[string]app.ControlState
}

func (s *Server) controlsPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	// htmx asks for the list alone while typing; a history restore needs the whole page.
	return s.renderKept(w, r, p, "controls", "results", func() (pageData, error) { return s.controlsView(r, p) })
}

func (s *Server) controlsView(r *http.Request, p *httpkit.Principal) (pageData, error) {
	ctx := r.Context()
	q := r.URL.Query()
	all := q.Get("category") == "all"
	if all {
		q.Del("category")
	}
	f, err := input.ControlFilter(q, p.User.ID)
	var controls []assay.Control
	if err == nil {
		controls, err = s.app.Controls(ctx, p.App(), f)
	}
	errMsg := ""
	if assay.ErrorCode(err) == assay.EINVALID {
		errMsg, err = assay.ErrorMessage(err), nil
	}
	if err != nil {
		return pageData{}, err
	}
	org, err := p.Org.Organization(ctx)
	if err != nil {
		return pageData{}, err
	}
	if f.Category == "" && !all && !p.User.EngagementLimited() {
		controls = s.inScope(org.Scope, controls)
	}
	users, err := s.ownerChoices(ctx, p, 0)
	if err != nil {
		return pageData{}, err
	}
	var states map[string]app.ControlState
	if !p.User.EngagementLimited() {
		if states, err = s.app.ControlStates(ctx, p.App()); err != nil {
			return pageData{}, err
		}
	}
	shown, pg := pageOf(r, controls, listRows)
	return pageData{Title: "Controls", Nav: "controls", Org: org.Name, Error: errMsg, Data: controlsData{
		Controls:   shown,
		Pager:      pg,
		Filter:     f,
		Owner:      r.URL.Query().Get("owner"),
		Users:      users,
		Criteria:   s.criteria,
		Categories: org.Scope.Categories,
		Statuses:   assay.ControlStatuses,
		CanManage:  p.User.Can(assay.ActionManageControls, nil),
		All:        all,
		States:     states,
	}}, nil
}

// inScope keeps the controls mapped to at least one criterion of a
// category in scope, the controls the dashboard counts.
func (s *Server) inScope(scope assay.Scope, controls []assay.Control) []assay.Control {
	category := map[string]string{}
	for _, c := range s.criteria {
		category[c.ID] = c.Category
	}
	out := controls[:0:0]
	for _, c := range controls {
		for _, id := range c.Criteria {
			if scope.Has(category[id]) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}
