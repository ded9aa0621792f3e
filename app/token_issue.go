package app

import (
	"context"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
)

// NewAPIToken is what is asked for when a token is made.
type NewAPIToken struct {
	UserID  int64
	Name    string
	Scope   string // read-only or read-write (empty: read-write)
	Expires string // "" (90 days), a number of days, a date, or "never" (admins only)
}

// IssueAPIToken makes an API token and returns its secret, shown once
// (admins; the store keeps only its hash). The expiry and scope rules are
// assay.TokenExpiry and assay.ParseTokenScope.
func (a *App) IssueAPIToken(ctx context.Context, p Principal, in NewAPIToken) (string, assay.APIToken, error) {
	if err := mayManageUsers(p); err != nil {
		return "", assay.APIToken{}, err
	}
	return a.issueAPIToken(ctx, p.Org, p.Actor(), p.User.Role, in)
}

// IssueAPITokenAsOperator is `assay token create`: whoever runs the
// binary on the database is its operator; "never" is still allowed only
// for an admin's token.
func (a *App) IssueAPITokenAsOperator(ctx context.Context, u assay.User, in NewAPIToken) (string, assay.APIToken, error) {
	in.UserID = u.ID
	return a.issueAPIToken(ctx, a.store.Org(u.OrgID), assay.Actor{Name: "assay token create", Via: "cli"}, u.Role, in)
}

func (a *App) issueAPIToken(ctx context.Context, org interface {
	CreateAPIToken(context.Context, assay.Actor, assay.APIToken, string) (assay.APIToken, error)
}, actor assay.Actor, role assay.Role, in NewAPIToken) (string, assay.APIToken, error) {
	scope, err := assay.ParseTokenScope(in.Scope)
	if err != nil {
		return "", assay.APIToken{}, err
	}
	exp, err := assay.TokenExpiry(a.clock.Now(), in.Expires, role)
	if err != nil {
		return "", assay.APIToken{}, err
	}
	secret := auth.NewToken(auth.PrefixAPIToken)
	t := assay.APIToken{UserID: in.UserID, Name: in.Name, Scope: scope, ExpiresAt: exp, Prefix: secret[:len(auth.PrefixAPIToken)+4]}
	t, err = org.CreateAPIToken(ctx, actor, t, auth.HashToken(secret))
	return secret, t, err
}
