package app

import (
	"context"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
)

// compileCustomCheck normalises a custom check and compiles it against
// the organisation's controls; a bad expression is refused with its
// position.
func (a *App) compileCustomCheck(ctx context.Context, p Principal, c assay.Check) (assay.Check, error) {
	if err := mayManageChecks(p); err != nil {
		return assay.Check{}, err
	}
	c.ID, c.Kind = strings.TrimSpace(c.ID), strings.TrimSpace(c.Kind)
	if c.ID != "" && !strings.HasPrefix(c.ID, monitor.CustomPrefix) {
		c.ID = monitor.CustomPrefix + c.ID
	}
	ctls, err := p.Org.Controls(ctx, assay.ControlFilter{})
	if err != nil {
		return assay.Check{}, err
	}
	known := map[string]bool{}
	for _, ctl := range ctls {
		known[ctl.ID] = true
	}
	if err := monitor.ValidateCheck(c, func(id string) bool { return known[id] }); err != nil {
		return assay.Check{}, err
	}
	c.Custom = true
	return c, nil
}

// CreateCustomCheck compiles and stores a new custom check; a bad expression
// is refused with its position and nothing is saved.
func (a *App) CreateCustomCheck(ctx context.Context, p Principal, c assay.Check) (assay.Check, error) {
	c, err := a.compileCustomCheck(ctx, p, c)
	if err != nil {
		return assay.Check{}, err
	}
	return p.Org.CreateCustomCheck(ctx, p.Actor(), c)
}

// CustomCheck returns one of the organisation's custom checks: a library
// check is a conflict (it cannot be changed or deleted), anything else not
// found.
func (a *App) CustomCheck(ctx context.Context, p Principal, id string) (assay.Check, error) {
	if err := mayManageChecks(p); err != nil {
		return assay.Check{}, err
	}
	c, err := a.FindCheck(ctx, p.Org, id)
	if err != nil {
		return assay.Check{}, err
	}
	if !c.Custom {
		return assay.Check{}, assay.Errorf(assay.ECONFLICT, "Check %s is part of the check library and cannot be changed or deleted; write a custom check instead.", id)
	}
	return c, nil
}

// UpdateCustomCheck compiles and stores a custom check's new definition
// (its id stays); a bad expression changes nothing.
func (a *App) UpdateCustomCheck(ctx context.Context, p Principal, id string, c assay.Check) (assay.Check, error) {
	if _, err := a.CustomCheck(ctx, p, id); err != nil {
		return assay.Check{}, err
	}
	c.ID = id
	c, err := a.compileCustomCheck(ctx, p, c)
	if err != nil {
		return assay.Check{}, err
	}
	return p.Org.UpdateCustomCheck(ctx, p.Actor(), id, c)
}

// DeleteCustomCheck removes a custom check: its history stays, its current
// results end and its open findings close (see the store).
func (a *App) DeleteCustomCheck(ctx context.Context, p Principal, id string) error {
	if _, err := a.CustomCheck(ctx, p, id); err != nil {
		return err
	}
	return p.Org.DeleteCustomCheck(ctx, p.Actor(), id)
}

// mayManageChecks: custom checks are written by those who manage monitoring.
func mayManageChecks(p Principal) error {
	if !p.User.Can(assay.ActionManageMonitoring, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Your role (%s) cannot change monitoring checks.", p.User.Role)
	}
	return nil
}
