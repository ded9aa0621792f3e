package app

import (
	"context"
	"slices"

	"github.com/assay-platform/assay"
)

// PolicyAcceptances is the acceptances of one policy (or of all) with the
// acceptance figures (the API's GET .../acceptances).
type PolicyAcceptances struct {
	Acceptances []assay.PolicyAcceptance `json:"acceptances"`
	Count       int                      `json:"count"`
	Figures     []assay.PolicyFigure     `json:"figures"`
}

// PolicyAcceptances lists the acceptances of a policy (0: of every
// policy), newest first, with the figures of the policies concerned.
func (a *App) PolicyAcceptances(ctx context.Context, p Principal, policyID int64) (PolicyAcceptances, error) {
	if err := mayReadPolicies(p); err != nil {
		return PolicyAcceptances{}, err
	}
	list, err := p.Org.PolicyAcceptances(ctx, policyID)
	if err != nil {
		return PolicyAcceptances{}, err
	}
	figs, err := p.Org.PolicyFigures(ctx)
	if err != nil {
		return PolicyAcceptances{}, err
	}
	if policyID != 0 {
		figs = slices.DeleteFunc(figs, func(f assay.PolicyFigure) bool { return f.PolicyID != policyID })
	}
	if figs == nil {
		figs = []assay.PolicyFigure{}
	}
	return PolicyAcceptances{Acceptances: list, Count: len(list), Figures: figs}, nil
}

// PolicyAcceptancesPage is PolicyAcceptances one page at a time, in id
// order (the API's pages): at most limit acceptances with ids above
// after, and whether more follow; the figures are all of them.
func (a *App) PolicyAcceptancesPage(ctx context.Context, p Principal, policyID, after int64, limit int) (PolicyAcceptances, bool, error) {
	if err := mayReadPolicies(p); err != nil {
		return PolicyAcceptances{}, false, err
	}
	list, more, err := p.Org.PolicyAcceptancesPage(ctx, policyID, after, limit)
	if err != nil {
		return PolicyAcceptances{}, false, err
	}
	figs, err := p.Org.PolicyFigures(ctx)
	if err != nil {
		return PolicyAcceptances{}, false, err
	}
	if policyID != 0 {
		figs = slices.DeleteFunc(figs, func(f assay.PolicyFigure) bool { return f.PolicyID != policyID })
	}
	if figs == nil {
		figs = []assay.PolicyFigure{}
	}
	return PolicyAcceptances{Acceptances: list, Count: len(list), Figures: figs}, more, nil
}

// RecordPolicyAcceptance records, on the person's behalf, that they
// accepted a version of the policy (a signed paper copy, for example):
// admins only. Version 0 is the published version.
func (a *App) RecordPolicyAcceptance(ctx context.Context, p Principal, policyID, personID, versionID int64) (assay.PolicyAcceptance, error) {
	if err := mayManagePolicies(p); err != nil {
		return assay.PolicyAcceptance{}, err
	}
	v, err := publishedOr(ctx, p, policyID, versionID)
	if err != nil {
		return assay.PolicyAcceptance{}, err
	}
	return p.Org.AcceptPolicy(ctx, p.Actor(), personID, v.ID)
}

// publishedOr is the version of the policy, or with id 0 its published one.
func publishedOr(ctx context.Context, p Principal, policyID, versionID int64) (assay.PolicyVersion, error) {
	if versionID != 0 {
		return policyVersion(ctx, p, policyID, versionID)
	}
	pol, err := p.Org.Policy(ctx, policyID)
	if err != nil {
		return assay.PolicyVersion{}, err
	}
	if pol.Published == nil {
		return assay.PolicyVersion{}, assay.Errorf(assay.ECONFLICT, "%q has no published version to accept.", pol.Title)
	}
	return *pol.Published, nil
}

// PortalPolicy is a published version as the person it applies to reads
// it, and whether they still have to accept it.
type PortalPolicy struct {
	Person  assay.Person        `json:"person"`
	Version assay.PolicyVersion `json:"version"`
	Pending bool                `json:"pending"`
}

// acceptingPerson is the person on the roster the principal is (by
// email): who accepts a policy for themself.
func (a *App) acceptingPerson(ctx context.Context, p Principal) (assay.Person, error) {
	if p.User.Email == "" {
		return assay.Person{}, assay.Errorf(assay.EFORBIDDEN, "Only a person acts for themself: act as them (--as EMAIL).")
	}
	person, err := p.Org.PersonByEmail(ctx, p.User.Email)
	if assay.ErrorCode(err) == assay.ENOTFOUND {
		return person, assay.Errorf(assay.ENOTFOUND, "Sorry, your account is not linked to anyone on the roster: ask an administrator to add %s to People.", p.User.Email)
	}
	return person, err
}

// PortalPolicy is a published version for the signed-in person: a person
// reads and accepts only what applies to them (anything else is not
// found, whatever its id).
func (a *App) PortalPolicy(ctx context.Context, p Principal, versionID int64) (PortalPolicy, error) {
	if err := mayUsePortal(p); err != nil {
		return PortalPolicy{}, err
	}
	person, err := a.acceptingPerson(ctx, p)
	if err != nil {
		return PortalPolicy{}, err
	}
	v, err := p.Org.PolicyVersion(ctx, versionID)
	if err != nil {
		return PortalPolicy{}, err
	}
	pol, err := p.Org.Policy(ctx, v.PolicyID)
	if err != nil {
		return PortalPolicy{}, err
	}
	if v.Status != assay.PolicyPublished || !pol.AppliesTo.Matches(person.Department, string(person.EmploymentType)) {
		return PortalPolicy{}, assay.Errorf(assay.ENOTFOUND, "Policy not found.")
	}
	todo, err := p.Org.PoliciesToAccept(ctx, person.ID)
	if err != nil {
		return PortalPolicy{}, err
	}
	pending := slices.ContainsFunc(todo, func(x assay.PolicyVersion) bool { return x.ID == v.ID })
	return PortalPolicy{Person: person, Version: v, Pending: pending}, nil
}

// AcceptPolicyVersion: the signed-in person accepts a published version
// that applies to them, for themself only. Accepting again returns the
// first acceptance.
func (a *App) AcceptPolicyVersion(ctx context.Context, p Principal, versionID int64) (assay.PolicyAcceptance, error) {
	pp, err := a.PortalPolicy(ctx, p, versionID)
	if err != nil {
		return assay.PolicyAcceptance{}, err
	}
	return p.Org.AcceptPolicy(ctx, p.Actor(), pp.Person.ID, pp.Version.ID)
}

// AcceptPolicy: the signed-in person accepts the policy's published
// version, for themself.
func (a *App) AcceptPolicy(ctx context.Context, p Principal, policyID int64) (assay.PolicyAcceptance, error) {
	if err := mayUsePortal(p); err != nil {
		return assay.PolicyAcceptance{}, err
	}
	pol, err := p.Org.Policy(ctx, policyID)
	if err != nil {
		return assay.PolicyAcceptance{}, err
	}
	if pol.Published == nil {
		if mayReadPolicies(p) != nil {
			return assay.PolicyAcceptance{}, assay.Errorf(assay.ENOTFOUND, "Policy not found.")
		}
		return assay.PolicyAcceptance{}, assay.Errorf(assay.ECONFLICT, "%q has no published version to accept.", pol.Title)
	}
	return a.AcceptPolicyVersion(ctx, p, pol.Published.ID)
}
