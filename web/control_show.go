package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

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
	users, err := p.Org.Users(ctx)
	if err != nil {
		return err
	}
	data := pageData{Title: "Controls", Nav: "controls", Org: org.Name, Error: errMsg, Data: controlsData{
		Controls:   controls,
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

func (s *Server) controlPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showControl(w, r, p, r.PathValue("id"), http.StatusOK, "", nil)
}

// controlData is the control page's data.
type controlData struct {
	Control     assay.Control
	Form        assay.Control // the control with the values typed, if any
	Criteria    []assay.Criterion
	CriteriaCSV string
	Users       []assay.User
	History     []assay.Activity
	Statuses    []assay.ControlStatus
	CanEdit     bool
	CanManage   bool
	Evidence    controlEvidenceData
}

// showControl renders a control's page, optionally with a form error and
// the values the person typed.
func (s *Server) showControl(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, id string, status int, errMsg string, typed *assay.ControlPatch) error {
	ctx := r.Context()
	ctl, err := s.app.Control(ctx, p.App(), id)
	if err != nil {
		return err
	}
	users, err := p.Org.Users(ctx)
	if err != nil {
		return err
	}
	var history []assay.Activity
	if p.User.Can(assay.ActionReadActivity, nil) {
		if history, err = s.app.Activity(ctx, p.App(), assay.ActivityFilter{ObjectType: "control", ObjectID: ctl.ID, Limit: 50}); err != nil {
			return err
		}
	}
	var criteria []assay.Criterion
	for _, id := range ctl.Criteria {
		if c, ok := s.criterion[id]; ok {
			criteria = append(criteria, c)
		}
	}
	form := ctl
	if typed != nil {
		form = typed.Apply(ctl)
	}
	ev, err := s.controlEvidence(r, p, ctl)
	if err != nil {
		return err
	}
	s.render(w, r, status, "control", pageData{Title: ctl.ID + " " + ctl.Name, Nav: "controls", Error: errMsg, Data: controlData{
		Control:     ctl,
		Form:        form,
		Criteria:    criteria,
		CriteriaCSV: strings.Join(form.Criteria, ", "),
		Users:       users,
		History:     history,
		Statuses:    assay.ControlStatuses,
		CanEdit:     p.User.Can(assay.ActionEditControl, &ctl),
		CanManage:   p.User.Can(assay.ActionManageControls, nil),
		Evidence:    ev,
	}})
	return nil
}

// updateControlForm takes the control page's form. Only the fields the
// form sent are changed.
func (s *Server) updateControlForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id := r.PathValue("id")
	var patch assay.ControlPatch
	form := r.PostForm
	if form.Has("status") {
		st := assay.ControlStatus(form.Get("status"))
		patch.Status = &st
	}
	if form.Has("justification") {
		v := form.Get("justification")
		patch.Justification = &v
	}
	if form.Has("notes") {
		v := form.Get("notes")
		patch.Notes = &v
	}
	if form.Has("owner_id") && p.User.Can(assay.ActionManageControls, nil) {
		var oid int64
		if v := form.Get("owner_id"); v != "" {
			var err error
			if oid, err = strconv.ParseInt(v, 10, 64); err != nil || oid < 0 {
				return s.showControl(w, r, p, id, http.StatusBadRequest, "Choose an owner from the list.", nil)
			}
		}
		patch.OwnerID = &oid
	}
	if form.Has("criteria") && p.User.Can(assay.ActionManageControls, nil) {
		ids := input.SplitList(form.Get("criteria"))
		patch.Criteria = &ids
	}
	ctl, err := s.app.UpdateControl(r.Context(), p.App(), id, patch)
	if err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showControl(w, r, p, id, status, msg, &patch)
		})
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", "/controls/"+url.PathEscape(ctl.ID)+"?flash=saved")
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	http.Redirect(w, r, "/controls/"+url.PathEscape(ctl.ID)+"?flash=saved", http.StatusSeeOther)
	return nil
}

func (s *Server) newControlPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	s.render(w, r, http.StatusOK, "control_new", pageData{Title: "Add a control", Nav: "controls", Data: s.newControlData(p, assay.Control{Frequency: "annual", Kind: "preventive"})})
	return nil
}

// controlNewData is the add-a-control page's data.
type controlNewData struct {
	Form        assay.Control
	CriteriaCSV string
	Frequencies []string
	Kinds       []string
	Criteria    []assay.Criterion
}

func (s *Server) newControlData(p *httpkit.Principal, c assay.Control) controlNewData {
	return controlNewData{Form: c, CriteriaCSV: strings.Join(c.Criteria, ", "), Frequencies: assay.Frequencies, Kinds: assay.ControlKinds, Criteria: s.criteria}
}

func (s *Server) createControlForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	f := r.PostForm
	c := assay.NewCustomControl(f.Get("id"), f.Get("name"), f.Get("description"), input.SplitList(f.Get("criteria")))
	c.Evidence = strings.TrimSpace(f.Get("evidence"))
	if v := strings.TrimSpace(f.Get("owner_role")); v != "" {
		c.OwnerRole = v
	}
	c.Frequency = f.Get("frequency")
	c.Kind = f.Get("kind")
	out, err := s.app.CreateControl(r.Context(), p.App(), c)
	if err != nil {
		return reshow(err, func(status int, msg string) error {
			s.render(w, r, status, "control_new", pageData{Title: "Add a control", Nav: "controls", Error: msg, Data: s.newControlData(p, c)})
			return nil
		})
	}
	http.Redirect(w, r, "/controls/"+url.PathEscape(out.ID)+"?flash=control-added", http.StatusSeeOther)
	return nil
}
