package server

import (
	"context"

	"github.com/assay-platform/assay"
)

// updateControl is the one path both the UI and the API use to change a
// control: it checks the caller may edit this control, and may touch
// owner, mapping and wording only when they manage controls.
func (s *Server) updateControl(ctx context.Context, p *principal, id string, patch assay.ControlPatch) (assay.Control, error) {
	ctl, err := p.Org.Control(ctx, id)
	if err != nil {
		return ctl, err
	}
	if !p.User.Can(assay.ActionEditControl, &ctl) {
		if p.User.Role == assay.RoleMember {
			return ctl, assay.Errorf(assay.EFORBIDDEN, "Members may change only the controls they own; %s is owned by %s.", ctl.ID, ownerOrNobody(ctl))
		}
		return ctl, assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not allow changing controls.", p.User.Role)
	}
	managed := patch.OwnerID != nil || patch.Criteria != nil || patch.Name != nil || patch.Description != nil ||
		patch.Evidence != nil || patch.Frequency != nil || patch.Kind != nil
	if managed && !p.User.Can(assay.ActionManageControls, nil) {
		return ctl, assay.Errorf(assay.EFORBIDDEN, "Only admins change a control's owner, criteria or wording; you may set its status and notes.")
	}
	return p.Org.UpdateControl(ctx, p.actor(), id, patch)
}

func ownerOrNobody(c assay.Control) string {
	if c.OwnerName == "" {
		return "nobody"
	}
	return c.OwnerName
}

// readiness computes the caller's organisation's readiness (app.Readiness,
// the same computation as the CLI's).
func (s *Server) readiness(ctx context.Context, p *principal) (assay.Readiness, assay.Organization, []assay.Control, error) {
	v, err := s.app.Readiness(ctx, p.app())
	return v.Readiness, v.Organization, v.Controls, err
}
