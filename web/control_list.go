package web

import (
	"html/template"
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
	// Table is the list of Controls rendered (keptBlock).
	Table template.HTML
}

func (s *Server) controlsPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
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
		return err
	}
	org, err := p.Org.Organization(ctx)
	if err != nil {
		return err
	}
	if f.Category == "" && !all && !p.User.EngagementLimited() {
		controls = s.inScope(org.Scope, controls)
	}
	users, err := s.ownerChoices(ctx, p, 0)
	if err != nil {
		return err
	}
	var states map[string]app.ControlState
	if !p.User.EngagementLimited() {
		if states, err = s.app.ControlStates(ctx, p.App()); err != nil {
			return err
		}
	}
	shown, pg := pageOf(r, controls, listRows)
	cd := controlsData{
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
	}
	data := pageData{Title: "Controls", Nav: "controls", Org: org.Name, Error: errMsg, Data: cd}
	if cd.Table, err = s.keptBlock(r, p, "controls", "controls-list-table", data); err != nil {
		return err
	}
	data.Data = cd
	// htmx asks for the list alone while typing; a history restore needs the whole page.
	w.Header().Set("Vary", "HX-Request")
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true" {
		s.renderBlock(w, r, http.StatusOK, "controls", "results", data)
		return nil
	}
	s.render(w, r, http.StatusOK, "controls", data)
	return nil
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
