package web

import (
	"net/http"

	"github.com/assay-platform/assay"
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
}

func (s *Server) controlsPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	ctx := r.Context()
	f, err := input.ControlFilter(r.URL.Query(), p.User.ID)
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
	users, err := s.ownerChoices(ctx, p, 0)
	if err != nil {
		return err
	}
	shown, pg := pageOf(r, controls, listRows)
	data := pageData{Title: "Controls", Nav: "controls", Org: org.Name, Error: errMsg, Data: controlsData{
		Controls:   shown,
		Pager:      pg,
		Filter:     f,
		Owner:      r.URL.Query().Get("owner"),
		Users:      users,
		Criteria:   s.criteria,
		Categories: org.Scope.Categories,
		Statuses:   assay.ControlStatuses,
		CanManage:  p.User.Can(assay.ActionManageControls, nil),
	}}
	// htmx asks for the list alone while typing; a history restore needs the whole page.
	w.Header().Set("Vary", "HX-Request")
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true" {
		s.renderBlock(w, r, http.StatusOK, "controls", "results", data)
		return nil
	}
	s.render(w, r, http.StatusOK, "controls", data)
	return nil
}
