package githuborg

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/go-github/v75/github"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/apiclient"
)

// perPage is the largest page GitHub serves.
const perPage = 100

// Permissions each read needs: the fine-grained token's permission, then
// the classic token's scope.
const (
	permMembers    = `the "Members" organization permission (read), or the classic scope read:org; outside collaborators and 2FA status are shown to organization owners only`
	permOrgAdmin   = `the "Administration" organization permission (read), or the classic scope read:org with an organization owner's token`
	permMetadata   = `the "Metadata" repository permission (read), or the classic scope repo`
	permAdminRepo  = `the "Administration" repository permission (read), or the classic scope repo`
	permDependabot = `the "Dependabot alerts" repository permission (read), or the classic scope security_events`
	permSecrets    = `the "Secret scanning alerts" repository permission (read), or the classic scope security_events`
)

// gather is one collection.
type gather struct {
	s   settings
	gh  *github.Client
	now time.Time
}

// fail explains a request that failed: a permission it lacks, a rate
// limit it could not wait out, or the error itself.
func fail(what, perm string, err error) error {
	var er *github.ErrorResponse
	var rl *github.RateLimitError
	var ab *github.AbuseRateLimitError
	switch {
	case errors.As(err, &rl), errors.As(err, &ab):
		return fmt.Errorf("%w: %s: GitHub's rate limit was still exceeded after waiting: %w", apiclient.ErrPartial, what, err)
	case errors.As(err, &er) && er.Response != nil && (er.Response.StatusCode == http.StatusForbidden || er.Response.StatusCode == http.StatusNotFound):
		return fmt.Errorf("%w: %s: GitHub answered %d (%s); the token needs %s", apiclient.ErrPartial, what, er.Response.StatusCode, er.Message, perm)
	}
	return fmt.Errorf("%w: %s: %w", apiclient.ErrPartial, what, err)
}

// pages calls list until GitHub's Link header names no next page (by page
// number or by cursor).
func pages[T any](ctx context.Context, list func(page int, after string) ([]T, *github.Response, error)) ([]T, error) {
	var out []T
	page, after := 0, ""
	for n := 0; ; n++ {
		if n > 10_000 {
			return nil, errors.New("more than 10,000 pages")
		}
		items, resp, err := list(page, after)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
		switch {
		case resp == nil:
			return out, nil
		case resp.NextPage != 0:
			page = resp.NextPage
		case resp.After != "":
			after = resp.After
		default:
			return out, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
}

func (g *gather) members(ctx context.Context, role, filter string) ([]*github.User, error) {
	return pages(ctx, func(page int, _ string) ([]*github.User, *github.Response, error) {
		return g.gh.Organizations.ListMembers(ctx, g.s.org, &github.ListMembersOptions{Role: role, Filter: filter,
			ListOptions: github.ListOptions{Page: page, PerPage: perPage}})
	})
}

func (g *gather) outside(ctx context.Context, filter string) ([]*github.User, error) {
	return pages(ctx, func(page int, _ string) ([]*github.User, *github.Response, error) {
		return g.gh.Organizations.ListOutsideCollaborators(ctx, g.s.org, &github.ListOutsideCollaboratorsOptions{Filter: filter,
			ListOptions: github.ListOptions{Page: page, PerPage: perPage}})
	})
}

func logins(users []*github.User) map[string]bool {
	out := map[string]bool{}
	for _, u := range users {
		out[strings.ToLower(u.GetLogin())] = true
	}
	return out
}

// all reads everything, in the order the README lists.
func (g *gather) all(ctx context.Context) ([]assay.Resource, error) {
	org, _, err := g.gh.Organizations.Get(ctx, g.s.org)
	if err != nil {
		return nil, fail("read organization "+g.s.org, permOrgAdmin, err)
	}
	everyone, err := g.members(ctx, "all", "")
	if err != nil {
		return nil, fail("list members", permMembers, err)
	}
	owners, err := g.members(ctx, "admin", "")
	if err != nil {
		return nil, fail("list owners", permMembers, err)
	}
	no2fa, err := g.members(ctx, "all", "2fa_disabled")
	if err != nil {
		return nil, fail("list members without two-factor authentication", permMembers, err)
	}
	collaborators, err := g.outside(ctx, "")
	if err != nil {
		return nil, fail("list outside collaborators", permMembers, err)
	}
	collabNo2fa, err := g.outside(ctx, "2fa_disabled")
	if err != nil {
		return nil, fail("list outside collaborators without two-factor authentication", permMembers, err)
	}
	repos, err := g.repositories(ctx)
	if err != nil {
		return nil, err
	}
	ownerSet, noMFA := logins(owners), logins(no2fa)
	for k := range logins(collabNo2fa) {
		noMFA[k] = true
	}
	var out []assay.Resource
	var outsideNames []string
	for _, u := range everyone {
		out = append(out, g.member(u, ownerSet, noMFA, false))
	}
	for _, u := range collaborators {
		out = append(out, g.member(u, ownerSet, noMFA, true))
		outsideNames = append(outsideNames, u.GetLogin())
	}
	slices.Sort(outsideNames)
	twoFactor, known := org.TwoFactorRequirementEnabled, org.TwoFactorRequirementEnabled != nil
	if !known {
		monitor.Note(ctx, "GitHub did not say whether organization %s requires two-factor authentication (only owners see it); it is judged not required.", g.s.org)
	}
	outsideAny := make([]any, len(outsideNames))
	for i, n := range outsideNames {
		outsideAny[i] = n
	}
	out = append(out, assay.Resource{Kind: KindOrg, ID: strings.ToLower(g.s.org), Name: g.s.org, Attrs: map[string]any{
		"login":                       g.s.org,
		"two_factor_required":         twoFactor != nil && *twoFactor,
		"members":                     int64(len(everyone)),
		"owners":                      int64(len(owners)),
		"max_owners":                  int64(g.s.maxOwners),
		"members_without_2fa":         int64(len(no2fa)),
		"outside_collaborators":       outsideAny,
		"outside_collaborators_count": int64(len(collaborators)),
		"repositories":                int64(len(repos)),
	}})
	out = append(out, repos...)
	sortResources(out)
	return out, nil
}

func (g *gather) member(u *github.User, owners, noMFA map[string]bool, outside bool) assay.Resource {
	login := u.GetLogin()
	key := strings.ToLower(login)
	role := "member"
	switch {
	case outside:
		role = "outside collaborator"
	case owners[key]:
		role = "owner"
	}
	return assay.Resource{Kind: KindMember, ID: key, Name: login, Attrs: map[string]any{
		"login":      login,
		"role":       role,
		"owner":      !outside && owners[key],
		"outside":    outside,
		"two_factor": !noMFA[key],
		"approved":   !outside || g.s.approvedOutside[key],
	}}
}
