package app

import (
	"context"

	"github.com/assay-platform/assay"
)

// Users and API tokens: admins manage users and every token; any user
// with an account may list and revoke their own tokens.

func mayManageUsers(p Principal) error {
	if !p.User.Can(assay.ActionManageUsers, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Only admins manage users and other people's API tokens; your role is %s.", p.User.Role)
	}
	return nil
}

// Users lists the organisation's users.
func (a *App) Users(ctx context.Context, p Principal) ([]assay.User, error) {
	if err := mayManageUsers(p); err != nil {
		return nil, err
	}
	return p.Org.Users(ctx)
}

// UpdateUserRole changes a user's role.
func (a *App) UpdateUserRole(ctx context.Context, p Principal, id int64, role assay.Role) (assay.User, error) {
	if err := mayManageUsers(p); err != nil {
		return assay.User{}, err
	}
	return p.Org.UpdateUserRole(ctx, p.Actor(), id, role)
}

// SetUserDisabled disables a user (ending their sessions) or enables them.
func (a *App) SetUserDisabled(ctx context.Context, p Principal, id int64, disabled bool) (assay.User, error) {
	if err := mayManageUsers(p); err != nil {
		return assay.User{}, err
	}
	return p.Org.SetUserDisabled(ctx, p.Actor(), id, disabled)
}

// ownsTokens: a signed-in user (not the operator) acting for themself.
func ownsTokens(p Principal, userID int64) bool {
	return p.User.ID != 0 && p.User.ID == userID
}

// APITokens lists API tokens: of one user (userID), or of everyone (0,
// admins only). A user who does not manage users sees their own.
func (a *App) APITokens(ctx context.Context, p Principal, userID int64) ([]assay.APIToken, error) {
	if !p.User.Can(assay.ActionManageUsers, nil) {
		if userID == 0 {
			userID = p.User.ID
		}
		if !ownsTokens(p, userID) {
			return nil, assay.Errorf(assay.EFORBIDDEN, "You may list only your own API tokens.")
		}
	}
	list, err := p.Org.APITokens(ctx)
	if err != nil || userID == 0 {
		return list, err
	}
	out := []assay.APIToken{}
	for _, t := range list {
		if t.UserID == userID {
			out = append(out, t)
		}
	}
	return out, nil
}

// RevokeAPIToken revokes a token: any, for admins; their own, for others.
func (a *App) RevokeAPIToken(ctx context.Context, p Principal, id int64) error {
	if !p.User.Can(assay.ActionManageUsers, nil) {
		list, err := p.Org.APITokens(ctx)
		if err != nil {
			return err
		}
		mine := false
		for _, t := range list {
			mine = mine || (t.ID == id && ownsTokens(p, t.UserID))
		}
		if !mine {
			return assay.Errorf(assay.ENOTFOUND, "API token not found.")
		}
	}
	return p.Org.RevokeAPIToken(ctx, p.Actor(), id)
}
