package store

import (
	"context"

	"github.com/assay-platform/assay"
)

// PolicyStore is the organisation's policies, their versions and the
// acceptances of the people they apply to.
type PolicyStore interface {
	// Policies lists every policy by title, each with its latest and its
	// published version.
	Policies(ctx context.Context) ([]assay.Policy, error)
	Policy(ctx context.Context, id int64) (assay.Policy, error)
	// AdoptPolicy creates a policy with version 1.0 as a draft of n.Body
	// (placeholders already filled by the caller).
	AdoptPolicy(ctx context.Context, actor assay.Actor, n assay.NewPolicy) (assay.Policy, error)
	// UpdatePolicy changes title, owner, scope or review cadence.
	UpdatePolicy(ctx context.Context, actor assay.Actor, id int64, p assay.PolicyPatch) (assay.Policy, error)
	// EditPolicy changes the open draft in place, or, when no version is
	// open (the latest is published or retired), starts a new draft
	// version numbered by e.Bump with e.Changelog required. A version in
	// review or approved must be sent back to draft first (ECONFLICT).
	EditPolicy(ctx context.Context, actor assay.Actor, id int64, e assay.PolicyEdit) (assay.PolicyVersion, error)
	// PolicyVersions lists a policy's versions, newest first.
	PolicyVersions(ctx context.Context, policyID int64) ([]assay.PolicyVersion, error)
	PolicyVersion(ctx context.Context, versionID int64) (assay.PolicyVersion, error)
	// MovePolicyVersion moves a version along its lifecycle. Approving
	// records the actor as approver and needs an actor other than the
	// version's last editor; publishing retires the previously published
	// version of the policy, fills {{effective_date}} and counts as a
	// review.
	MovePolicyVersion(ctx context.Context, actor assay.Actor, versionID int64, to assay.PolicyStatus) (assay.PolicyVersion, error)
	// ReviewPolicy records a review without changes of a published policy.
	ReviewPolicy(ctx context.Context, actor assay.Actor, id int64) (assay.Policy, error)

	// AcceptPolicy records that the person accepted a published version
	// that applies to them; accepting the same version again returns the
	// first acceptance.
	AcceptPolicy(ctx context.Context, actor assay.Actor, personID, versionID int64) (assay.PolicyAcceptance, error)
	// PolicyAcceptances lists acceptances of one policy (0: all), newest first.
	PolicyAcceptances(ctx context.Context, policyID int64) ([]assay.PolicyAcceptance, error)
	// PolicyAcceptancesPage is PolicyAcceptances one page at a time in
	// ascending id order: at most limit acceptances with ids above after,
	// reading only those; more reports whether others follow.
	PolicyAcceptancesPage(ctx context.Context, policyID, after int64, limit int) (list []assay.PolicyAcceptance, more bool, err error)
	// PoliciesToAccept lists the published versions that apply to the
	// person and whose major version they have not yet accepted.
	PoliciesToAccept(ctx context.Context, personID int64) ([]assay.PolicyVersion, error)
	// PolicyFigures gives, per published policy, how many of the active
	// people it applies to have accepted its current major version.
	PolicyFigures(ctx context.Context) ([]assay.PolicyFigure, error)
	// AcceptedMajors reads every acceptance as the major version of a
	// policy a person accepted, for computing the above for many people
	// at once (assay.PoliciesToAcceptFor, assay.PolicyFiguresFor).
	AcceptedMajors(ctx context.Context) (assay.AcceptedMajors, error)
}
