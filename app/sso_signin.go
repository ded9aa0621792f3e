package app

import (
	"context"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
)

// SSOSignIn finds or makes the user an identity provider vouched for, in
// the organisation orgID (just-in-time provisioning):
//   - a person linked before is that user;
//   - else an existing user of the organisation with the same, verified
//     e-mail is linked to the identity (ledgered, "SSO link" in the trail);
//   - else a user is created with the highest role their groups map to, or
//     the default role when none does (refused when the admin chose to
//     refuse unmapped people).
//
// A linked user whose groups map to a role gets that role at each sign-in.
// The identity's e-mail must be verified and in an allowed domain.
func (a *App) SSOSignIn(ctx context.Context, orgID int64, id assay.SSOIdentity) (assay.User, error) {
	org := a.store.Org(orgID)
	s, err := org.SSOSettings(ctx)
	if err != nil {
		return assay.User{}, err
	}
	if !s.Enabled() || s.Protocol != id.Protocol {
		return assay.User{}, assay.Errorf(assay.EFORBIDDEN, "Single sign-on through %s is not set up for this organisation.", id.Protocol)
	}
	id.Email = strings.ToLower(strings.TrimSpace(id.Email))
	if id.Subject == "" {
		return assay.User{}, assay.Errorf(assay.EFORBIDDEN, "The identity provider did not say who signed in.")
	}
	if id.Email == "" || !id.EmailVerified {
		return assay.User{}, assay.Errorf(assay.EFORBIDDEN, "The identity provider did not give a verified e-mail address.")
	}
	if !s.DomainAllowed(id.Email) {
		return assay.User{}, assay.Errorf(assay.EFORBIDDEN, "E-mail addresses at this domain may not sign in to this organisation.")
	}
	role, mapped := s.MapRole(id.Groups)
	if !mapped && s.RefuseUnmapped {
		return assay.User{}, assay.Errorf(assay.EFORBIDDEN, "None of your groups at %s gives access to Assay; ask an admin.", s.ProviderName)
	}
	actor := assay.Actor{Name: "single sign-on (" + s.ProviderName + ")", Via: "web"}
	u, err := org.SSOUser(ctx, id.Protocol, id.Subject)
	switch {
	case err == nil:
	case assay.ErrorCode(err) != assay.ENOTFOUND:
		return assay.User{}, err
	default:
		u, err = a.linkOrProvision(ctx, orgID, s, id, actor, role, mapped)
		if err != nil {
			return assay.User{}, err
		}
	}
	if u.Disabled {
		return assay.User{}, assay.Errorf(assay.EFORBIDDEN, "This account is disabled; ask an admin.")
	}
	if u.AccessExpired(a.clock.Now()) {
		return assay.User{}, assay.Errorf(assay.EFORBIDDEN, "This auditor access has expired; ask an admin to extend it.")
	}
	if mapped && u.Role != role {
		if u, err = org.UpdateUserRole(ctx, actor, u.ID, role); err != nil {
			return assay.User{}, err
		}
	}
	return u, nil
}

func (a *App) linkOrProvision(ctx context.Context, orgID int64, s assay.SSOSettings, id assay.SSOIdentity, actor assay.Actor, role assay.Role, mapped bool) (assay.User, error) {
	org := a.store.Org(orgID)
	u, _, err := a.store.UserByEmail(ctx, id.Email)
	if err == nil {
		if u.OrgID != orgID {
			return assay.User{}, assay.Errorf(assay.ECONFLICT, "%s belongs to another organisation on this server.", id.Email)
		}
		if err := org.LinkSSO(ctx, actor, u.ID, id); err != nil {
			return assay.User{}, err
		}
		return org.User(ctx, u.ID)
	} else if assay.ErrorCode(err) != assay.ENOTFOUND {
		return assay.User{}, err
	}
	if !mapped {
		role = s.DefaultRole
	}
	n := assay.NewUser{Email: id.Email, Name: strings.TrimSpace(id.Name), Role: role}
	if n.Name == "" {
		n.Name = id.Email
	}
	// The user signs in through the provider: their password is a random
	// one nobody is told, so a password sign-in never matches.
	n.Password = auth.NewToken("")
	if err := n.Validate(); err != nil {
		return assay.User{}, err
	}
	hash, err := auth.HashPassword(n.Password, a.passwords)
	if err != nil {
		return assay.User{}, err
	}
	return org.ProvisionSSOUser(ctx, actor, n, hash, id)
}
