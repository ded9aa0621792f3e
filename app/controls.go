package app

import (
	"context"

	"github.com/assay-platform/assay"
)

// UpdateControl is the one path the pages, the API and the CLI use to
// change a control: the principal must be allowed to edit this control,
// and may touch its owner, mapping and wording only when they manage
// controls.
func (a *App) UpdateControl(ctx context.Context, p Principal, id string, patch assay.ControlPatch) (assay.Control, error) {
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
	if patch.OwnerID != nil && *patch.OwnerID != ctl.OwnerID {
		if err := checkOwner(ctx, p.Org, "owner_id", *patch.OwnerID); err != nil {
			return ctl, err
		}
	}
	return p.Org.UpdateControl(ctx, p.Actor(), id, patch)
}

func ownerOrNobody(c assay.Control) string {
	if c.OwnerName == "" {
		return "nobody"
	}
	return c.OwnerName
}

// Controls lists the organisation's controls that match f (every role that
// reads the program sees them).
func (a *App) Controls(ctx context.Context, p Principal, f assay.ControlFilter) ([]assay.Control, error) {
	if err := mayReadControls(p); err != nil {
		return nil, err
	}
	if f.Limit < 0 || f.Limit > 10000 {
		return nil, assay.Invalid("limit", "limit must be between 1 and 10000.")
	}
	return p.Org.Controls(ctx, f)
}

// Control is one control.
func (a *App) Control(ctx context.Context, p Principal, id string) (assay.Control, error) {
	if err := mayReadControls(p); err != nil {
		return assay.Control{}, err
	}
	return p.Org.Control(ctx, id)
}

// CreateControl adds a custom control: admins only (ActionManageControls).
func (a *App) CreateControl(ctx context.Context, p Principal, c assay.Control) (assay.Control, error) {
	if !p.User.Can(assay.ActionManageControls, nil) {
		return c, assay.Errorf(assay.EFORBIDDEN, "Only admins add controls; your role is %s.", p.User.Role)
	}
	return p.Org.CreateControl(ctx, p.Actor(), c)
}

func mayReadControls(p Principal) error {
	if !p.User.Can(assay.ActionRead, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not show the controls.", p.User.Role)
	}
	return nil
}
