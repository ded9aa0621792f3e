package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
)

const trustRequestColumns = `r.id, r.document_id, COALESCE(d.title, ''), r.name, r.email, r.company, r.reason, r.nda_version, r.nda_accepted_at,
	r.client_addr, r.status, r.decided_by_name, r.decided_at, r.expires_at, r.created_at,
	(SELECT COUNT(*) FROM trust_downloads dl WHERE dl.org_id = r.org_id AND dl.request_id = r.id)`

const trustRequestFrom = ` FROM trust_requests r LEFT JOIN trust_documents d ON d.org_id = r.org_id AND d.id = r.document_id`

func scanTrustRequest(row interface{ Scan(...any) error }) (assay.TrustAccessRequest, error) {
	var r assay.TrustAccessRequest
	var accepted, created string
	var decided, expires sql.NullString
	err := row.Scan(&r.ID, &r.DocumentID, &r.DocumentTitle, &r.Name, &r.Email, &r.Company, &r.Reason, &r.NDAVersion, &accepted,
		&r.ClientAddr, &r.Status, &r.DecidedBy, &decided, &expires, &created, &r.Downloads)
	if errors.Is(err, sql.ErrNoRows) {
		return r, assay.Errorf(assay.ENOTFOUND, "Request not found.")
	} else if err != nil {
		return r, fmt.Errorf("scan trust request: %w", err)
	}
	if r.NDAAcceptedAt, err = parseTime(accepted); err != nil {
		return r, err
	}
	if r.CreatedAt, err = parseTime(created); err != nil {
		return r, err
	}
	if r.DecidedAt, err = parseTimePtr(decided); err != nil {
		return r, err
	}
	r.ExpiresAt, err = parseTimePtr(expires)
	return r, err
}

func (s *orgStore) trustRequest(ctx context.Context, q rowQuerier, id int64) (assay.TrustAccessRequest, error) {
	return scanTrustRequest(q.QueryRowContext(ctx, s.db.q(`SELECT `+trustRequestColumns+trustRequestFrom+` WHERE r.org_id = ? AND r.id = ?`), s.orgID, id))
}

// CreateTrustRequest records a visitor's request for a published document.
func (s *orgStore) CreateTrustRequest(ctx context.Context, actor assay.Actor, n assay.NewTrustAccessRequest, ndaVersion, tokenHash string) (assay.TrustAccessRequest, error) {
	if err := n.Normalize(); err != nil {
		return assay.TrustAccessRequest{}, err
	}
	if len(tokenHash) < 32 {
		return assay.TrustAccessRequest{}, errors.New("trust request: no link")
	}
	var out assay.TrustAccessRequest
	err := s.db.update(ctx, func(tx *Tx) error {
		doc, err := scanTrustDoc(tx.queryRow(`SELECT `+trustDocColumns+` FROM trust_documents WHERE org_id = ? AND id = ?`, s.orgID, n.DocumentID))
		if err != nil || !doc.Published {
			return assay.Errorf(assay.ENOTFOUND, "Document not found.")
		}
		now := formatTime(tx.now)
		var id int64
		if err := tx.queryRow(`INSERT INTO trust_requests (org_id, document_id, name, email, company, reason, nda_version, nda_accepted_at,
			client_addr, status, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, s.orgID, n.DocumentID, n.Name, n.Email,
			n.Company, n.Reason, ndaVersion, now, n.ClientAddr, string(assay.TrustRequestPending), tokenHash, now).Scan(&id); err != nil {
			return fmt.Errorf("insert trust request: %w", err)
		}
		if out, err = s.trustRequest(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "trust.request", objectType: "trust_request", objectID: idText(id),
			summary: fmt.Sprintf("%s <%s> of %s asked for %q and accepted the NDA (version %.12s) from %s", n.Name, n.Email, n.Company,
				doc.Title, ndaVersion, orUnknown(n.ClientAddr)), after: out})
		return err
	})
	return out, err
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown address"
	}
	return s
}

// TrustRequests lists requests, newest first; status "" lists all.
func (s *orgStore) TrustRequests(ctx context.Context, status assay.TrustRequestStatus) ([]assay.TrustAccessRequest, error) {
	q := `SELECT ` + trustRequestColumns + trustRequestFrom + ` WHERE r.org_id = ?`
	args := []any{s.orgID}
	if status != "" {
		q += ` AND r.status = ?`
		args = append(args, string(status))
	}
	rows, err := s.db.query(ctx, q+` ORDER BY r.id DESC LIMIT 1000`, args...)
	if err != nil {
		return nil, fmt.Errorf("trust requests: %w", err)
	}
	defer rows.Close()
	out := []assay.TrustAccessRequest{}
	for rows.Next() {
		r, err := scanTrustRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// TrustRequest is one request.
func (s *orgStore) TrustRequest(ctx context.Context, id int64) (assay.TrustAccessRequest, error) {
	return s.trustRequest(ctx, s.db.read, id)
}

// DecideTrustRequest approves (until expires) or denies a pending request.
func (s *orgStore) DecideTrustRequest(ctx context.Context, actor assay.Actor, id int64, approve bool, expires time.Time) (assay.TrustAccessRequest, error) {
	if approve && expires.IsZero() {
		return assay.TrustAccessRequest{}, errors.New("approve trust request: no expiry")
	}
	var out assay.TrustAccessRequest
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := s.trustRequest(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		if before.Status != assay.TrustRequestPending {
			return assay.Errorf(assay.ECONFLICT, "Request %d is already %s.", id, before.Status)
		}
		now := formatTime(tx.now)
		status, verb := assay.TrustRequestDenied, "denied"
		var exp any
		if approve {
			status, verb, exp = assay.TrustRequestApproved, "approved", formatTime(expires)
		}
		if _, err := tx.exec(`UPDATE trust_requests SET status = ?, decided_by_name = ?, decided_at = ?, expires_at = ?
			WHERE org_id = ? AND id = ?`, string(status), actor.Name, now, exp, s.orgID, id); err != nil {
			return fmt.Errorf("decide trust request %d: %w", id, err)
		}
		if out, err = s.trustRequest(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "trust.request_" + verb, objectType: "trust_request", objectID: idText(id),
			summary: fmt.Sprintf("%s's request for %q %s", before.Email, before.DocumentTitle, verb), before: before, after: out})
		return err
	})
	return out, err
}

// TrustRequestByToken finds a request by its link's hash.
func (s *orgStore) TrustRequestByToken(ctx context.Context, tokenHash string) (assay.TrustAccessRequest, error) {
	return scanTrustRequest(s.db.queryRow(ctx, `SELECT `+trustRequestColumns+trustRequestFrom+` WHERE r.org_id = ? AND r.token_hash = ?`, s.orgID, tokenHash))
}

// RecordTrustDownload logs a download through a request's link.
func (s *orgStore) RecordTrustDownload(ctx context.Context, actor assay.Actor, requestID int64, clientAddr string) error {
	return s.db.update(ctx, func(tx *Tx) error {
		r, err := s.trustRequest(tx.ctx, tx.Tx, requestID)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO trust_downloads (org_id, request_id, at, client_addr) VALUES (?, ?, ?, ?)`,
			s.orgID, requestID, formatTime(tx.now), clientAddr); err != nil {
			return fmt.Errorf("log trust download: %w", err)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "trust.download", objectType: "trust_request", objectID: idText(requestID),
			summary: fmt.Sprintf("%s downloaded %q from %s", r.Email, r.DocumentTitle, orUnknown(clientAddr))})
		return err
	})
}

