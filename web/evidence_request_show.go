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
	Request    app.EvidenceRequestView
	CanAnswer  bool
	CanDecide  bool
	CanComment bool
	Thread     []assay.RequestComment
	Audit      *assay.Audit     // the engagement whose list holds the request, when readable
	Items      []evidenceRow    // the control's evidence to answer with, when CanAnswer
	History    []assay.Activity // when the user may read activity
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
		Request:    app.ViewEvidenceRequests([]assay.EvidenceRequest{req}, s.clock.Now())[0],
		CanAnswer:  canAnswer,
		CanDecide:  req.Status == assay.RequestSubmitted && app.MayDecideRequest(p.App(), req),
		CanComment: app.MayComment(p.App(), req),
	}
	if data.Thread, err = s.app.EvidenceRequestComments(ctx, p.App(), id); err != nil {
		return err
	}
	if req.AuditID != 0 {
		if a, err := s.app.Audit(ctx, p.App(), req.AuditID); err == nil {
			data.Audit = &a
		}
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
	s.render(w, r, status, "evidence_request", pageData{Title: fmt.Sprintf("Evidence request %d", id), Nav: "evidence", Error: errMsg,
		Flash: requestFlash[r.URL.Query().Get("flash")], Data: data})
	return nil
}

// requestFlash are the request page's confirmations.
var requestFlash = map[string]string{
	"comment-added":     "Comment added.",
	"request-decided":   "Decision recorded.",
	"request-submitted": "Answer submitted.",
}
