package server

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/assay-platform/assay"
)

// DefaultMaxUploadBytes is the default limit on one evidence file.
const DefaultMaxUploadBytes = 100 << 20

// The rules below are the one place the UI and the API decide who may do
// what with evidence. The store then checks the input against the data.

// checkNewEvidence validates evidence a person is about to add, before any
// file content is read: the fields, that every control exists, and that
// the person may add evidence to each. req is the request being answered,
// if any: its assignee may add evidence to its control, and the control is
// added when missing. It fills in the controls of a correction from the
// item it supersedes.
func (s *Server) checkNewEvidence(ctx context.Context, p *principal, n *assay.NewEvidence, req *assay.EvidenceRequest) error {
	if !p.User.Can(assay.ActionAddEvidence, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not allow adding evidence.", p.User.Role)
	}
	var replaced []string // the controls of the item a correction supersedes
	if n.Supersedes > 0 {
		old, err := p.Org.Evidence(ctx, n.Supersedes)
		if assay.ErrorCode(err) == assay.ENOTFOUND {
			return assay.Invalid("supersedes", "No evidence %d in this organisation.", n.Supersedes)
		} else if err != nil {
			return err
		}
		if old.SupersededBy != 0 {
			return assay.Errorf(assay.ECONFLICT, "Evidence %d is already superseded by %d; correct that one instead.", old.ID, old.SupersededBy)
		}
		replaced = old.Controls
		if len(n.Controls) == 0 {
			n.Controls = old.Controls
		}
	}
	if req != nil && !slices.Contains(n.Controls, req.ControlID) {
		n.Controls = append(n.Controls, req.ControlID)
	}
	if err := n.ValidateMetadata(s.clock.Now()); err != nil {
		return err
	}
	for _, id := range n.Controls {
		if err := s.canAddEvidenceTo(ctx, p, id, "controls", req); err != nil {
			return err
		}
	}
	// Superseding takes the old item out of force for its controls too.
	for _, id := range replaced {
		if err := s.canAddEvidenceTo(ctx, p, id, "supersedes", nil); err != nil {
			return err
		}
	}
	return nil
}

// canAddEvidenceTo checks that the control exists and that the person may
// add (or attach, or detach) evidence for it.
func (s *Server) canAddEvidenceTo(ctx context.Context, p *principal, controlID, field string, req *assay.EvidenceRequest) error {
	ctl, err := p.Org.Control(ctx, strings.ToUpper(strings.TrimSpace(controlID)))
	if assay.ErrorCode(err) == assay.ENOTFOUND {
		return assay.Invalid(field, "No control %s in this organisation.", controlID)
	} else if err != nil {
		return err
	}
	if p.User.Can(assay.ActionAddEvidence, &ctl) {
		return nil
	}
	if req != nil && req.ControlID == ctl.ID && req.AssigneeID == p.User.ID {
		return nil // asked for it
	}
	if p.User.Role == assay.RoleMember {
		return assay.Errorf(assay.EFORBIDDEN, "Members add evidence only to the controls they own; %s is owned by %s.", ctl.ID, ownerOrNobody(ctl))
	}
	return assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not allow adding evidence.", p.User.Role)
}

// addEvidence writes an evidence item checked with checkNewEvidence (for a
// file, after its blob is stored) and, when it answers a request, submits
// it to the request.
func (s *Server) addEvidence(ctx context.Context, p *principal, n assay.NewEvidence, req *assay.EvidenceRequest, response string) (assay.Evidence, error) {
	ev, err := p.Org.CreateEvidence(ctx, p.actor(), n)
	if err != nil {
		return ev, err
	}
	if req != nil {
		if _, err := p.Org.SubmitEvidenceRequest(ctx, p.actor(), req.ID, []int64{ev.ID}, response); err != nil {
			return ev, fmt.Errorf("evidence %d was added but not submitted to request %d: %w", ev.ID, req.ID, err)
		}
	}
	return ev, nil
}

// updateEvidenceControls attaches and detaches, for people who may add
// evidence to every control concerned.
func (s *Server) updateEvidenceControls(ctx context.Context, p *principal, id int64, attach, detach []string) (assay.Evidence, error) {
	if !p.User.Can(assay.ActionAddEvidence, nil) {
		return assay.Evidence{}, assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not allow changing evidence.", p.User.Role)
	}
	if _, err := p.Org.Evidence(ctx, id); err != nil {
		return assay.Evidence{}, err
	}
	for field, ids := range map[string][]string{"attach": attach, "detach": detach} {
		for _, c := range ids {
			if err := s.canAddEvidenceTo(ctx, p, c, field, nil); err != nil {
				return assay.Evidence{}, err
			}
		}
	}
	return p.Org.UpdateEvidenceControls(ctx, p.actor(), id, attach, detach)
}

// answerableRequest returns a request the person may answer now: they are
// its assignee (or an admin) and it is open or rejected.
func (s *Server) answerableRequest(ctx context.Context, p *principal, id int64) (assay.EvidenceRequest, error) {
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
	if req.Status != assay.RequestOpen && req.Status != assay.RequestRejected {
		return req, assay.Errorf(assay.ECONFLICT, "Evidence request %d is %s; it takes no more evidence.", id, req.Status)
	}
	return req, nil
}

// submitEvidenceRequest answers a request with existing evidence items.
func (s *Server) submitEvidenceRequest(ctx context.Context, p *principal, id int64, evidenceIDs []int64, response string) (assay.EvidenceRequest, error) {
	if _, err := s.answerableRequest(ctx, p, id); err != nil {
		return assay.EvidenceRequest{}, err
	}
	return p.Org.SubmitEvidenceRequest(ctx, p.actor(), id, evidenceIDs, response)
}

// createEvidenceRequest asks for evidence; the assignee defaults to the
// control's owner.
func (s *Server) createEvidenceRequest(ctx context.Context, p *principal, n assay.NewEvidenceRequest) (assay.EvidenceRequest, error) {
	if n.AssigneeID == 0 && strings.TrimSpace(n.ControlID) != "" {
		if ctl, err := p.Org.Control(ctx, strings.ToUpper(strings.TrimSpace(n.ControlID))); err == nil {
			n.AssigneeID = ctl.OwnerID
		}
	}
	return p.Org.CreateEvidenceRequest(ctx, p.actor(), n)
}

// decideEvidenceRequest accepts or rejects: the requester or an admin.
func (s *Server) decideEvidenceRequest(ctx context.Context, p *principal, id int64, decision, reason string) (assay.EvidenceRequest, error) {
	req, err := p.Org.EvidenceRequest(ctx, id)
	if err != nil {
		return req, err
	}
	if req.RequestedBy != p.User.ID && p.User.Role != assay.RoleAdmin {
		return req, assay.Errorf(assay.EFORBIDDEN, "Only %s (who asked) or an admin decides evidence request %d.", req.RequestedByName, id)
	}
	var accept bool
	switch decision {
	case "accept":
		accept = true
	case "reject":
	default:
		return req, assay.Invalid("decision", "Decide accept or reject.")
	}
	return p.Org.DecideEvidenceRequest(ctx, p.actor(), id, accept, reason)
}
