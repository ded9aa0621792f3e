package app

import (
	"context"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

// AnswerableRequest returns a request the person may answer now: they are
// its assignee (or an admin) and it is open or rejected.
func (a *App) AnswerableRequest(ctx context.Context, p Principal, id int64) (assay.EvidenceRequest, error) {
	req, err := p.Org.EvidenceRequest(ctx, id)
	if err != nil {
		return req, err
	}
	if req.AssigneeID != p.User.ID && p.User.Role != assay.RoleAdmin {
		return req, assay.Errorf(assay.EFORBIDDEN, "Only %s (the assignee) or an admin answers evidence request %d.", req.AssigneeName, id)
	}
	if !p.User.Can(assay.ActionAddEvidence, nil) {
		return req, assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not allow adding evidence.", p.User.Role)
	}
	if !req.Status.AwaitsAnswer() {
		return req, assay.Errorf(assay.ECONFLICT, "Evidence request %d is %s; it takes no more evidence.", id, req.Status)
	}
	return req, nil
}

// SubmitEvidenceRequest answers a request with existing evidence items.
func (a *App) SubmitEvidenceRequest(ctx context.Context, p Principal, id int64, evidenceIDs []int64, response string) (assay.EvidenceRequest, error) {
	if _, err := a.AnswerableRequest(ctx, p, id); err != nil {
		return assay.EvidenceRequest{}, err
	}
	return p.Org.SubmitEvidenceRequest(ctx, p.Actor(), id, evidenceIDs, response)
}

// CreateEvidenceRequest asks for evidence; the assignee defaults to the
// control's owner.
func (a *App) CreateEvidenceRequest(ctx context.Context, p Principal, n assay.NewEvidenceRequest) (assay.EvidenceRequest, error) {
	if !p.User.Can(assay.ActionRequestEvidence, nil) {
		return assay.EvidenceRequest{}, assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not allow this.", p.User.Role)
	}
	if n.AuditID != 0 {
		out, err := a.CreateRequestList(ctx, p, n.AuditID, []assay.NewEvidenceRequest{n})
		if err != nil {
			return assay.EvidenceRequest{}, err
		}
		return out[0], nil
	}
	if n.AssigneeID == 0 && strings.TrimSpace(n.ControlID) != "" {
		if ctl, err := p.Org.Control(ctx, strings.ToUpper(strings.TrimSpace(n.ControlID))); err == nil {
			n.AssigneeID = ctl.OwnerID
		}
	}
	if err := checkOwner(ctx, p.Org, "assignee_id", n.AssigneeID); err != nil {
		return assay.EvidenceRequest{}, err
	}
	return p.Org.CreateEvidenceRequest(ctx, p.Actor(), n)
}

// DecideEvidenceRequest accepts or returns: the requester or an admin; on
// an engagement's request list, also any auditor of that engagement (an
// audit team shares its list).
func (a *App) DecideEvidenceRequest(ctx context.Context, p Principal, id int64, decision, reason string) (assay.EvidenceRequest, error) {
	req, err := p.Org.EvidenceRequest(ctx, id)
	if err != nil {
		return req, err
	}
	if !MayDecideRequest(p, req) {
		return req, assay.Errorf(assay.EFORBIDDEN, "Only %s (who asked) or an admin decides evidence request %d.", req.RequestedByName, id)
	}
	var accept bool
	switch decision {
	case "accept":
		accept = true
	case "return", "reject": // "reject" was the earlier word, still taken
	default:
		return req, assay.Invalid("decision", "Decide accept or return.")
	}
	return p.Org.DecideEvidenceRequest(ctx, p.Actor(), id, accept, reason)
}

// MayDecideRequest reports whether p accepts or returns req's answers: who
// asked, an admin, or on an engagement's list any auditor of it.
func MayDecideRequest(p Principal, req assay.EvidenceRequest) bool {
	if !p.User.Can(assay.ActionRequestEvidence, nil) {
		return false
	}
	teamAuditor := req.AuditID != 0 && p.User.Role == assay.RoleAuditor
	return req.RequestedBy == p.User.ID || p.User.Role == assay.RoleAdmin || teamAuditor
}

// MayComment reports whether p writes in req's thread.
func MayComment(p Principal, req assay.EvidenceRequest) bool {
	u := p.User
	return u.ID == req.RequestedBy || u.ID == req.AssigneeID || u.Role == assay.RoleAdmin || u.Role == assay.RoleAuditor
}

// EvidenceRequests lists the requests that match f (every role that reads
// the program sees them).
func (a *App) EvidenceRequests(ctx context.Context, p Principal, f assay.EvidenceRequestFilter) ([]assay.EvidenceRequest, error) {
	if err := mayReadRequests(p); err != nil {
		return nil, err
	}
	return p.Org.EvidenceRequests(ctx, f)
}

// EvidenceRequest is one request.
func (a *App) EvidenceRequest(ctx context.Context, p Principal, id int64) (assay.EvidenceRequest, error) {
	if err := mayReadRequests(p); err != nil {
		return assay.EvidenceRequest{}, err
	}
	return p.Org.EvidenceRequest(ctx, id)
}

func mayReadRequests(p Principal) error {
	if !p.User.Can(assay.ActionRead, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not show evidence requests.", p.User.Role)
	}
	return nil
}

// EvidenceRequestView is a request as the API and the CLI show it.
type EvidenceRequestView struct {
	assay.EvidenceRequest
	Overdue bool `json:"overdue"`
}

// ViewEvidenceRequests adds to each request whether it is overdue at now.
func ViewEvidenceRequests(reqs []assay.EvidenceRequest, now time.Time) []EvidenceRequestView {
	out := make([]EvidenceRequestView, len(reqs))
	for i, r := range reqs {
		out[i] = EvidenceRequestView{r, r.Overdue(now)}
	}
	return out
}
