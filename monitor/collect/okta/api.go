package okta

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/assay-platform/assay/monitor/collect/apiclient"
)

// client is a minimal Okta REST client: GETs of JSON, following
// Link rel="next" to the end.
type client struct {
	base *url.URL
	http *http.Client
}

// Permissions each read needs (Okta API tokens act with the rights of the
// administrator who made them).
const (
	permUsers    = "an API token of an administrator who may read users (Read-only Administrator, or a custom role with okta.users.read)"
	permRoles    = "an API token of an administrator who may read role assignments (Read-only Administrator, or a custom role with okta.roles.read)"
	permPolicies = "an API token of an administrator who may read policies (Read-only Administrator, or a custom role with okta.policies.read)"
)

// apiError is Okta's error body.
type apiError struct {
	Code    string `json:"errorCode"`
	Summary string `json:"errorSummary"`
}

// getAll reads every page of path (with query) into out, a pointer to a
// slice, and reports how many pages it read.
func getAll[T any](ctx context.Context, c *client, path string, perm string) ([]T, error) {
	next, err := c.base.Parse(path)
	if err != nil {
		return nil, err
	}
	var out []T
	for pages := 0; next != nil; pages++ {
		if pages > 10_000 {
			return nil, fmt.Errorf("%w: GET %s: more than 10,000 pages", apiclient.ErrPartial, path)
		}
		var page []T
		link, err := c.get(ctx, next, perm, &page)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		next = nil
		if link != "" {
			u, err := c.base.Parse(link)
			// A next link to another host would take the token away: refuse it.
			if err != nil || u.Host != c.base.Host || u.Scheme != c.base.Scheme {
				return nil, fmt.Errorf("%w: GET %s: the next page's link %q is not on %s", apiclient.ErrPartial, path, link, c.base.Host)
			}
			next = u
		}
	}
	return out, nil
}

// get reads one page and returns the Link rel="next" URL ("" at the end).
func (c *client) get(ctx context.Context, u *url.URL, perm string, out any) (string, error) {
	what := "GET " + u.Path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", fmt.Errorf("%w: %s: %v", apiclient.ErrPartial, what, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("%w: %w", apiclient.ErrPartial, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e apiError
		_ = json.NewDecoder(resp.Body).Decode(&e)
		switch resp.StatusCode {
		case http.StatusUnauthorized:
			return "", fmt.Errorf("%w: %s: Okta refused the token (401 %s %s); make a new API token", apiclient.ErrPartial, what, e.Code, e.Summary)
		case http.StatusForbidden, http.StatusNotFound:
			return "", fmt.Errorf("%w: %s: Okta answered %d (%s %s); the collector needs %s", apiclient.ErrPartial, what, resp.StatusCode, e.Code, e.Summary, perm)
		case http.StatusTooManyRequests:
			return "", fmt.Errorf("%w: %s: Okta's rate limit was still exceeded after waiting", apiclient.ErrPartial, what)
		}
		return "", fmt.Errorf("%w: %s: Okta answered %d (%s %s)", apiclient.ErrPartial, what, resp.StatusCode, e.Code, e.Summary)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return "", fmt.Errorf("%w: %s: the answer is not the JSON Okta documents: %v", apiclient.ErrPartial, what, err)
	}
	return nextLink(resp.Header.Values("Link")), nil
}

// nextLink finds rel="next" in Link headers (Okta sends one header per
// link: rel="self" and rel="next").
func nextLink(values []string) string {
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			segs := strings.Split(strings.TrimSpace(part), ";")
			if len(segs) < 2 {
				continue
			}
			target := strings.TrimSpace(segs[0])
			if !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				continue
			}
			for _, s := range segs[1:] {
				if strings.ReplaceAll(strings.TrimSpace(s), " ", "") == `rel="next"` {
					return target[1 : len(target)-1]
				}
			}
		}
	}
	return ""
}
