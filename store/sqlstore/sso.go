package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
)

const ssoColumns = `protocol, provider_name, issuer, client_id, client_secret, scopes, saml_metadata_url, saml_metadata_xml,
	groups_claim, default_role, refuse_unmapped, role_map, allowed_domains, sso_only, break_glass_user_id, updated_at`

func scanSSO(row interface{ Scan(...any) error }) (assay.SSOSettings, error) {
	var s assay.SSOSettings
	var scopes, roleMap, domains, updated string
	var refuse, only int
	var breakGlass sql.NullInt64
	err := row.Scan(&s.Protocol, &s.ProviderName, &s.Issuer, &s.ClientID, &s.SealedSecret, &scopes, &s.SAMLMetadataURL, &s.SAMLMetadataXML,
		&s.GroupsClaim, &s.DefaultRole, &refuse, &roleMap, &domains, &only, &breakGlass, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return assay.SSOSettings{DefaultRole: assay.RoleViewer, RoleMap: map[string]assay.Role{}, AllowedDomains: []string{}}, nil
	} else if err != nil {
		return s, fmt.Errorf("sso settings: %w", err)
	}
	s.RefuseUnmapped, s.SSOOnly, s.BreakGlassUserID = refuse != 0, only != 0, breakGlass.Int64
	s.HasSecret = len(s.SealedSecret) > 0
	for _, j := range []struct {
		raw string
		v   any
	}{{scopes, &s.Scopes}, {roleMap, &s.RoleMap}, {domains, &s.AllowedDomains}} {
		if err := json.Unmarshal([]byte(j.raw), j.v); err != nil {
			return s, fmt.Errorf("sso settings: %w", err)
		}
	}
	s.UpdatedAt, err = parseTime(updated)
	return s, err
}

// SSOSettings is the organisation's single sign-on configuration.
func (s *orgStore) SSOSettings(ctx context.Context) (assay.SSOSettings, error) {
	return scanSSO(s.db.queryRow(ctx, `SELECT `+ssoColumns+` FROM sso_settings WHERE org_id = ?`, s.orgID))
}

// ssoEntry is what a settings change leaves in the trail: never the
// secret, only whether there is one.
type ssoEntry struct {
	assay.SSOSettings
	SecretSet bool `json:"client_secret_set"`
}

// SetSSOSettings replaces the organisation's configuration.
func (s *orgStore) SetSSOSettings(ctx context.Context, actor assay.Actor, set assay.SSOSettings, keepSecret bool) error {
	if err := set.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		before, err := scanSSO(tx.queryRow(`SELECT `+ssoColumns+` FROM sso_settings WHERE org_id = ?`, s.orgID))
		if err != nil {
			return err
		}
		if set.SealedSecret == nil && keepSecret {
			set.SealedSecret = before.SealedSecret
		}
		var breakGlass any
		if set.BreakGlassUserID != 0 {
			u, err := tx.user(s.orgID, set.BreakGlassUserID)
			if err != nil {
				return assay.Invalid("break_glass_user_id", "The break-glass admin is not a user of this organisation.")
			}
			if u.Role != assay.RoleAdmin || u.Disabled {
				return assay.Invalid("break_glass_user_id", "The break-glass user must be an active admin; %s is not.", u.Email)
			}
			breakGlass = u.ID
		}
		enc := func(v any) string { b, _ := json.Marshal(v); return string(b) }
		if set.RoleMap == nil {
			set.RoleMap = map[string]assay.Role{}
		}
		if set.Scopes == nil {
			set.Scopes = []string{}
		}
		if _, err := tx.exec(`INSERT INTO sso_settings (org_id, `+ssoColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (org_id) DO UPDATE SET protocol = excluded.protocol, provider_name = excluded.provider_name, issuer = excluded.issuer,
			client_id = excluded.client_id, client_secret = excluded.client_secret, scopes = excluded.scopes,
			saml_metadata_url = excluded.saml_metadata_url, saml_metadata_xml = excluded.saml_metadata_xml, groups_claim = excluded.groups_claim,
			default_role = excluded.default_role, refuse_unmapped = excluded.refuse_unmapped, role_map = excluded.role_map,
			allowed_domains = excluded.allowed_domains, sso_only = excluded.sso_only, break_glass_user_id = excluded.break_glass_user_id,
			updated_at = excluded.updated_at`,
			s.orgID, string(set.Protocol), set.ProviderName, set.Issuer, set.ClientID, set.SealedSecret, enc(set.Scopes), set.SAMLMetadataURL,
			set.SAMLMetadataXML, set.GroupsClaim, string(set.DefaultRole), boolInt(set.RefuseUnmapped), enc(set.RoleMap), enc(set.AllowedDomains),
			boolInt(set.SSOOnly), breakGlass, formatTime(tx.now)); err != nil {
			return fmt.Errorf("set sso settings: %w", err)
		}
		set.HasSecret = len(set.SealedSecret) > 0
		set.UpdatedAt = tx.now
		summary := "Single sign-on turned off"
		if set.Enabled() {
			summary = fmt.Sprintf("Single sign-on set to %s (%s)", set.ProviderName, set.Protocol)
			if set.SSOOnly {
				summary += ", the only way in"
			}
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: assay.EventSSOSettings, objectType: "organization", objectID: fmt.Sprint(s.orgID),
			summary: summary, before: ssoEntry{before, before.HasSecret}, after: ssoEntry{set, set.HasSecret}})
		return err
	})
}

// SSOUser is the user linked to an identity.
func (s *orgStore) SSOUser(ctx context.Context, protocol assay.SSOProtocol, subject string) (assay.User, error) {
	return scanUser(s.db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE org_id = ? AND id =
		(SELECT user_id FROM sso_identities WHERE org_id = ? AND protocol = ? AND subject = ?)`, s.orgID, s.orgID, string(protocol), subject))
}

