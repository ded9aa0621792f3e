package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// orgStore is the store bound to one organisation. Every query it runs
// carries org_id = s.orgID; there is no way to call it without one.
type orgStore struct {
	db    *DB
	orgID int64
}

// Org returns the store bound to one organisation.
func (db *DB) Org(orgID int64) store.OrgStore { return &orgStore{db: db, orgID: orgID} }

func (s *orgStore) OrgID() int64 { return s.orgID }

const orgColumns = `id, slug, name, scope_json, system_json, created_at, updated_at`

func scanOrg(row interface{ Scan(...any) error }) (assay.Organization, error) {
	var o assay.Organization
	var scope, system, created, updated string
	if err := row.Scan(&o.ID, &o.Slug, &o.Name, &scope, &system, &created, &updated); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return o, assay.Errorf(assay.ENOTFOUND, "Organisation not found.")
		}
		return o, fmt.Errorf("scan organisation: %w", err)
	}
	if err := json.Unmarshal([]byte(scope), &o.Scope); err != nil {
		return o, fmt.Errorf("organisation %d scope: %w", o.ID, err)
	}
	if err := json.Unmarshal([]byte(system), &o.System); err != nil {
		return o, fmt.Errorf("organisation %d system description: %w", o.ID, err)
	}
	var err error
	if o.CreatedAt, err = parseTime(created); err != nil {
		return o, err
	}
	if o.UpdatedAt, err = parseTime(updated); err != nil {
		return o, err
	}
	return o, nil
}

// CreateOrganization creates an organisation with its adopted controls.
func (db *DB) CreateOrganization(ctx context.Context, actor assay.Actor, name, slug string, scope assay.Scope, controls []assay.Control) (assay.Organization, error) {
	if err := assay.ValidateOrganization(name, slug); err != nil {
		return assay.Organization{}, err
	}
	scope, err := scope.Normalize()
	if err != nil {
		return assay.Organization{}, err
	}
	for _, c := range controls {
		if err := c.Validate(db.knownCriterion); err != nil {
			return assay.Organization{}, fmt.Errorf("control %s: %w", c.ID, err)
		}
	}
	var org assay.Organization
	err = db.update(ctx, func(tx *Tx) error {
		scopeJSON, _ := json.Marshal(scope)
		systemJSON, _ := json.Marshal(assay.SystemDescription{Subservices: []assay.SubserviceOrg{}})
		now := formatTime(tx.now)
		row := tx.queryRow(`INSERT INTO organizations (slug, name, scope_json, system_json, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING `+orgColumns, slug, name, string(scopeJSON), string(systemJSON), now, now)
		var err error
		if org, err = scanOrg(row); err != nil {
			return fmt.Errorf("insert organisation: %w", err)
		}
		if _, err := tx.appendActivity(actor, change{orgID: org.ID, action: "organization.create", objectType: "organization",
			objectID: org.Slug, summary: "Created organisation " + org.Name, after: org}); err != nil {
			return err
		}
		adopted := make([]assay.Control, 0, len(controls))
		for _, c := range controls {
			c, err := tx.insertControl(org.ID, c)
			if err != nil {
				return err
			}
			adopted = append(adopted, c)
		}
		if len(controls) > 0 {
			// The entry records every adopted control as written, so the
			// ledger holds each control's state from its first day.
			if _, err := tx.appendActivity(actor, change{orgID: org.ID, action: "control.adopt_library", objectType: "organization",
				objectID: org.Slug, summary: fmt.Sprintf("Adopted %d controls from the default library", len(controls)),
				after: adoption{Controls: len(controls), Adopted: adopted}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return assay.Organization{}, fmt.Errorf("create organisation %q: %w", slug, err)
	}
	return org, nil
}

// adoption is the after state of a control.adopt_library entry.
type adoption struct {
	Controls int             `json:"controls"`
	Adopted  []assay.Control `json:"adopted"`
}

// Organizations lists every organisation.
func (db *DB) Organizations(ctx context.Context) ([]assay.Organization, error) {
	rows, err := db.query(ctx, `SELECT `+orgColumns+` FROM organizations ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list organisations: %w", err)
	}
	defer rows.Close()
	var out []assay.Organization
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// OrganizationBySlug finds an organisation by slug.
func (db *DB) OrganizationBySlug(ctx context.Context, slug string) (assay.Organization, error) {
	return scanOrg(db.queryRow(ctx, `SELECT `+orgColumns+` FROM organizations WHERE slug = ?`, slug))
}

func (s *orgStore) Organization(ctx context.Context) (assay.Organization, error) {
	return scanOrg(s.db.queryRow(ctx, `SELECT `+orgColumns+` FROM organizations WHERE id = ?`, s.orgID))
}

func (tx *Tx) organization(orgID int64) (assay.Organization, error) {
	return scanOrg(tx.queryRow(`SELECT `+orgColumns+` FROM organizations WHERE id = ?`, orgID))
}

// UpdateScope sets the categories in scope.
func (s *orgStore) UpdateScope(ctx context.Context, actor assay.Actor, scope assay.Scope) (assay.Organization, error) {
	scope, err := scope.Normalize()
	if err != nil {
		return assay.Organization{}, err
	}
	var after assay.Organization
	err = s.db.update(ctx, func(tx *Tx) error {
		before, err := tx.organization(s.orgID)
		if err != nil {
			return err
		}
		b, _ := json.Marshal(scope)
		if _, err := tx.exec(`UPDATE organizations SET scope_json = ?, updated_at = ? WHERE id = ?`, string(b), formatTime(tx.now), s.orgID); err != nil {
			return fmt.Errorf("update scope: %w", err)
		}
		after = before
		after.Scope = scope
		after.UpdatedAt = tx.now
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "scope.update", objectType: "organization", objectID: before.Slug,
			summary: "Changed the categories in scope", before: before.Scope, after: scope})
		return err
	})
	return after, err
}

// UpdateSystemDescription replaces the system description.
func (s *orgStore) UpdateSystemDescription(ctx context.Context, actor assay.Actor, d assay.SystemDescription) (assay.Organization, error) {
	if d.Subservices == nil {
		d.Subservices = []assay.SubserviceOrg{}
	}
	if err := d.Validate(); err != nil {
		return assay.Organization{}, err
	}
	var after assay.Organization
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := tx.organization(s.orgID)
		if err != nil {
			return err
		}
		b, _ := json.Marshal(d)
		if _, err := tx.exec(`UPDATE organizations SET system_json = ?, updated_at = ? WHERE id = ?`, string(b), formatTime(tx.now), s.orgID); err != nil {
			return fmt.Errorf("update system description: %w", err)
		}
		after = before
		after.System = d
		after.UpdatedAt = tx.now
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "system_description.update", objectType: "organization", objectID: before.Slug,
			summary: "Edited the system description", before: before.System, after: d})
		return err
	})
	return after, err
}
