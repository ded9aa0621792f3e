package web

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) incidentPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showIncident(w, r, p, http.StatusOK, "", url.Values{})
}

// incidentData is what an incident's page shows.
type incidentData struct {
	Incident   app.IncidentView
	Timeline   []assay.IncidentEntry
	Actions    []app.CorrectiveView
	Owners     []assay.User
	Form       url.Values
	Severities []assay.Severity
	CanManage  bool
	CanReview  bool
	CanAdd     bool
	DefaultDue string // YYYY-MM-DD
	// Steps are the moves the incident's state allows, the first chosen.
	Steps []assay.IncidentStatus
}

func (s *Server) showIncident(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	id, err := input.PathID(r, "Incident")
	if err != nil {
		return err
	}
	ctx := r.Context()
	d, err := s.app.IncidentDetail(ctx, p.App(), id)
	if err != nil {
		return err
	}
	i := d.Incident
	var owners []assay.User
	canManage := p.User.Can(assay.ActionManageIncidents, nil)
	if canManage {
		users, err := s.ownerChoices(ctx, p, 0)
		if err != nil {
			return err
		}
		for _, u := range users {
			if !u.Disabled && (u.Role == assay.RoleAdmin || u.Role == assay.RoleMember) {
				owners = append(owners, u)
			}
		}
	}
	s.render(w, r, status, "incident", pageData{Title: fmt.Sprintf("Incident %d", i.ID), Nav: "incidents", Error: errMsg,
		Flash: incidentFlash[r.URL.Query().Get("flash")], Data: incidentData{
			Incident: d.IncidentView, Timeline: d.Timeline, Actions: d.CorrectiveActions, Owners: owners, Form: form,
			Severities: assay.Severities, CanManage: canManage && i.Status != assay.IncidentClosed,
			CanReview: canManage && i.Status == assay.IncidentResolved, CanAdd: p.User.Can(assay.ActionReportIncident, nil),
			DefaultDue: s.app.DefaultCorrectiveDue().Format("2006-01-02"),
			Steps:      i.Steps(),
		}})
	return nil
}
