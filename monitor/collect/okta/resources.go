package okta

import (
	"context"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/assay-platform/assay"
)

// user is the part of Okta's User object the checks read.
type user struct {
	ID        string     `json:"id"`
	Status    string     `json:"status"`
	Created   *time.Time `json:"created"`
	LastLogin *time.Time `json:"lastLogin"`
	Profile   struct {
		Login string `json:"login"`
		Email string `json:"email"`
	} `json:"profile"`
}

type factor struct {
	FactorType string `json:"factorType"`
	Status     string `json:"status"`
}

type role struct {
	Type   string `json:"type"`
	Label  string `json:"label"`
	Status string `json:"status"`
}

type policy struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Status   string `json:"status"`
	Priority int64  `json:"priority"`
	System   bool   `json:"system"`
	Settings struct {
		Password struct {
			Complexity struct {
				MinLength int64 `json:"minLength"`
			} `json:"complexity"`
			Lockout struct {
				MaxAttempts int64 `json:"maxAttempts"`
			} `json:"lockout"`
		} `json:"password"`
	} `json:"settings"`
}

// activeStatuses are the user statuses that can sign in (or will once a
// password is reset or the lock expires).
var activeStatuses = []string{"ACTIVE", "RECOVERY", "PASSWORD_EXPIRED", "LOCKED_OUT"}

// weakFactors do not count as a second factor.
var weakFactors = []string{"question"}

// userWorkers is how many users' factors and roles are read at once.
const userWorkers = 4

// pageSize is the most users Okta serves a page.
const pageSize = "200"

func collect(ctx context.Context, c *client, now time.Time) ([]assay.Resource, error) {
	// The plain list leaves deprovisioned users out; they are asked for
	// apart (Okta's filter on status), since one can still hold a role.
	users, err := getAll[user](ctx, c, "/api/v1/users?limit="+pageSize, permUsers)
	if err != nil {
		return nil, err
	}
	gone, err := getAll[user](ctx, c, "/api/v1/users?limit="+pageSize+"&filter="+url.QueryEscape(`status eq "DEPROVISIONED"`), permUsers)
	if err != nil {
		return nil, err
	}
	users = append(users, gone...)
	// Each user costs two requests: a few at a time keep a large
	// organisation within the run's timeout and well inside Okta's limits.
	out := make([]assay.Resource, len(users))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(userWorkers)
	for i, u := range users {
		g.Go(func() error {
			res, err := userResource(gctx, c, u, now)
			out[i] = res
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	policies, err := getAll[policy](ctx, c, "/api/v1/policies?type=PASSWORD", permPolicies)
	if err != nil {
		return nil, err
	}
	for _, p := range policies {
		pw := p.Settings.Password
		out = append(out, assay.Resource{Kind: KindPolicy, ID: p.ID, Name: p.Name, Attrs: map[string]any{
			"name":         p.Name,
			"status":       p.Status,
			"priority":     p.Priority,
			"system":       p.System,
			"min_length":   pw.Complexity.MinLength,
			"max_attempts": pw.Lockout.MaxAttempts,
		}})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

func userResource(ctx context.Context, c *client, u user, now time.Time) (assay.Resource, error) {
	id := url.PathEscape(u.ID)
	var factors []factor
	if u.Status != "DEPROVISIONED" {
		var err error
		if factors, err = getAll[factor](ctx, c, "/api/v1/users/"+id+"/factors", permUsers); err != nil {
			return assay.Resource{}, err
		}
	}
	roles, err := getAll[role](ctx, c, "/api/v1/users/"+id+"/roles", permRoles)
	if err != nil {
		return assay.Resource{}, err
	}
	enrolled, mfa := []any{}, false
	for _, f := range factors {
		if f.Status != "ACTIVE" {
			continue
		}
		enrolled = append(enrolled, f.FactorType)
		if !slices.Contains(weakFactors, f.FactorType) {
			mfa = true
		}
	}
	held := []any{}
	for _, r := range roles {
		if r.Status == "" || r.Status == "ACTIVE" {
			held = append(held, r.Type)
		}
	}
	login := u.Profile.Login
	if login == "" {
		login = u.ID
	}
	days := func(t *time.Time) int64 { return int64(now.Sub(*t) / (24 * time.Hour)) }
	last, never := int64(0), u.LastLogin == nil
	switch {
	case !never:
		last = days(u.LastLogin)
	case u.Created != nil:
		last = days(u.Created)
	}
	return assay.Resource{Kind: KindUser, ID: strings.ToLower(login), Name: login, Attrs: map[string]any{
		"login":           login,
		"email":           strings.ToLower(u.Profile.Email),
		"status":          u.Status,
		"active":          slices.Contains(activeStatuses, u.Status),
		"factors":         enrolled,
		"mfa":             mfa,
		"roles":           held,
		"admin":           len(held) > 0,
		"last_login_days": last,
		"never_logged_in": never,
	}}, nil
}
