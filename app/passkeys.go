package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"strconv"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/secret"
)

// Passkeys (WebAuthn) as a second factor: a user registers them from their
// account page and, after their password, may use one instead of a TOTP
// code. The relying party is the origin the browser is on (its host is the
// RP ID). A ceremony's state (its challenge) travels sealed with the secret
// key, bound to the user, the purpose and the browser's session, and
// expires with the ceremony.

// passkeyUser is a user as go-webauthn sees them.
type passkeyUser struct {
	u     assay.User
	creds []webauthn.Credential
}

func (p passkeyUser) WebAuthnID() []byte {
	return []byte("assay-user-" + strconv.FormatInt(p.u.ID, 10))
}
func (p passkeyUser) WebAuthnName() string                       { return p.u.Email }
func (p passkeyUser) WebAuthnDisplayName() string                { return p.u.Name }
func (p passkeyUser) WebAuthnCredentials() []webauthn.Credential { return p.creds }

func relyingParty(origin string) (*webauthn.WebAuthn, error) {
	u, err := url.Parse(origin)
	if err != nil || u.Hostname() == "" {
		return nil, assay.Invalid("origin", "Passkeys need the address the browser is on.")
	}
	if net.ParseIP(u.Hostname()) != nil {
		return nil, assay.Errorf(assay.ECONFLICT, "Passkeys need Assay to be reached by a domain name (such as localhost or assay.example.com), not an IP address.")
	}
	w, err := webauthn.New(&webauthn.Config{RPID: u.Hostname(), RPDisplayName: "Assay", RPOrigins: []string{u.Scheme + "://" + u.Host}})
	if err != nil {
		return nil, fmt.Errorf("webauthn: %w", err)
	}
	return w, nil
}

func (a *App) passkeyUser(ctx context.Context, u assay.User) (passkeyUser, []assay.Passkey, error) {
	keys, err := a.store.Org(u.OrgID).Passkeys(ctx, u.ID)
	if err != nil {
		return passkeyUser{}, nil, err
	}
	pu := passkeyUser{u: u}
	for _, k := range keys {
		var c webauthn.Credential
		if err := json.Unmarshal(k.Credential, &c); err != nil {
			return passkeyUser{}, nil, fmt.Errorf("passkey %d: %w", k.ID, err)
		}
		pu.creds = append(pu.creds, c)
	}
	return pu, keys, nil
}

func ceremonyAAD(u assay.User, purpose, bind string) []byte {
	return secret.AAD(u.OrgID, "webauthn:"+purpose+":"+strconv.FormatInt(u.ID, 10)+":"+bind)
}

func (a *App) sealCeremony(u assay.User, purpose, bind string, sd *webauthn.SessionData) (string, error) {
	if a.secrets == nil {
		return "", ErrNoSecrets
	}
	b, err := json.Marshal(sd)
	if err != nil {
		return "", fmt.Errorf("webauthn session: %w", err)
	}
	sealed, err := a.secrets.Seal(ceremonyAAD(u, purpose, bind), map[string]string{"session": string(b)})
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(sealed), nil
}

func (a *App) openCeremony(u assay.User, purpose, bind, token string) (webauthn.SessionData, error) {
	var sd webauthn.SessionData
	if a.secrets == nil {
		return sd, ErrNoSecrets
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return sd, assay.Invalid("token", "The passkey request has expired; try again.")
	}
	m, err := a.secrets.Open(ceremonyAAD(u, purpose, bind), raw)
	if err != nil {
		return sd, assay.Invalid("token", "The passkey request has expired; try again.")
	}
	if err := json.Unmarshal([]byte(m["session"]), &sd); err != nil {
		return sd, fmt.Errorf("webauthn session: %w", err)
	}
	return sd, nil
}

// PasskeyCeremony is what the browser needs to create or use a passkey:
// the options for navigator.credentials, and the sealed state to send back.
type PasskeyCeremony struct {
	Options json.RawMessage `json:"publicKey"`
	Token   string          `json:"token"`
}

// OwnPasskeys lists the user's passkeys.
func (a *App) OwnPasskeys(ctx context.Context, p Principal) ([]assay.Passkey, error) {
	if err := mayManageOwnAccount(p); err != nil {
		return nil, err
	}
	return a.store.Org(p.User.OrgID).Passkeys(ctx, p.User.ID)
}

