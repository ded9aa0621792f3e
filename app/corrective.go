package app

import (
	"context"
	"fmt"

	"github.com/assay-platform/assay"
)

// CorrectiveActions lists the corrective action register, narrowed by f.
func (a *App) CorrectiveActions(ctx context.Context, p Principal, f assay.CorrectiveFilter) ([]assay.CorrectiveAction, error) {
	if err := mayReadIncidents(p); err != nil {
		return nil, err
	}
	return p.Org.CorrectiveActions(ctx, f)
}

// CorrectiveAction is one corrective action.
func (a *App) CorrectiveAction(ctx context.Context, p Principal, id int64) (assay.CorrectiveAction, error) {
	if err := mayReadIncidents(p); err != nil {
		return assay.CorrectiveAction{}, err
	}
	return p.Org.CorrectiveAction(ctx, id)
}

// CreateCorrectiveAction adds a corrective action to the register.
func (a *App) CreateCorrectiveAction(ctx context.Context, p Principal, n assay.NewCorrectiveAction) (assay.CorrectiveAction, error) {
	if err := mayManageIncidents(p); err != nil {
		return assay.CorrectiveAction{}, err
	}
	if err := checkOwner(ctx, p.Org, "owner_id", n.OwnerID); err != nil {
		return assay.CorrectiveAction{}, err
	}
	return p.Org.CreateCorrectiveAction(ctx, p.Actor(), n)
}

// ImportCorrectiveActions adds the corrective actions an adapter parsed,
// all or none. A bad row fails the import with an error naming its index
// among list (from 0).
func (a *App) ImportCorrectiveActions(ctx context.Context, p Principal, list []assay.NewCorrectiveAction) ([]assay.CorrectiveAction, error) {
	if err := mayManageIncidents(p); err != nil {
		return nil, err
	}
	for i, n := range list {
		if err := checkOwner(ctx, p.Org, "owner_id", n.OwnerID); err != nil {
			return nil, withPrefix(err, fmt.Sprintf("Corrective action %d: ", i+1))
		}
	}
	return p.Org.ImportCorrectiveActions(ctx, p.Actor(), list)
}

// MayUpdateCorrective tells whether the principal may update the action at
// all (an adapter asks before it reads a form, so a refusal comes before a
// typo).
func (a *App) MayUpdateCorrective(ctx context.Context, p Principal, id int64) error {
	c, err := a.CorrectiveAction(ctx, p, id)
	if err != nil {
		return err
	}
	return mayPatchCorrective(p, c, nil)
}

// UpdateCorrectiveAction changes a corrective action: an admin any field;
// its owner (a member) its status, short of verified, and its text.
func (a *App) UpdateCorrectiveAction(ctx context.Context, p Principal, id int64, patch assay.CorrectivePatch) (assay.CorrectiveAction, error) {
	c, err := a.CorrectiveAction(ctx, p, id)
	if err != nil {
		return c, err
	}
	if err := mayPatchCorrective(p, c, &patch); err != nil {
		return c, err
	}
	if patch.OwnerID != nil && *patch.OwnerID != c.OwnerID {
		if err := checkOwner(ctx, p.Org, "owner_id", *patch.OwnerID); err != nil {
			return c, err
		}
	}
	return p.Org.UpdateCorrectiveAction(ctx, p.Actor(), id, patch)
}