func (tx *Tx) linkSSO(orgID int64, actor assay.Actor, u assay.User, id assay.SSOIdentity) error {
	if id.Subject == "" || (id.Protocol != assay.SSOOIDC && id.Protocol != assay.SSOSAML) {
		return assay.Invalid("subject", "The identity provider named nobody.")
	}
	if _, err := tx.exec(`INSERT INTO sso_identities (org_id, protocol, subject, user_id, created_at) VALUES (?, ?, ?, ?, ?)`,
		orgID, string(id.Protocol), id.Subject, u.ID, formatTime(tx.now)); err != nil {
		if assay.ErrorCode(tx.db.dialect.MapError(err)) == assay.ECONFLICT {
			return assay.Errorf(assay.ECONFLICT, "This identity is linked to another user already.")
		}
		return fmt.Errorf("link sso: %w", err)
	}
	type link struct {
		Protocol assay.SSOProtocol `json:"protocol"`
		Subject  string            `json:"subject"`
		Email    string            `json:"email"`
	}
	_, err := tx.appendActivity(actor, change{orgID: orgID, action: assay.EventSSOLink, objectType: "user", objectID: fmt.Sprint(u.ID),
		summary: fmt.Sprintf("SSO link: %s (%s) linked to their identity at the identity provider (%s)", u.Name, u.Email, id.Protocol),
		after:   link{id.Protocol, id.Subject, id.Email}})
	return err
}

// LinkSSO links an existing user to an identity.
func (s *orgStore) LinkSSO(ctx context.Context, actor assay.Actor, userID int64, id assay.SSOIdentity) error {
	return s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.user(s.orgID, userID)
		if err != nil {
			return err
		}
		return tx.linkSSO(s.orgID, actor, u, id)
	})
}

// ProvisionSSOUser creates and links a user.
func (s *orgStore) ProvisionSSOUser(ctx context.Context, actor assay.Actor, n assay.NewUser, passwordHash string, id assay.SSOIdentity) (assay.User, error) {
	if passwordHash == "" {
		return assay.User{}, fmt.Errorf("provision user: empty password hash")
	}
	var u assay.User
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		var err error
		u, err = scanUser(tx.queryRow(`INSERT INTO users (org_id, email, name, role, password_hash, disabled, created_at)
			VALUES (?, ?, ?, ?, ?, 0, ?) RETURNING `+userColumns, s.orgID, n.Email, n.Name, string(n.Role), passwordHash, formatTime(tx.now)))
		if err != nil {
			if assay.ErrorCode(tx.db.dialect.MapError(errors.Unwrap(err))) == assay.ECONFLICT {
				return assay.Errorf(assay.ECONFLICT, "A user with email %s already exists.", n.Email)
			}
			return fmt.Errorf("provision user: %w", err)
		}
		if _, err := tx.appendActivity(actor, change{orgID: s.orgID, action: "user.create", objectType: "user", objectID: fmt.Sprint(u.ID),
			summary: fmt.Sprintf("Added %s (%s) as %s on their first single sign-on", u.Name, u.Email, u.Role), after: u}); err != nil {
			return err
		}
		return tx.linkSSO(s.orgID, actor, u, id)
	})
	return u, err
}

// UseSAMLAssertion records an accepted assertion id.
func (s *orgStore) UseSAMLAssertion(ctx context.Context, id string, notOnOrAfter time.Time) (bool, error) {
	fresh := false
	err := s.db.update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`DELETE FROM saml_assertions WHERE org_id = ? AND not_on_or_after < ?`, s.orgID, formatTime(tx.now)); err != nil {
			return fmt.Errorf("saml assertions: %w", err)
		}
		res, err := tx.exec(`INSERT INTO saml_assertions (org_id, assertion_id, not_on_or_after) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			s.orgID, id, formatTime(notOnOrAfter))
		if err != nil {
			return fmt.Errorf("saml assertion: %w", err)
		}
		n, _ := res.RowsAffected()
		fresh = n == 1
		return nil
	})
	return fresh, err
}

// SSOLogins lists the organisations offering single sign-on.
func (db *DB) SSOLogins(ctx context.Context) ([]assay.SSOLogin, error) {
	rows, err := db.query(ctx, `SELECT o.slug, o.name, s.provider_name, s.sso_only FROM sso_settings s JOIN organizations o ON o.id = s.org_id
		WHERE s.protocol <> '' ORDER BY o.name, o.slug`)
	if err != nil {
		return nil, fmt.Errorf("sso logins: %w", err)
	}
	defer rows.Close()
	out := []assay.SSOLogin{}
	for rows.Next() {
		var l assay.SSOLogin
		var only int
		if err := rows.Scan(&l.Slug, &l.OrgName, &l.ProviderName, &only); err != nil {
			return nil, fmt.Errorf("sso logins: %w", err)
		}
		l.SSOOnly = only != 0
		out = append(out, l)
	}
	return out, rows.Err()
}