// SaveTrustSnapshot keeps a signed snapshot document.
func (s *orgStore) SaveTrustSnapshot(ctx context.Context, payloadSHA256 string, document []byte) (assay.TrustSnapshotRef, error) {
	var out assay.TrustSnapshotRef
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		if err := tx.queryRow(`INSERT INTO trust_snapshots (org_id, payload_sha256, document, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			s.orgID, payloadSHA256, string(document), formatTime(tx.now)).Scan(&out.ID); err != nil {
			return fmt.Errorf("save trust snapshot: %w", err)
		}
		out.PayloadSHA256, out.CreatedAt = payloadSHA256, tx.now
		return nil
	})
	return out, err
}

// TrustSnapshots lists kept snapshots, newest first.
func (s *orgStore) TrustSnapshots(ctx context.Context, limit int) ([]assay.TrustSnapshotRef, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := s.db.query(ctx, fmt.Sprintf(`SELECT id, payload_sha256, created_at FROM trust_snapshots WHERE org_id = ? ORDER BY id DESC LIMIT %d`, limit), s.orgID)
	if err != nil {
		return nil, fmt.Errorf("trust snapshots: %w", err)
	}
	defer rows.Close()
	out := []assay.TrustSnapshotRef{}
	for rows.Next() {
		var r assay.TrustSnapshotRef
		var created string
		if err := rows.Scan(&r.ID, &r.PayloadSHA256, &created); err != nil {
			return nil, fmt.Errorf("scan trust snapshot: %w", err)
		}
		if r.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// TrustSnapshot is one kept snapshot and its document.
func (s *orgStore) TrustSnapshot(ctx context.Context, id int64) (assay.TrustSnapshotRef, []byte, error) {
	var r assay.TrustSnapshotRef
	var doc, created string
	err := s.db.queryRow(ctx, `SELECT id, payload_sha256, document, created_at FROM trust_snapshots WHERE org_id = ? AND id = ?`, s.orgID, id).
		Scan(&r.ID, &r.PayloadSHA256, &doc, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return r, nil, assay.Errorf(assay.ENOTFOUND, "Snapshot not found.")
	} else if err != nil {
		return r, nil, fmt.Errorf("trust snapshot: %w", err)
	}
	r.CreatedAt, err = parseTime(created)
	return r, []byte(doc), err
}
