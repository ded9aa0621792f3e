package app

import (
	"context"

	"github.com/assay-platform/assay"
)

// The organisation's MFA policy: who must sign in with a second factor.
// Admins set it (as they manage users); a user it covers who has no second
// factor is led through setting one up right after their password.

func mayManageMFAPolicy(p Principal) error {
	if !p.User.Can(assay.ActionManageUsers, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Only admins set who must use two-step sign-in; your role is %s.", p.User.Role)
	}
	return nil
}

// MFAPolicy is who must have MFA in the principal's organisation.
func (a *App) MFAPolicy(ctx context.Context, p Principal) (assay.MFAPolicy, error) {
	if err := mayManageMFAPolicy(p); err != nil {
		return "", err
	}
	return p.Org.MFAPolicy(ctx)
}

// SetMFAPolicy changes who must have MFA. Requiring it of a role does not
// sign anyone out: each person of that role without a second factor sets
// one up at their next sign-in.
func (a *App) SetMFAPolicy(ctx context.Context, p Principal, pol assay.MFAPolicy) error {
	if err := mayManageMFAPolicy(p); err != nil {
		return err
	}
	if !pol.Valid() {
		return assay.Invalid("required_for", "Choose who must use two-step sign-in: nobody, admins, admins_auditors or everyone.")
	}
	return p.Org.SetMFAPolicy(ctx, p.Actor(), pol)
}

// ResetUserMFA removes every second factor of a user (authenticator,
// recovery codes, passkeys) and ends their sessions: an admin's answer to a
// lost authenticator. A user the policy covers sets up a new one at their
// next sign-in.
func (a *App) ResetUserMFA(ctx context.Context, p Principal, userID int64) error {
	if err := mayManageMFAPolicy(p); err != nil {
		return err
	}
	return p.Org.ResetMFA(ctx, p.Actor(), userID)
}
