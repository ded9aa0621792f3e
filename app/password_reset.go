package app

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
)

// Password resets and invitations by e-mail. A link carries a secret
// (only its hash is stored), works once, and expires by the clock: 30
// minutes for a reset, 7 days for an invitation. Mail goes through the SMTP
// server of the organisation's e-mail alert channel.

// Link lifetimes and the reset throttle.
const (
	ResetLinkLifetime  = 30 * time.Minute
	InviteLinkLifetime = 7 * 24 * time.Hour
	// resetsPerWindow links at most are sent for one account per window;
	// asking again within it sends nothing (and says the same).
	resetsPerWindow = 3
	resetWindow     = time.Hour
)

// Link purposes (as the store keeps them).
const (
	LinkReset  = "reset"
	LinkInvite = "invite"
)

// AccountMailer sends a person their reset or invitation link.
type AccountMailer interface {
	SendAccountMail(ctx context.Context, orgID int64, to, subject, text string) error
}

func (a *App) mailer() (AccountMailer, error) {
	m, ok := a.alerts.(AccountMailer)
	if !ok || m == nil {
		return nil, assay.Errorf(assay.ECONFLICT, "E-mail is not available on this server (no secret key is configured for the mail channel).")
	}
	return m, nil
}

// linkURL is the address of a link page with its secret.
func linkURL(origin, path, secret string) string {
	return strings.TrimRight(origin, "/") + path + "?token=" + url.QueryEscape(secret)
}

// RequestPasswordReset e-mails a reset link to the account with this
// email, if there is one and it is active. Its answer is the same whether
// or not the account exists, and whether or not the throttle held the mail
// back; failures are logged, not shown. origin is the public address links
// point at (scheme and host).
func (a *App) RequestPasswordReset(ctx context.Context, email, origin string) {
	email = strings.ToLower(strings.TrimSpace(email))
	u, _, err := a.store.UserByEmail(ctx, email)
	if err != nil || u.Disabled || u.EngagementLimited() {
		if err != nil && assay.ErrorCode(err) != assay.ENOTFOUND {
			a.log.Error("password reset: look up account", "err", err)
		}
		return
	}
	org := a.store.Org(u.OrgID)
	now := a.clock.Now()
	n, err := org.UserLinksSince(ctx, u.ID, LinkReset, now.Add(-resetWindow))
	if err != nil {
		a.log.Error("password reset: count links", "user_id", u.ID, "err", err)
		return
	}
	if n >= resetsPerWindow {
		a.log.Info("password reset throttled", "user_id", u.ID)
		return
	}
	if err := a.sendLink(ctx, u, LinkReset, origin, assay.ActorFor(u, "web")); err != nil {
		a.log.Error("password reset: send link", "user_id", u.ID, "err", err)
	}
}

func (a *App) sendLink(ctx context.Context, u assay.User, purpose, origin string, actor assay.Actor) error {
	m, err := a.mailer()
	if err != nil {
		return err
	}
	secret := auth.NewToken(auth.PrefixLink)
	lifetime, path := ResetLinkLifetime, "/password/reset"
	if purpose == LinkInvite {
		lifetime, path = InviteLinkLifetime, "/invite"
	}
	expires := a.clock.Now().Add(lifetime)
	if err := a.store.Org(u.OrgID).CreateUserLink(ctx, actor, u.ID, purpose, auth.HashToken(secret), expires); err != nil {
		return err
	}
	link := linkURL(origin, path, secret)
	subject := "Reset your Assay password"
	text := fmt.Sprintf("Someone (we hope you) asked to reset the password of %s on Assay.\n\nSet a new password here within 30 minutes:\n%s\n\n"+
		"The link works once. Using it signs you out everywhere. If you did not ask, ignore this message: your password stays as it is.\n", u.Email, link)
	if purpose == LinkInvite {
		subject = "You are invited to Assay"
		text = fmt.Sprintf("%s invited you to Assay as %s (%s).\n\nChoose your password here within 7 days:\n%s\n\nThe link works once.\n",
			actor.Name, u.Role, u.Email, link)
	}
	return m.SendAccountMail(ctx, u.OrgID, u.Email, subject, text)
}

// LinkUser is the user a live link is for (ENOTFOUND or EGONE otherwise).
func (a *App) LinkUser(ctx context.Context, secret, purpose string) (assay.User, error) {
	return a.store.UserLink(ctx, auth.HashToken(strings.TrimSpace(secret)), purpose)
}

// SetPasswordByLink sets a password through a reset or invitation link,
// under the password policy; every session of the user ends.
func (a *App) SetPasswordByLink(ctx context.Context, secret, purpose, password string) (assay.User, error) {
	u, err := a.LinkUser(ctx, secret, purpose)
	if err != nil {
		return u, err
	}
	if err := assay.ValidatePassword(password, u.Email, u.Name); err != nil {
		return u, err
	}
	hash, err := auth.HashPassword(password, a.passwords)
	if err != nil {
		return u, err
	}
	return a.store.UseUserLink(ctx, auth.HashToken(strings.TrimSpace(secret)), purpose, hash)
}

// NewInvite is a person an admin invites.
type NewInvite struct {
	Email string
	Name  string
	Role  assay.Role
}

// InviteUser adds a user with a password nobody knows and e-mails them a
// link to choose their own (admins). The user exists even if the mail
// fails; the error says so, and the admin may invite them again.
func (a *App) InviteUser(ctx context.Context, p Principal, in NewInvite, origin string) (assay.User, error) {
	if err := mayManageUsers(p); err != nil {
		return assay.User{}, err
	}
	if _, err := a.mailer(); err != nil {
		return assay.User{}, err
	}
	secret := auth.NewToken("unusable_")
	hash, err := auth.HashPassword(secret, a.passwords)
	if err != nil {
		return assay.User{}, err
	}
	u, err := p.Org.CreateUser(ctx, p.Actor(), assay.NewUser{Email: in.Email, Name: in.Name, Role: in.Role, Password: secret}, hash)
	if err != nil {
		return u, err
	}
	if err := a.sendLink(ctx, u, LinkInvite, origin, p.Actor()); err != nil {
		return u, fmt.Errorf("the user is added but the invitation could not be sent: %w", err)
	}
	return u, nil
}

// ReinviteUser sends an existing user a new invitation link (admins).
func (a *App) ReinviteUser(ctx context.Context, p Principal, id int64, origin string) error {
	if err := mayManageUsers(p); err != nil {
		return err
	}
	u, err := p.Org.User(ctx, id)
	if err != nil {
		return err
	}
	return a.sendLink(ctx, u, LinkInvite, origin, p.Actor())
}
