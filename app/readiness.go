package app

import (
	"context"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
	"github.com/assay-platform/assay/store"
)

// ReadinessView is an organisation's readiness with what it was computed
// from, as the dashboard, the API and the CLI show it.
type ReadinessView struct {
	Readiness    assay.Readiness
	Organization assay.Organization
	Controls     []assay.Control
	AsOf         time.Time
}

// Readiness computes the principal's organisation's readiness: the one
// computation behind the dashboard, GET /api/v1/readiness and
// `assay readiness`.
func (a *App) Readiness(ctx context.Context, p Principal) (ReadinessView, error) {
	if !p.User.Can(assay.ActionRead, nil) {
		return ReadinessView{}, assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not show readiness.", p.User.Role)
	}
	return a.readiness(ctx, p.Org)
}

// OrgReadiness is Readiness for the system itself (the CLI run by the
// operator, with no user to act as).
func (a *App) OrgReadiness(ctx context.Context, org store.OrgStore) (ReadinessView, error) {
	return a.readiness(ctx, org)
}

// readiness is computed once per change and minute (rules.Cache): the
// view is shared by every request that finds the same, so nobody changes it.
func (a *App) readiness(ctx context.Context, org store.OrgStore) (ReadinessView, error) {
	org = a.sharedReads(ctx, org) // each table the rules share is read once until it changes
	return rules.Derived(org, "readiness", func() (ReadinessView, error) { return a.computeReadiness(ctx, org) })
}

func (a *App) computeReadiness(ctx context.Context, org store.OrgStore) (ReadinessView, error) {
	o, err := org.Organization(ctx)
	if err != nil {
		return ReadinessView{}, err
	}
	controls, err := org.Controls(ctx, assay.ControlFilter{})
	if err != nil {
		return ReadinessView{}, err
	}
	now := a.clock.Now()
	rule, err := a.Rule(ctx, org, now)
	if err != nil {
		return ReadinessView{}, err
	}
	return ReadinessView{Readiness: rule.Compute(now, a.criteria, o.Scope, controls), Organization: o, Controls: controls, AsOf: now}, nil
}

// Rule is the base rule with every condition the organisation's records
// impose at now: current evidence, the registers, incidents, policies,
// people, access reviews and failing checks.
func (a *App) Rule(ctx context.Context, org store.OrgStore, now time.Time) (assay.ReadinessRule, error) {
	checks, err := a.Checks(ctx, org)
	if err != nil {
		return a.rule, fmt.Errorf("readiness: %w", err)
	}
	return rules.FullRule(ctx, rules.Memo(org), now, checks, a.rule)
}

// sharedReads is org reading the tables the readiness rules share from
// the snapshot of its latest change (rules.Cache), or once for this
// request when the store cannot tell its latest change.
func (a *App) sharedReads(ctx context.Context, org store.OrgStore) store.OrgStore {
	shared, _, _ := a.reads.Shared(ctx, org, a.clock.Now())
	return shared
}

// SharedReads is org reading through the snapshot of its latest change,
// for pages that read the shared tables more than once.
func (a *App) SharedReads(ctx context.Context, org store.OrgStore) store.OrgStore {
	return a.sharedReads(ctx, org)
}