// BeginPasskeyRegistration starts adding a passkey for the user on origin;
// bind names the browser's session.
func (a *App) BeginPasskeyRegistration(ctx context.Context, p Principal, origin, bind string) (PasskeyCeremony, error) {
	if err := mayManageOwnAccount(p); err != nil {
		return PasskeyCeremony{}, err
	}
	rp, err := relyingParty(origin)
	if err != nil {
		return PasskeyCeremony{}, err
	}
	pu, _, err := a.passkeyUser(ctx, p.User)
	if err != nil {
		return PasskeyCeremony{}, err
	}
	var exclude []protocol.CredentialDescriptor
	for _, c := range pu.creds {
		exclude = append(exclude, c.Descriptor())
	}
	creation, sd, err := rp.BeginRegistration(pu, webauthn.WithExclusions(exclude),
		webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirementPreferred))
	if err != nil {
		return PasskeyCeremony{}, fmt.Errorf("begin passkey registration: %w", err)
	}
	tok, err := a.sealCeremony(p.User, "register", bind, sd)
	if err != nil {
		return PasskeyCeremony{}, err
	}
	opts, err := json.Marshal(creation.Response)
	if err != nil {
		return PasskeyCeremony{}, fmt.Errorf("passkey options: %w", err)
	}
	return PasskeyCeremony{Options: opts, Token: tok}, nil
}

// FinishPasskeyRegistration checks the browser's new credential against
// the ceremony and stores it under name.
func (a *App) FinishPasskeyRegistration(ctx context.Context, p Principal, origin, bind, token, name string, response []byte) (assay.Passkey, error) {
	if err := mayManageOwnAccount(p); err != nil {
		return assay.Passkey{}, err
	}
	sd, err := a.openCeremony(p.User, "register", bind, token)
	if err != nil {
		return assay.Passkey{}, err
	}
	rp, err := relyingParty(origin)
	if err != nil {
		return assay.Passkey{}, err
	}
	pu, _, err := a.passkeyUser(ctx, p.User)
	if err != nil {
		return assay.Passkey{}, err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBody(bytes.NewReader(response))
	if err != nil {
		return assay.Passkey{}, assay.Invalid("credential", "The browser's passkey answer could not be read.")
	}
	cred, err := rp.CreateCredential(pu, sd, parsed)
	if err != nil {
		a.log.Info("passkey registration refused", "user_id", p.User.ID, "err", err)
		return assay.Passkey{}, assay.Invalid("credential", "The passkey could not be verified; try again.")
	}
	b, err := json.Marshal(cred)
	if err != nil {
		return assay.Passkey{}, fmt.Errorf("passkey: %w", err)
	}
	return a.store.Org(p.User.OrgID).AddPasskey(ctx, p.Actor(), assay.Passkey{UserID: p.User.ID, Name: name,
		CredentialID: base64.RawURLEncoding.EncodeToString(cred.ID), Credential: b})
}

// RemoveOwnPasskey removes one of the user's passkeys.
func (a *App) RemoveOwnPasskey(ctx context.Context, p Principal, id int64) error {
	if err := mayManageOwnAccount(p); err != nil {
		return err
	}
	return a.store.Org(p.User.OrgID).RemovePasskey(ctx, p.Actor(), p.User.ID, id)
}

// BeginPasskeySignIn starts the second factor with one of the user's
// passkeys (ENOTFOUND when they have none).
func (a *App) BeginPasskeySignIn(ctx context.Context, u assay.User, origin, bind string) (PasskeyCeremony, error) {
	rp, err := relyingParty(origin)
	if err != nil {
		return PasskeyCeremony{}, err
	}
	pu, _, err := a.passkeyUser(ctx, u)
	if err != nil {
		return PasskeyCeremony{}, err
	}
	if len(pu.creds) == 0 {
		return PasskeyCeremony{}, assay.Errorf(assay.ENOTFOUND, "You have no passkey.")
	}
	assertion, sd, err := rp.BeginLogin(pu)
	if err != nil {
		return PasskeyCeremony{}, fmt.Errorf("begin passkey sign-in: %w", err)
	}
	tok, err := a.sealCeremony(u, "login", bind, sd)
	if err != nil {
		return PasskeyCeremony{}, err
	}
	opts, err := json.Marshal(assertion.Response)
	if err != nil {
		return PasskeyCeremony{}, fmt.Errorf("passkey options: %w", err)
	}
	return PasskeyCeremony{Options: opts, Token: tok}, nil
}

// FinishPasskeySignIn checks the browser's assertion; it reports false
// when the passkey does not prove the user.
func (a *App) FinishPasskeySignIn(ctx context.Context, u assay.User, origin, bind, token string, response []byte) (bool, error) {
	sd, err := a.openCeremony(u, "login", bind, token)
	if err != nil {
		return false, nil
	}
	rp, err := relyingParty(origin)
	if err != nil {
		return false, err
	}
	pu, _, err := a.passkeyUser(ctx, u)
	if err != nil {
		return false, err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBody(bytes.NewReader(response))
	if err != nil {
		return false, nil
	}
	cred, err := rp.ValidateLogin(pu, sd, parsed)
	if err != nil {
		a.log.Info("passkey sign-in refused", "user_id", u.ID, "err", err)
		return false, nil
	}
	b, err := json.Marshal(cred)
	if err != nil {
		return false, fmt.Errorf("passkey: %w", err)
	}
	if err := a.store.Org(u.OrgID).UsePasskey(ctx, u.ID, base64.RawURLEncoding.EncodeToString(cred.ID), b); err != nil {
		return false, err
	}
	return true, nil
}
