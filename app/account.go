package app

import (
	"context"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
)

// A user's own account: their password, their sessions and their API
// tokens. Every signed-in user may manage their own, whatever their role;
// nothing here reaches another user. (The store is reached unscoped by
// the user's own organisation: an engagement's view of the organisation
// holds no users.)

func mayManageOwnAccount(p Principal) error {
	if p.User.ID == 0 {
		return assay.Errorf(assay.EFORBIDDEN, "Only a signed-in user has an account.")
	}
	return nil
}

// ChangeOwnPassword sets the user's password after checking the current
// one, under the password policy. The store ends every session of the
// user; the caller starts a new one for the browser that asked.
func (a *App) ChangeOwnPassword(ctx context.Context, p Principal, current, next string) error {
	if err := mayManageOwnAccount(p); err != nil {
		return err
	}
	_, hash, err := a.store.UserByEmail(ctx, p.User.Email)
	if err != nil {
		return err
	}
	if current == "" {
		return assay.Invalid("current", "Enter your current password.")
	}
	if err := auth.CheckPassword(current, hash); err != nil {
		if err != auth.ErrMismatch {
			return err
		}
		return assay.Invalid("current", "Your current password is not right.")
	}
	if next == current {
		return assay.Invalid("password", "The new password is the same as the current one.")
	}
	if err := assay.ValidatePassword(next, p.User.Email, p.User.Name); err != nil {
		return err
	}
	newHash, err := auth.HashPassword(next, a.passwords)
	if err != nil {
		return err
	}
	return a.store.Org(p.User.OrgID).SetPassword(ctx, p.Actor(), p.User.ID, newHash)
}

// OwnSessions lists the user's live sessions.
func (a *App) OwnSessions(ctx context.Context, p Principal) ([]assay.SessionInfo, error) {
	if err := mayManageOwnAccount(p); err != nil {
		return nil, err
	}
	return a.store.Org(p.User.OrgID).Sessions(ctx, p.User.ID)
}

// EndOwnSession ends one of the user's sessions.
func (a *App) EndOwnSession(ctx context.Context, p Principal, id string) error {
	if err := mayManageOwnAccount(p); err != nil {
		return err
	}
	return a.store.Org(p.User.OrgID).EndSession(ctx, p.Actor(), p.User.ID, id)
}

// OwnAPITokens lists the user's own API tokens.
func (a *App) OwnAPITokens(ctx context.Context, p Principal) ([]assay.APIToken, error) {
	if err := mayManageOwnAccount(p); err != nil {
		return nil, err
	}
	list, err := a.store.Org(p.User.OrgID).APITokens(ctx)
	if err != nil {
		return nil, err
	}
	out := []assay.APIToken{}
	for _, t := range list {
		if t.UserID == p.User.ID {
			out = append(out, t)
		}
	}
	return out, nil
}

// RevokeOwnAPIToken revokes one of the user's own API tokens.
func (a *App) RevokeOwnAPIToken(ctx context.Context, p Principal, id int64) error {
	mine, err := a.OwnAPITokens(ctx, p)
	if err != nil {
		return err
	}
	for _, t := range mine {
		if t.ID == id {
			return a.store.Org(p.User.OrgID).RevokeAPIToken(ctx, p.Actor(), id)
		}
	}
	return assay.Errorf(assay.ENOTFOUND, "API token not found.")
}
