package store

import (
	"context"
	"time"

	"github.com/assay-platform/assay"
)

// SSOStore keeps an organisation's single sign-on settings, the links
// between its users and their identities at the provider, and the SAML
// assertions already accepted. The client secret arrives sealed.
type SSOStore interface {
	// SSOSettings is the organisation's configuration (Protocol SSOOff
	// until an admin sets one).
	SSOSettings(ctx context.Context) (assay.SSOSettings, error)
	// SetSSOSettings replaces it, with an EventSSOSettings entry (never the
	// secret). A nil SealedSecret keeps the stored one; KeepSecret false
	// with a nil one clears it.
	SetSSOSettings(ctx context.Context, actor assay.Actor, s assay.SSOSettings, keepSecret bool) error
	// SSOUser is the user linked to an identity (ENOTFOUND when none).
	SSOUser(ctx context.Context, protocol assay.SSOProtocol, subject string) (assay.User, error)
	// LinkSSO links an existing user to an identity, with an EventSSOLink
	// entry (a conflict when the identity is linked already).
	LinkSSO(ctx context.Context, actor assay.Actor, userID int64, id assay.SSOIdentity) error
	// ProvisionSSOUser creates a user for an identity and links them in
	// one transaction (a user.create and an EventSSOLink entry).
	ProvisionSSOUser(ctx context.Context, actor assay.Actor, n assay.NewUser, passwordHash string, id assay.SSOIdentity) (assay.User, error)
	// UseSAMLAssertion records an accepted assertion id until notOnOrAfter.
	// It reports false when the id was recorded already (a replay); ids
	// past their time are forgotten.
	UseSAMLAssertion(ctx context.Context, id string, notOnOrAfter time.Time) (bool, error)
}

// SSOLogins lists the organisations whose sign-in page offers single
// sign-on (an unscoped sign-in path).
type SSOLogins interface {
	SSOLogins(ctx context.Context) ([]assay.SSOLogin, error)
}
