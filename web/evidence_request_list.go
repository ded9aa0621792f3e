package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

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
		return err
	}
	data := evidenceRequestsData{Requests: app.ViewEvidenceRequests(reqs, s.clock.Now()), Filter: f, Statuses: assay.RequestStatuses, Form: form,
		CanRequest: p.User.Can(assay.ActionRequestEvidence, nil)}
	if data.CanRequest {
		controls, err := p.Org.Controls(ctx, assay.ControlFilter{})
		if err != nil {
			return err
		}
		users, err := p.Org.Users(ctx)
		if err != nil {
			return err
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
	s.render(w, r, status, "evidence_requests", pageData{Title: "Evidence requests", Nav: "evidence", Error: errMsg, Data: data})
	return nil
}

func (s *Server) createRequestForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	f := r.PostForm
	n := assay.NewEvidenceRequest{ControlID: f.Get("control_id"), Description: f.Get("description")}
	var err error
	if v := f.Get("assignee_id"); v != "" {
		if n.AssigneeID, err = strconv.ParseInt(v, 10, 64); err != nil {
			err = assay.Invalid("assignee_id", "Choose who should answer from the list.")
		}
	}
	var req assay.EvidenceRequest
	if err == nil {
		if due, derr := input.ParseDate("due_date", f.Get("due_date")); derr != nil {
			err = derr
		} else if due != nil {
			n.DueDate = *due
		}
	}
	if err == nil {
		req, err = s.app.CreateEvidenceRequest(r.Context(), p.App(), n)
	}
	if err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showRequests(w, r, p, status, msg, f)
		})
	}
	http.Redirect(w, r, fmt.Sprintf("/evidence-requests/%d?flash=request-created", req.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) requestPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showRequest(w, r, p, http.StatusOK, "")
}

// evidenceRequestData is an evidence request's page data.
type evidenceRequestData struct {
	Request   app.EvidenceRequestView
	CanAnswer bool
	CanDecide bool
	Items     []evidenceRow    // the control's evidence to answer with, when CanAnswer
	History   []assay.Activity // when the user may read activity
}

func (s *Server) showRequest(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string) error {
	ctx := r.Context()
	id, err := input.PathID(r, "Evidence request")
	if err != nil {
		return err
	}
	req, err := s.app.EvidenceRequest(ctx, p.App(), id)
	if err != nil {
		return err
	}
	_, answerErr := s.app.AnswerableRequest(ctx, p.App(), id)
	canAnswer := answerErr == nil
	data := evidenceRequestData{
		Request:   app.ViewEvidenceRequests([]assay.EvidenceRequest{req}, s.clock.Now())[0],
		CanAnswer: canAnswer,
		CanDecide: req.Status == assay.RequestSubmitted && p.User.Can(assay.ActionRequestEvidence, nil) &&
			(req.RequestedBy == p.User.ID || p.User.Role == assay.RoleAdmin),
	}
	if canAnswer {
		items, err := p.Org.EvidenceList(ctx, assay.EvidenceFilter{ControlID: req.ControlID})
		if err != nil {
			return err
		}
		data.Items = s.rows(items)
	}
	if p.User.Can(assay.ActionReadActivity, nil) {
		history, err := p.Org.Activity(ctx, assay.ActivityFilter{ObjectType: "evidence_request", ObjectID: strconv.FormatInt(id, 10), Limit: 50})
		if err != nil {
			return err
		}
		data.History = history
	}
	s.render(w, r, status, "evidence_request", pageData{Title: fmt.Sprintf("Evidence request %d", id), Nav: "evidence", Error: errMsg, Data: data})
	return nil
}

func (s *Server) submitRequestForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Evidence request")
	if err != nil {
		return err
	}
	var ids []int64
	for _, v := range r.PostForm["evidence_ids"] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return s.showRequest(w, r, p, http.StatusBadRequest, "Choose evidence from the list.")
		}
		ids = append(ids, n)
	}
	if _, err := s.app.SubmitEvidenceRequest(r.Context(), p.App(), id, ids, r.PostForm.Get("response")); err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showRequest(w, r, p, status, msg)
		})
	}
	http.Redirect(w, r, fmt.Sprintf("/evidence-requests/%d?flash=request-submitted", id), http.StatusSeeOther)
	return nil
}

func (s *Server) decideRequestForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Evidence request")
	if err != nil {
		return err
	}
	if _, err := s.app.DecideEvidenceRequest(r.Context(), p.App(), id, r.PostForm.Get("decision"), r.PostForm.Get("reason")); err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showRequest(w, r, p, status, msg)
		})
	}
	http.Redirect(w, r, fmt.Sprintf("/evidence-requests/%d?flash=request-decided", id), http.StatusSeeOther)
	return nil
}
