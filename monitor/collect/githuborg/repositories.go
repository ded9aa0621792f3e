package githuborg

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/google/go-github/v75/github"

	"github.com/assay-platform/assay"
)

// alertAges is the age in days of the oldest open alert of each severity
// in one repository, and how many are open.
type alertAges struct {
	oldest map[string]int64
	open   map[string]int64
}

// repositories lists the organisation's repositories with their default
// branch protection and open Dependabot and secret-scanning alerts.
func (g *gather) repositories(ctx context.Context) ([]assay.Resource, error) {
	repos, err := pages(ctx, func(page int, _ string) ([]*github.Repository, *github.Response, error) {
		return g.gh.Repositories.ListByOrg(ctx, g.s.org, &github.RepositoryListByOrgOptions{Type: "all",
			ListOptions: github.ListOptions{Page: page, PerPage: perPage}})
	})
	if err != nil {
		return nil, fail("list repositories", permMetadata, err)
	}
	deps, err := g.dependabot(ctx)
	if err != nil {
		return nil, err
	}
	secrets, err := g.secretAlerts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]assay.Resource, 0, len(repos))
	for _, r := range repos {
		res, err := g.repository(ctx, r, deps[strings.ToLower(r.GetName())], secrets[strings.ToLower(r.GetName())])
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}

func (g *gather) repository(ctx context.Context, r *github.Repository, deps alertAges, secretAlerts int64) (assay.Resource, error) {
	name := r.GetName()
	visibility := r.GetVisibility()
	if visibility == "" {
		visibility = "public"
		if r.GetPrivate() {
			visibility = "private"
		}
	}
	attrs := map[string]any{
		"name":                            name,
		"visibility":                      visibility,
		"archived":                        r.GetArchived(),
		"default_branch":                  r.GetDefaultBranch(),
		"public_allowed":                  g.s.publicAllowed[strings.ToLower(name)],
		"protected":                       false,
		"required_reviews":                int64(0),
		"required_status_checks":          false,
		"allow_force_pushes":              true,
		"allow_deletions":                 true,
		"dependabot_critical":             deps.open["critical"],
		"dependabot_high":                 deps.open["high"],
		"dependabot_critical_oldest_days": deps.oldest["critical"],
		"dependabot_high_oldest_days":     deps.oldest["high"],
		"secret_scanning_open":            secretAlerts,
	}
	// An archived repository is read-only: its protection does not matter.
	if branch := r.GetDefaultBranch(); branch != "" && !r.GetArchived() {
		p, _, err := g.gh.Repositories.GetBranchProtection(ctx, g.s.org, name, branch)
		var er *github.ErrorResponse
		switch {
		case errors.Is(err, github.ErrBranchNotProtected),
			errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotFound:
			// 404: the branch is not protected.
		case err != nil:
			return assay.Resource{}, fail("read the protection of "+name+"'s branch "+branch, permAdminRepo, err)
		default:
			attrs["protected"] = true
			if rv := p.GetRequiredPullRequestReviews(); rv != nil {
				attrs["required_reviews"] = int64(rv.RequiredApprovingReviewCount)
			}
			attrs["required_status_checks"] = p.GetRequiredStatusChecks() != nil
			attrs["allow_force_pushes"] = p.GetAllowForcePushes() != nil && p.GetAllowForcePushes().Enabled
			attrs["allow_deletions"] = p.GetAllowDeletions() != nil && p.GetAllowDeletions().Enabled
		}
	}
	return assay.Resource{Kind: KindRepository, ID: strings.ToLower(g.s.org + "/" + name), Name: g.s.org + "/" + name, Attrs: attrs}, nil
}

// dependabot reads the organisation's open Dependabot alerts by
// repository (lower-cased name).
func (g *gather) dependabot(ctx context.Context) (map[string]alertAges, error) {
	state := "open"
	alerts, err := pages(ctx, func(_ int, after string) ([]*github.DependabotAlert, *github.Response, error) {
		return g.gh.Dependabot.ListOrgAlerts(ctx, g.s.org, &github.ListAlertsOptions{State: &state,
			ListCursorOptions: github.ListCursorOptions{PerPage: perPage, After: after}})
	})
	if err != nil {
		return nil, fail("list Dependabot alerts", permDependabot, err)
	}
	out := map[string]alertAges{}
	for _, a := range alerts {
		repo := strings.ToLower(a.GetRepository().GetName())
		sev := strings.ToLower(a.GetSecurityAdvisory().GetSeverity())
		if v := a.GetSecurityVulnerability(); v != nil && v.GetSeverity() != "" {
			sev = strings.ToLower(v.GetSeverity())
		}
		ages, ok := out[repo]
		if !ok {
			ages = alertAges{oldest: map[string]int64{}, open: map[string]int64{}}
			out[repo] = ages
		}
		ages.open[sev]++
		days := int64(0)
		if a.CreatedAt != nil {
			days = int64(g.now.Sub(a.CreatedAt.Time) / (24 * time.Hour))
		}
		if days > ages.oldest[sev] {
			ages.oldest[sev] = days
		}
	}
	return out, nil
}

// secretAlerts counts the open secret-scanning alerts by repository.
func (g *gather) secretAlerts(ctx context.Context) (map[string]int64, error) {
	alerts, err := pages(ctx, func(_ int, after string) ([]*github.SecretScanningAlert, *github.Response, error) {
		return g.gh.SecretScanning.ListAlertsForOrg(ctx, g.s.org, &github.SecretScanningAlertListOptions{State: "open",
			ListCursorOptions: github.ListCursorOptions{PerPage: perPage, After: after}})
	})
	if err != nil {
		return nil, fail("list secret-scanning alerts", permSecrets, err)
	}
	out := map[string]int64{}
	for _, a := range alerts {
		out[strings.ToLower(a.GetRepository().GetName())]++
	}
	return out, nil
}
