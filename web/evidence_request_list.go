package web

import (
	"net/http"
	"net/url"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) requestsPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	form := url.Values{"control_id": {r.URL.Query().Get("control")}}
	return s.showRequests(w, r, p, http.StatusOK, "", form)
}

// evidenceRequestsData is the evidence requests page's data.
type evidenceRequestsData struct {
	Requests   []app.EvidenceRequestView
	Filter     assay.EvidenceRequestFilter
	Statuses   []assay.RequestStatus
	Form       url.Values
	CanRequest bool
	Controls   []assay.Control // for the form, when CanRequest
	Assignees  []assay.User    // for the form, when CanRequest
}

// showRequests renders the requests list and, for those who may ask, the
// form to ask, with the values typed.
func (s *Server) showRequests(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	return s.renderView(w, r, p, status, "evidence_requests", func() (pageData, error) {
		ctx := r.Context()
		f, err := input.RequestFilterFrom(r.URL.Query(), p.User.ID)
		f.ControlID = "" // the control in the query pre-fills the form; the list shows every request
		var reqs []assay.EvidenceRequest
		if err == nil {
			reqs, err = s.app.EvidenceRequests(ctx, p.App(), f)
		}
		if assay.ErrorCode(err) == assay.EINVALID {
			errMsg, err = assay.ErrorMessage(err), nil
		}
		if err != nil {
			return pageData{}, err
		}
		data := evidenceRequestsData{Requests: app.ViewEvidenceRequests(reqs, s.clock.Now()), Filter: f, Statuses: assay.RequestStatuses, Form: form,
			CanRequest: p.User.Can(assay.ActionRequestEvidence, nil)}
		if data.CanRequest {
			controls, err := p.Org.Controls(ctx, assay.ControlFilter{})
			if err != nil {
				return pageData{}, err
			}
			users, err := s.ownerChoices(ctx, p, 0)
			if err != nil {
				return pageData{}, err
			}
			var assignees []assay.User
			for _, u := range users {
				if !u.Disabled && u.Can(assay.ActionAddEvidence, nil) {
					assignees = append(assignees, u)
				}
			}
			if form.Get("due_date") == "" {
				form.Set("due_date", s.clock.Now().AddDate(0, 0, 14).Format("2006-01-02"))
			}
			data.Controls, data.Assignees = controls, assignees
		}
		return pageData{Title: "Evidence requests", Nav: "evidence", Error: errMsg, Data: data}, nil
	})
}
