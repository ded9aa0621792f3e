package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/assay-platform/assay"
)

// TrustSettings are the organisation's trust center settings.
func (s *orgStore) TrustSettings(ctx context.Context) (assay.TrustSettings, error) {
	return s.trustSettings(ctx, s.db.read)
}

func (s *orgStore) trustSettings(ctx context.Context, q rowQuerier) (assay.TrustSettings, error) {
	var raw, updated string
	err := q.QueryRowContext(ctx, s.db.q(`SELECT settings_json, updated_at FROM trust_settings WHERE org_id = ?`), s.orgID).Scan(&raw, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return assay.TrustSettings{Tiles: []string{}, Subprocessors: []assay.TrustSubprocessor{}, Policies: []int64{}, Incidents: []assay.TrustIncident{},
			FAQ: []assay.TrustFAQ{}, AutoApproveDomains: []string{}}, nil
	} else if err != nil {
		return assay.TrustSettings{}, fmt.Errorf("trust settings: %w", err)
	}
	var t assay.TrustSettings
	if err := json.Unmarshal([]byte(raw), &t); err != nil {
		return t, fmt.Errorf("trust settings: %w", err)
	}
	t.UpdatedAt, err = parseTime(updated)
	return t, err
}

// UpdateTrustSettings replaces the settings (checked by the caller with
// Normalize); the change and both versions are in the activity trail.
func (s *orgStore) UpdateTrustSettings(ctx context.Context, actor assay.Actor, t assay.TrustSettings) (assay.TrustSettings, error) {
	var out assay.TrustSettings
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		before, err := s.trustSettings(tx.ctx, tx.Tx)
		if err != nil {
			return err
		}
		t.UpdatedAt = tx.now
		raw, err := json.Marshal(t)
		if err != nil {
			return err
		}
		now := formatTime(tx.now)
		if _, err := tx.exec(`INSERT INTO trust_settings (org_id, enabled, settings_json, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (org_id) DO UPDATE SET enabled = excluded.enabled, settings_json = excluded.settings_json, updated_at = excluded.updated_at`,
			s.orgID, boolInt(t.Enabled), string(raw), now); err != nil {
			return fmt.Errorf("save trust settings: %w", err)
		}
		out = t
		summary := "Trust center settings changed"
		switch {
		case t.Enabled && !before.Enabled:
			summary = "Trust center published"
		case !t.Enabled && before.Enabled:
			summary = "Trust center taken down"
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "trust.settings", objectType: "trust_center", objectID: "settings",
			summary: summary, before: before, after: out})
		return err
	})
	return out, err
}

// PublicTrustOrg is the lowest-numbered organisation whose trust center is on.
func (db *DB) PublicTrustOrg(ctx context.Context) (int64, error) {
	var id int64
	err := db.queryRow(ctx, `SELECT org_id FROM trust_settings WHERE enabled = 1 ORDER BY org_id LIMIT 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, assay.Errorf(assay.ENOTFOUND, "No trust center is published.")
	}
	if err != nil {
		return 0, fmt.Errorf("public trust center: %w", err)
	}
	return id, nil
}

const trustDocColumns = `id, title, description, filename, content_type, size, sha256, nda, published, created_by_name, created_at`

func scanTrustDoc(row interface{ Scan(...any) error }) (assay.TrustDocument, error) {
	var d assay.TrustDocument
	var nda, published int
	var created string
	err := row.Scan(&d.ID, &d.Title, &d.Description, &d.Filename, &d.ContentType, &d.Size, &d.SHA256, &nda, &published, &d.CreatedBy, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return d, assay.Errorf(assay.ENOTFOUND, "Document not found.")
	} else if err != nil {
		return d, fmt.Errorf("scan trust document: %w", err)
	}
	d.NDA, d.Published = nda == 1, published == 1
	d.CreatedAt, err = parseTime(created)
	return d, err
}

// CreateTrustDocument offers a stored blob as a document.
func (s *orgStore) CreateTrustDocument(ctx context.Context, actor assay.Actor, n assay.NewTrustDocument) (assay.TrustDocument, error) {
	if err := n.Normalize(); err != nil {
		return assay.TrustDocument{}, err
	}
	var out assay.TrustDocument
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		var id int64
		if err := tx.queryRow(`INSERT INTO trust_documents (org_id, title, description, filename, content_type, size, sha256, nda, published,
			created_by_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`, s.orgID, n.Title, n.Description, n.Filename,
			n.ContentType, n.Size, n.SHA256, boolInt(n.NDA), actor.Name, formatTime(tx.now)).Scan(&id); err != nil {
			return fmt.Errorf("insert trust document: %w", err)
		}
		var err error
		if out, err = scanTrustDoc(tx.queryRow(`SELECT `+trustDocColumns+` FROM trust_documents WHERE org_id = ? AND id = ?`, s.orgID, id)); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "trust.document", objectType: "trust_document", objectID: idText(id),
			summary: fmt.Sprintf("Trust center offers %q (sha256 %s)", n.Title, n.SHA256), after: out})
		return err
	})
	return out, err
}

// TrustDocuments lists the documents, newest first.
func (s *orgStore) TrustDocuments(ctx context.Context) ([]assay.TrustDocument, error) {
	rows, err := s.db.query(ctx, `SELECT `+trustDocColumns+` FROM trust_documents WHERE org_id = ? ORDER BY id DESC`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("trust documents: %w", err)
	}
	defer rows.Close()
	out := []assay.TrustDocument{}
	for rows.Next() {
		d, err := scanTrustDoc(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// TrustDocument is one document.
func (s *orgStore) TrustDocument(ctx context.Context, id int64) (assay.TrustDocument, error) {
	return scanTrustDoc(s.db.queryRow(ctx, `SELECT `+trustDocColumns+` FROM trust_documents WHERE org_id = ? AND id = ?`, s.orgID, id))
}

// SetTrustDocumentPublished shows or withdraws a document.
func (s *orgStore) SetTrustDocumentPublished(ctx context.Context, actor assay.Actor, id int64, published bool) (assay.TrustDocument, error) {
	var out assay.TrustDocument
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := scanTrustDoc(tx.queryRow(`SELECT `+trustDocColumns+` FROM trust_documents WHERE org_id = ? AND id = ?`, s.orgID, id))
		if err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE trust_documents SET published = ? WHERE org_id = ? AND id = ?`, boolInt(published), s.orgID, id); err != nil {
			return fmt.Errorf("publish trust document: %w", err)
		}
		out = before
		out.Published = published
		verb := "withdrawn from"
		if published {
			verb = "shown on"
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "trust.document_published", objectType: "trust_document", objectID: idText(id),
			summary: fmt.Sprintf("%q %s the trust center", before.Title, verb), before: before, after: out})
		return err
	})
	return out, err
}
