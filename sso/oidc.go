// Package sso speaks the single sign-on protocols: OpenID Connect (the
// authorization code flow with PKCE, state and nonce, through go-oidc and
// x/oauth2) and SAML 2.0 (Assay the service provider, through
// crewjam/saml). It turns a provider's answer into an assay.SSOIdentity;
// the application services decide who that is in Assay.
package sso

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/assay-platform/assay"
)

// Flow is what a sign-in started with and must finish with, kept in the
// browser in a sealed, short-lived cookie: it binds the answer to this
// browser.
type Flow struct {
	OrgSlug   string    `json:"org"`
	State     string    `json:"state,omitempty"`
	Nonce     string    `json:"nonce,omitempty"`
	Verifier  string    `json:"verifier,omitempty"` // the PKCE code verifier
	RequestID string    `json:"request_id,omitempty"`
	Next      string    `json:"next"`
	Expires   time.Time `json:"expires"`
}

// FlowTTL is how long a browser has to come back from the provider.
const FlowTTL = 10 * time.Minute

// OIDC signs people in through OpenID providers. It keeps one go-oidc
// provider per issuer: its remote key set fetches the provider's keys once
// and again when a token names a key it does not know (key rotation).
type OIDC struct {
	Clock  assay.Clock
	Client *http.Client // nil: a client with a 15-second timeout

	mu        sync.Mutex
	providers map[string]*oidc.Provider
}

// OIDCConfig is one organisation's client at its provider.
type OIDCConfig struct {
	Issuer, ClientID, ClientSecret string
	Scopes                         []string
	GroupsClaim                    string
	RedirectURL                    string
}

func (o *OIDC) client() *http.Client {
	if o.Client != nil {
		return o.Client
	}
	return &http.Client{Timeout: 15 * time.Second}
}

func (o *OIDC) provider(issuer string) (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if p, ok := o.providers[issuer]; ok {
		return p, nil
	}
	// The provider outlives the request: its key set fetches keys later
	// with the context it was made with.
	ctx := oidc.ClientContext(context.Background(), o.client())
	p, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		return nil, assay.Errorf(assay.ECONFLICT, "The identity provider at %s could not be reached or described itself wrongly: %v", issuer, err)
	}
	if o.providers == nil {
		o.providers = map[string]*oidc.Provider{}
	}
	o.providers[issuer] = p
	return p, nil
}

func (c OIDCConfig) oauth(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: c.ClientID, ClientSecret: c.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: c.RedirectURL, Scopes: c.Scopes}
}

// randomString is 32 random bytes, base64url.
func randomString() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Begin starts a sign-in: the URL to send the browser to and the flow to
// keep in its cookie.
func (o *OIDC) Begin(c OIDCConfig, slug, next string) (string, Flow, error) {
	p, err := o.provider(c.Issuer)
	if err != nil {
		return "", Flow{}, err
	}
	f := Flow{OrgSlug: slug, State: randomString(), Nonce: randomString(), Verifier: oauth2.GenerateVerifier(),
		Next: next, Expires: o.Clock.Now().Add(FlowTTL)}
	u := c.oauth(p).AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier))
	return u, f, nil
}

// refused is a provider's answer Assay does not accept (403).
func refused(format string, args ...any) error {
	return assay.Errorf(assay.EFORBIDDEN, "Single sign-on refused: "+format+".", args...)
}

// Finish checks the provider's answer against the flow (state), trades
// the code for tokens (with the PKCE verifier), verifies the ID token
// (signature by the provider's keys, issuer, audience, expiry by the
// injected clock, nonce) and reads the person from its claims, asking
// the userinfo endpoint for what the token does not say.
func (o *OIDC) Finish(ctx context.Context, c OIDCConfig, f Flow, q map[string][]string) (assay.SSOIdentity, error) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	if e := get("error"); e != "" {
		return assay.SSOIdentity{}, refused("the identity provider answered %s: %s", e, get("error_description"))
	}
	if get("state") == "" || get("state") != f.State {
		return assay.SSOIdentity{}, refused("the answer does not belong to the sign-in this browser started (state)")
	}
	if !o.Clock.Now().Before(f.Expires) {
		return assay.SSOIdentity{}, refused("the sign-in took too long; start again")
	}
	p, err := o.provider(c.Issuer)
	if err != nil {
		return assay.SSOIdentity{}, err
	}
	ctx = oidc.ClientContext(ctx, o.client())
	tok, err := c.oauth(p).Exchange(ctx, get("code"), oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return assay.SSOIdentity{}, refused("the code could not be traded for tokens: %v", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return assay.SSOIdentity{}, refused("the identity provider sent no ID token")
	}
	idt, err := p.VerifierContext(ctx, &oidc.Config{ClientID: c.ClientID, Now: o.Clock.Now}).Verify(ctx, raw)
	if err != nil {
		return assay.SSOIdentity{}, refused("the ID token is not valid: %v", err)
	}
	if idt.Nonce != f.Nonce {
		return assay.SSOIdentity{}, refused("the ID token was not made for this sign-in (nonce)")
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return assay.SSOIdentity{}, refused("the ID token's claims are unreadable: %v", err)
	}
	if _, ok := claims["email"]; !ok || (c.GroupsClaim != "" && claims[c.GroupsClaim] == nil) {
		if ui, err := p.UserInfo(ctx, oauth2.StaticTokenSource(tok)); err == nil {
			more := map[string]any{}
			if err := ui.Claims(&more); err == nil {
				if sub, _ := more["sub"].(string); sub == idt.Subject {
					for k, v := range more {
						if _, ok := claims[k]; !ok {
							claims[k] = v
						}
					}
				}
			}
		}
	}
	id := assay.SSOIdentity{Protocol: assay.SSOOIDC, Subject: idt.Subject}
	id.Email, _ = claims["email"].(string)
	id.Name, _ = claims["name"].(string)
	switch v := claims["email_verified"].(type) {
	case bool:
		id.EmailVerified = v
	case string: // some providers send "true"
		id.EmailVerified = v == "true"
	}
	if c.GroupsClaim != "" {
		id.Groups = stringList(claims[c.GroupsClaim])
	}
	return id, nil
}

// stringList reads a claim that is a string or a list of strings.
func stringList(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
