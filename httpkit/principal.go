package httpkit

import (
	"context"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/store"
)

// Principal is who is making a request.
type Principal struct {
	User    assay.User
	Session *assay.Session  // set for browser sessions
	Token   *assay.APIToken // set for API tokens
	Org     store.OrgStore
	Via     string // "web" or "api"
}

// Actor is the principal as the audit trail names it.
func (p *Principal) Actor() assay.Actor { return assay.ActorFor(p.User, p.Via) }

// App is the principal as the application services take it.
func (p *Principal) App() app.Principal { return app.Principal{User: p.User, Org: p.Org, Via: p.Via} }

type principalKey struct{}

// PrincipalFrom is the request's principal, or nil when nobody signed in.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PendingSignIn is a browser whose password was right but whose second
// factor is still asked for or being set up (its session's MFAStage). It is
// not a principal: only the sign-in pages of its stage read it.
type PendingSignIn struct {
	User    assay.User
	Session assay.Session
}

type pendingKey struct{}

// PendingSignInFrom is the request's unfinished sign-in, or nil.
func PendingSignInFrom(ctx context.Context) *PendingSignIn {
	p, _ := ctx.Value(pendingKey{}).(*PendingSignIn)
	return p
}

// WithPendingSignIn returns ctx carrying p.
func WithPendingSignIn(ctx context.Context, p *PendingSignIn) context.Context {
	return context.WithValue(ctx, pendingKey{}, p)
}
