package app

import (
	"context"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
)

// PolicyVersion is one version of the policy; a version of another policy
// is not found, whatever its id.
func (a *App) PolicyVersion(ctx context.Context, p Principal, policyID, versionID int64) (assay.PolicyVersion, error) {
	if err := mayReadPolicies(p); err != nil {
		return assay.PolicyVersion{}, err
	}
	return policyVersion(ctx, p, policyID, versionID)
}

func policyVersion(ctx context.Context, p Principal, policyID, versionID int64) (assay.PolicyVersion, error) {
	v, err := p.Org.PolicyVersion(ctx, versionID)
	if err != nil || v.PolicyID != policyID {
		if err == nil || assay.ErrorCode(err) == assay.ENOTFOUND {
			return assay.PolicyVersion{}, assay.Errorf(assay.ENOTFOUND, "Policy version not found.")
		}
		return assay.PolicyVersion{}, err
	}
	return v, nil
}

// FindPolicyVersion is the version of the policy named by ref: its number
// ("1.2"), its id ("17"), or "" for the latest.
func (a *App) FindPolicyVersion(ctx context.Context, p Principal, policyID int64, ref string) (assay.PolicyVersion, error) {
	if err := mayReadPolicies(p); err != nil {
		return assay.PolicyVersion{}, err
	}
	versions, err := p.Org.PolicyVersions(ctx, policyID)
	if err != nil {
		return assay.PolicyVersion{}, err
	}
	return pickVersion(versions, "version", strings.TrimSpace(ref), 0)
}

// pickVersion finds ref among versions (newest first); "" is the def-th
// newest (or the oldest there is).
func pickVersion(versions []assay.PolicyVersion, field, ref string, def int) (assay.PolicyVersion, error) {
	if len(versions) == 0 {
		return assay.PolicyVersion{}, assay.Errorf(assay.ENOTFOUND, "The policy has no versions.")
	}
	if ref == "" {
		return versions[min(def, len(versions)-1)], nil
	}
	for _, v := range versions {
		if v.Version == ref || strconv.FormatInt(v.ID, 10) == ref {
			return v, nil
		}
	}
	return assay.PolicyVersion{}, assay.Invalid(field, "Version %s is not a version of this policy.", ref)
}

// EditPolicy changes the open draft, or starts a new draft version when
// the latest is published or retired (e.Bump "minor" or "major", with a
// changelog).
func (a *App) EditPolicy(ctx context.Context, p Principal, id int64, e assay.PolicyEdit) (assay.PolicyVersion, error) {
	if err := mayManagePolicies(p); err != nil {
		return assay.PolicyVersion{}, err
	}
	return p.Org.EditPolicy(ctx, p.Actor(), id, e)
}

// MovePolicyVersion moves a version of the policy along its lifecycle:
// draft, in_review, approved (by someone other than its last editor),
// published (retiring the version in force), retired.
func (a *App) MovePolicyVersion(ctx context.Context, p Principal, policyID, versionID int64, to assay.PolicyStatus) (assay.PolicyVersion, error) {
	if err := mayManagePolicies(p); err != nil {
		return assay.PolicyVersion{}, err
	}
	v, err := policyVersion(ctx, p, policyID, versionID)
	if err != nil {
		return v, err
	}
	if err := mayMovePolicyVersion(p, v, to); err != nil {
		return v, err
	}
	return p.Org.MovePolicyVersion(ctx, p.Actor(), versionID, to)
}

// PolicyDiff is what changed between two versions of a policy.
type PolicyDiff struct {
	PolicyID int64                 `json:"policy_id"`
	From     assay.PolicyVersion   `json:"from"`
	To       assay.PolicyVersion   `json:"to"`
	Lines    []assay.DiffLine      `json:"lines"`
	Added    int                   `json:"added"`
	Removed  int                   `json:"removed"`
	Versions []assay.PolicyVersion `json:"-"` // every version, for a selector
}

// DiffPolicy compares two versions named as FindPolicyVersion takes them;
// by default the previous version and the latest.
func (a *App) DiffPolicy(ctx context.Context, p Principal, policyID int64, from, to string) (PolicyDiff, error) {
	if err := mayReadPolicies(p); err != nil {
		return PolicyDiff{}, err
	}
	versions, err := p.Org.PolicyVersions(ctx, policyID)
	if err != nil {
		return PolicyDiff{}, err
	}
	d := PolicyDiff{PolicyID: policyID, Versions: versions}
	if d.From, err = pickVersion(versions, "from", strings.TrimSpace(from), 1); err != nil {
		return d, err
	}
	if d.To, err = pickVersion(versions, "to", strings.TrimSpace(to), 0); err != nil {
		return d, err
	}
	d.Lines = assay.DiffLines(d.From.Body, d.To.Body)
	d.Added, d.Removed = assay.DiffStats(d.Lines)
	return d, nil
}

// PolicyDownload is a version that may be downloaded (published, or in
// force once and since retired) with the organisation's name for its
// header.
func (a *App) PolicyDownload(ctx context.Context, p Principal, policyID, versionID int64) (org string, v assay.PolicyVersion, err error) {
	if v, err = a.PolicyVersion(ctx, p, policyID, versionID); err != nil {
		return "", v, err
	}
	if v.Status != assay.PolicyPublished && v.Status != assay.PolicyRetired || v.PublishedAt == nil {
		return "", v, assay.Errorf(assay.ECONFLICT, "Version %s is not published; only published versions can be downloaded.", v.Version)
	}
	o, err := p.Org.Organization(ctx)
	if err != nil {
		return "", v, err
	}
	return o.Name, v, nil
}
