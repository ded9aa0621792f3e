package app

import (
	"context"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/store"
)

// SCIM provisioning: an identity provider, holding the organisation's SCIM
// token, creates, updates and deactivates users and pushes groups; an admin
// makes the token and maps groups to roles. The provider reaches only its
// own organisation's users (not engagement auditors), and every change is
// one transaction with its activity entry (store.SCIMStore).

// SCIMPrincipal is an identity provider that showed an organisation's SCIM
// token.
type SCIMPrincipal struct {
	OrgID int64
	Org   store.OrgStore
}

// SCIMPrincipalByToken finds the organisation behind a SCIM bearer token.
func (a *App) SCIMPrincipalByToken(ctx context.Context, secret string) (SCIMPrincipal, error) {
	secret = strings.TrimSpace(secret)
	if !strings.HasPrefix(secret, auth.PrefixSCIM) {
		return SCIMPrincipal{}, assay.Errorf(assay.EUNAUTHORIZED, "The SCIM token is not valid.")
	}
	org, err := a.store.OrgBySCIMToken(ctx, auth.HashToken(secret))
	if err != nil {
		return SCIMPrincipal{}, err
	}
	return SCIMPrincipal{OrgID: org, Org: a.store.Org(org)}, nil
}

// SCIMUsers lists the users an identity provider sees.
func (a *App) SCIMUsers(ctx context.Context, sp SCIMPrincipal) ([]assay.User, error) {
	return sp.Org.SCIMUsers(ctx)
}

// SCIMUser is one of them.
func (a *App) SCIMUser(ctx context.Context, sp SCIMPrincipal, id int64) (assay.User, error) {
	return sp.Org.SCIMUser(ctx, id)
}

// SCIMCreateUser provisions a user. They sign in through single sign-on or
// a password reset: the password they are given is random and never shown.
func (a *App) SCIMCreateUser(ctx context.Context, sp SCIMPrincipal, in assay.SCIMUser) (assay.User, error) {
	hash, err := auth.HashPassword(auth.NewToken("unusable_"), a.passwords)
	if err != nil {
		return assay.User{}, err
	}
	return sp.Org.CreateSCIMUser(ctx, assay.SCIMActor, in, hash)
}

// SCIMUpdateUser replaces a user's attributes; Active false deactivates
// them, ending their sessions and API tokens at once.
func (a *App) SCIMUpdateUser(ctx context.Context, sp SCIMPrincipal, id int64, in assay.SCIMUser) (assay.User, error) {
	return sp.Org.UpdateSCIMUser(ctx, assay.SCIMActor, id, in)
}

// SCIMDeleteUser deactivates a user and stops serving them over SCIM.
func (a *App) SCIMDeleteUser(ctx context.Context, sp SCIMPrincipal, id int64) error {
	return sp.Org.DeleteSCIMUser(ctx, assay.SCIMActor, id)
}

// SCIMGroups lists the groups.
func (a *App) SCIMGroups(ctx context.Context, sp SCIMPrincipal) ([]assay.SCIMGroup, error) {
	return sp.Org.SCIMGroups(ctx)
}

// SCIMGroup is one group.
func (a *App) SCIMGroup(ctx context.Context, sp SCIMPrincipal, id int64) (assay.SCIMGroup, error) {
	return sp.Org.SCIMGroup(ctx, id)
}

// SCIMPutGroup creates (ID 0) or replaces a group; members' roles follow
// the admin's mapping.
func (a *App) SCIMPutGroup(ctx context.Context, sp SCIMPrincipal, g assay.SCIMGroup) (assay.SCIMGroup, error) {
	return sp.Org.PutSCIMGroup(ctx, assay.SCIMActor, g)
}

// SCIMDeleteGroup removes a group.
func (a *App) SCIMDeleteGroup(ctx context.Context, sp SCIMPrincipal, id int64) error {
	return sp.Org.DeleteSCIMGroup(ctx, assay.SCIMActor, id)
}

// SCIMTokenInfo describes the organisation's SCIM token (admins).
func (a *App) SCIMTokenInfo(ctx context.Context, p Principal) (assay.SCIMToken, error) {
	if err := mayManageUsers(p); err != nil {
		return assay.SCIMToken{}, err
	}
	return p.Org.SCIMToken(ctx)
}

// RotateSCIMToken makes a new SCIM token, replacing any old one at once
// (admins). The secret is returned once; only its hash is kept.
func (a *App) RotateSCIMToken(ctx context.Context, p Principal) (string, assay.SCIMToken, error) {
	if err := mayManageUsers(p); err != nil {
		return "", assay.SCIMToken{}, err
	}
	secret := auth.NewToken(auth.PrefixSCIM)
	t, err := p.Org.SetSCIMToken(ctx, p.Actor(), secret[:len(auth.PrefixSCIM)+4], auth.HashToken(secret))
	return secret, t, err
}

// SCIMGroupRoles lists the group-to-role mapping (admins).
func (a *App) SCIMGroupRoles(ctx context.Context, p Principal) ([]assay.SCIMGroupRole, error) {
	if err := mayManageUsers(p); err != nil {
		return nil, err
	}
	return p.Org.SCIMGroupRoles(ctx)
}

// SetSCIMGroupRole maps a group to a role, or removes the mapping (admins).
func (a *App) SetSCIMGroupRole(ctx context.Context, p Principal, m assay.SCIMGroupRole) error {
	if err := mayManageUsers(p); err != nil {
		return err
	}
	return p.Org.SetSCIMGroupRole(ctx, p.Actor(), m)
}
