package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

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
