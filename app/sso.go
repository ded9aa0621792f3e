package app

import (
	"context"
	"encoding/base64"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/secret"
	"github.com/assay-platform/assay/sso"
)

// Single sign-on settings: an admin chooses the organisation's identity
// provider (OIDC or SAML), how people it vouches for get a role, and
// whether passwords still work. The OIDC client secret is sealed with the
// installation's secret key, bound to the organisation.

func ssoSecretAAD(orgID int64) []byte { return secret.AAD(orgID, "sso:client_secret") }

// SSOInput is a settings change. ClientSecret empty keeps the stored
// secret unless ClearSecret is set.
type SSOInput struct {
	assay.SSOSettings
	ClientSecret string `json:"client_secret,omitempty"`
	ClearSecret  bool   `json:"clear_client_secret,omitempty"`
}

// SSOSettings is the organisation's configuration (never the secret).
func (a *App) SSOSettings(ctx context.Context, p Principal) (assay.SSOSettings, error) {
	if err := mayManageMFAPolicy(p); err != nil {
		return assay.SSOSettings{}, err
	}
	s, err := p.Org.SSOSettings(ctx)
	s.SealedSecret = nil
	return s, err
}

// SetSSOSettings replaces the configuration, sealing a new client secret.
func (a *App) SetSSOSettings(ctx context.Context, p Principal, in SSOInput) (assay.SSOSettings, error) {
	if err := mayManageMFAPolicy(p); err != nil {
		return assay.SSOSettings{}, err
	}
	set := in.SSOSettings
	set.SealedSecret = nil
	if set.Protocol == assay.SSOSAML && strings.TrimSpace(set.SAMLMetadataXML) != "" {
		if _, err := sso.ParseMetadata([]byte(set.SAMLMetadataXML)); err != nil {
			return assay.SSOSettings{}, err
		}
	}
	keep := !in.ClearSecret
	if sec := strings.TrimSpace(in.ClientSecret); sec != "" {
		if a.secrets == nil {
			return assay.SSOSettings{}, assay.Errorf(assay.ECONFLICT, "A client secret cannot be stored on this server (no secret key is configured).")
		}
		sealed, err := a.secrets.Seal(ssoSecretAAD(p.User.OrgID), map[string]string{"client_secret": sec})
		if err != nil {
			return assay.SSOSettings{}, err
		}
		set.SealedSecret = sealed
	}
	if err := p.Org.SetSSOSettings(ctx, p.Actor(), set, keep); err != nil {
		return assay.SSOSettings{}, err
	}
	return a.SSOSettings(ctx, p)
}

// SSOConfig is what the sign-in flow needs of an organisation: its
// settings and the opened client secret. It is for the sign-in path only.
type SSOConfig struct {
	Org          assay.Organization
	Settings     assay.SSOSettings
	ClientSecret string
}

// SSOConfigBySlug reads the configuration of the organisation with slug,
// ENOTFOUND when it has no single sign-on.
func (a *App) SSOConfigBySlug(ctx context.Context, slug string) (SSOConfig, error) {
	o, err := a.store.OrganizationBySlug(ctx, slug)
	if err != nil {
		return SSOConfig{}, err
	}
	s, err := a.store.Org(o.ID).SSOSettings(ctx)
	if err != nil {
		return SSOConfig{}, err
	}
	if !s.Enabled() {
		return SSOConfig{}, assay.Errorf(assay.ENOTFOUND, "%s has no single sign-on.", o.Name)
	}
	c := SSOConfig{Org: o, Settings: s}
	if len(s.SealedSecret) > 0 {
		if a.secrets == nil {
			return SSOConfig{}, ErrNoSecrets
		}
		m, err := a.secrets.Open(ssoSecretAAD(o.ID), s.SealedSecret)
		if err != nil {
			return SSOConfig{}, err
		}
		c.ClientSecret = m["client_secret"]
	}
	c.Settings.SealedSecret = nil
	return c, nil
}

// SSOLogins lists the organisations the sign-in page offers single
// sign-on for.
func (a *App) SSOLogins(ctx context.Context) ([]assay.SSOLogin, error) {
	return a.store.SSOLogins(ctx)
}

// PasswordAllowed refuses a password sign-in when u's organisation signs
// in through its identity provider only and u is not its break-glass
// admin. The second factor is still asked of the break-glass admin.
func (a *App) PasswordAllowed(ctx context.Context, u assay.User) error {
	s, err := a.store.Org(u.OrgID).SSOSettings(ctx)
	if err != nil {
		return err
	}
	if s.Enabled() && s.SSOOnly && u.ID != s.BreakGlassUserID {
		return assay.Errorf(assay.EFORBIDDEN, "Your organisation signs in with %s only; use the \"Sign in with %s\" button.", s.ProviderName, s.ProviderName)
	}
	return nil
}

func ssoFlowAAD() []byte { return secret.AAD(0, "sso:flow") }

// SealSSOFlow seals a sign-in's flow (state, nonce, PKCE verifier or SAML
// request id) for the browser's cookie: the browser carries it, cannot
// read or change it, and brings it back with the provider's answer.
func (a *App) SealSSOFlow(flow []byte) (string, error) {
	if a.secrets == nil {
		return "", assay.Errorf(assay.ECONFLICT, "Single sign-on is not available on this server (no secret key is configured).")
	}
	b, err := a.secrets.Seal(ssoFlowAAD(), map[string]string{"flow": string(flow)})
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// OpenSSOFlow opens a flow SealSSOFlow sealed.
func (a *App) OpenSSOFlow(sealed string) ([]byte, error) {
	b, err := base64.RawURLEncoding.DecodeString(sealed)
	if err != nil || a.secrets == nil {
		return nil, assay.Errorf(assay.EFORBIDDEN, "Single sign-on refused: this browser did not start this sign-in.")
	}
	m, err := a.secrets.Open(ssoFlowAAD(), b)
	if err != nil {
		return nil, assay.Errorf(assay.EFORBIDDEN, "Single sign-on refused: this browser did not start this sign-in.")
	}
	return []byte(m["flow"]), nil
}
