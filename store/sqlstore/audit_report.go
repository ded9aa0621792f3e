package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/assay-platform/assay"
)

// SignAuditDocument records a sign-off and its activity entry, which
// carries the digest of the text signed.
func (s *orgStore) SignAuditDocument(ctx context.Context, actor assay.Actor, auditID int64, n assay.NewSignoff) (assay.AuditSignoff, error) {
	if err := n.Validate(); err != nil {
		return assay.AuditSignoff{}, err
	}
	var out assay.AuditSignoff
	err := s.db.update(ctx, func(tx *Tx) error {
		a, err := tx.audit(s.orgID, auditID)
		if err != nil {
			return err
		}
		out = assay.AuditSignoff{AuditID: auditID, Document: n.Document, Digest: n.Digest, SignerUserID: n.SignerUserID,
			SignerName: n.SignerName, SignerTitle: n.SignerTitle, RecordedByName: actor.Name, SignedAt: tx.now}
		err = tx.queryRow(`INSERT INTO audit_signoffs (org_id, audit_id, document, digest, signer_user_id, signer_name, signer_title, recorded_by_name, signed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, s.orgID, auditID, string(n.Document), n.Digest, nullInt(n.SignerUserID),
			n.SignerName, n.SignerTitle, actor.Name, formatTime(tx.now)).Scan(&out.ID)
		if err != nil {
			return fmt.Errorf("insert sign-off: %w", err)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "audit.signoff", objectType: "audit", objectID: fmt.Sprint(auditID),
			summary: fmt.Sprintf("%s (%s) signed the %s of %q (sha256 %s)", out.SignerName, out.SignerTitle, n.Document, a.Name, n.Digest), after: out})
		return err
	})
	return out, err
}

// AuditSignoffs lists an engagement's sign-offs, oldest first.
func (s *orgStore) AuditSignoffs(ctx context.Context, auditID int64) ([]assay.AuditSignoff, error) {
	if _, err := s.Audit(ctx, auditID); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT id, audit_id, document, digest, signer_user_id, signer_name, signer_title, recorded_by_name, signed_at
		FROM audit_signoffs WHERE org_id = ? AND audit_id = ? ORDER BY id`, s.orgID, auditID)
	if err != nil {
		return nil, fmt.Errorf("list sign-offs: %w", err)
	}
	defer rows.Close()
	out := []assay.AuditSignoff{}
	for rows.Next() {
		var x assay.AuditSignoff
		var user sql.NullInt64
		var at string
		if err := rows.Scan(&x.ID, &x.AuditID, &x.Document, &x.Digest, &user, &x.SignerName, &x.SignerTitle, &x.RecordedByName, &at); err != nil {
			return nil, fmt.Errorf("scan sign-off: %w", err)
		}
		x.SignerUserID = user.Int64
		if x.SignedAt, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// AddAuditReportFile records an uploaded report and its activity entry,
// which carries the blob's digest.
func (s *orgStore) AddAuditReportFile(ctx context.Context, actor assay.Actor, auditID int64, n assay.NewReportFile) (assay.AuditReportFile, error) {
	if err := n.Validate(); err != nil {
		return assay.AuditReportFile{}, err
	}
	var out assay.AuditReportFile
	err := s.db.update(ctx, func(tx *Tx) error {
		a, err := tx.audit(s.orgID, auditID)
		if err != nil {
			return err
		}
		out = assay.AuditReportFile{AuditID: auditID, Kind: n.Kind, Filename: n.Filename, ContentType: n.ContentType, Size: n.Size,
			Digest: n.Digest, UploadedByName: actor.Name, UploadedAt: tx.now}
		err = tx.queryRow(`INSERT INTO audit_report_files (org_id, audit_id, kind, filename, content_type, size, digest, uploaded_by_name, uploaded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, s.orgID, auditID, string(n.Kind), n.Filename, n.ContentType, n.Size, n.Digest,
			actor.Name, formatTime(tx.now)).Scan(&out.ID)
		if err != nil {
			return fmt.Errorf("insert report file: %w", err)
		}
		what := "a draft report"
		if n.Kind == assay.ReportFinal {
			what = "the final report"
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "audit.report_file", objectType: "audit", objectID: fmt.Sprint(auditID),
			summary: fmt.Sprintf("Uploaded %s for %q: %s (sha256 %s)", what, a.Name, n.Filename, n.Digest), after: out})
		return err
	})
	return out, err
}

// AuditReportFiles lists an engagement's uploaded reports, oldest first.
func (s *orgStore) AuditReportFiles(ctx context.Context, auditID int64) ([]assay.AuditReportFile, error) {
	if _, err := s.Audit(ctx, auditID); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT id, audit_id, kind, filename, content_type, size, digest, uploaded_by_name, uploaded_at
		FROM audit_report_files WHERE org_id = ? AND audit_id = ? ORDER BY id`, s.orgID, auditID)
	if err != nil {
		return nil, fmt.Errorf("list report files: %w", err)
	}
	defer rows.Close()
	out := []assay.AuditReportFile{}
	for rows.Next() {
		var x assay.AuditReportFile
		var at string
		if err := rows.Scan(&x.ID, &x.AuditID, &x.Kind, &x.Filename, &x.ContentType, &x.Size, &x.Digest, &x.UploadedByName, &at); err != nil {
			return nil, fmt.Errorf("scan report file: %w", err)
		}
		if x.UploadedAt, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

const reportCommentColumns = `id, audit_id, file_id, body, author_name, author_role, created_at, resolved_at, resolved_by_name`

func scanReportComment(row interface{ Scan(...any) error }) (assay.AuditReportComment, error) {
	var x assay.AuditReportComment
	var at string
	var resolved sql.NullString
	if err := row.Scan(&x.ID, &x.AuditID, &x.FileID, &x.Body, &x.AuthorName, &x.AuthorRole, &at, &resolved, &x.ResolvedByName); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return x, assay.Errorf(assay.ENOTFOUND, "Comment not found.")
		}
		return x, fmt.Errorf("scan report comment: %w", err)
	}
	var err error
	if x.CreatedAt, err = parseTime(at); err != nil {
		return x, err
	}
	x.ResolvedAt, err = parseTimePtr(resolved)
	return x, err
}

// AddAuditReportComment records a comment on one of the engagement's
// draft reports.
func (s *orgStore) AddAuditReportComment(ctx context.Context, actor assay.Actor, role assay.Role, auditID, fileID int64, body string) (assay.AuditReportComment, error) {
	body, err := assay.CheckReportComment(body)
	if err != nil {
		return assay.AuditReportComment{}, err
	}
	var out assay.AuditReportComment
	err = s.db.update(ctx, func(tx *Tx) error {
		a, err := tx.audit(s.orgID, auditID)
		if err != nil {
			return err
		}
		var name string
		err = tx.queryRow(`SELECT filename FROM audit_report_files WHERE org_id = ? AND audit_id = ? AND id = ?`, s.orgID, auditID, fileID).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return assay.Errorf(assay.ENOTFOUND, "Report file not found.")
		}
		if err != nil {
			return fmt.Errorf("report file %d: %w", fileID, err)
		}
		out = assay.AuditReportComment{AuditID: auditID, FileID: fileID, Body: body, AuthorName: actor.Name, AuthorRole: role, CreatedAt: tx.now}
		err = tx.queryRow(`INSERT INTO audit_report_comments (org_id, audit_id, file_id, body, author_name, author_role, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, s.orgID, auditID, fileID, body, actor.Name, string(role), formatTime(tx.now)).Scan(&out.ID)
		if err != nil {
			return fmt.Errorf("insert report comment: %w", err)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "audit.report_comment", objectType: "audit", objectID: fmt.Sprint(auditID),
			summary: fmt.Sprintf("Commented on %s of %q", name, a.Name), after: out})
		return err
	})
	return out, err
}

// ResolveAuditReportComment marks an open comment resolved.
func (s *orgStore) ResolveAuditReportComment(ctx context.Context, actor assay.Actor, auditID, commentID int64) (assay.AuditReportComment, error) {
	var out assay.AuditReportComment
	err := s.db.update(ctx, func(tx *Tx) error {
		a, err := tx.audit(s.orgID, auditID)
		if err != nil {
			return err
		}
		before, err := scanReportComment(tx.queryRow(`SELECT `+reportCommentColumns+` FROM audit_report_comments WHERE org_id = ? AND audit_id = ? AND id = ?`,
			s.orgID, auditID, commentID))
		if err != nil {
			return err
		}
		if !before.Open() {
			return assay.Errorf(assay.ECONFLICT, "The comment was already resolved by %s.", before.ResolvedByName)
		}
		out = before
		now := tx.now
		out.ResolvedAt, out.ResolvedByName = &now, actor.Name
		if _, err := tx.exec(`UPDATE audit_report_comments SET resolved_at = ?, resolved_by_name = ? WHERE org_id = ? AND id = ?`,
			formatTime(now), actor.Name, s.orgID, commentID); err != nil {
			return fmt.Errorf("resolve report comment: %w", err)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "audit.report_resolve", objectType: "audit", objectID: fmt.Sprint(auditID),
			summary: fmt.Sprintf("Resolved comment %d on the report of %q", commentID, a.Name), before: before, after: out})
		return err
	})
	return out, err
}

// AuditReportComments lists the comments on an engagement's reports,
// oldest first.
func (s *orgStore) AuditReportComments(ctx context.Context, auditID int64) ([]assay.AuditReportComment, error) {
	if _, err := s.Audit(ctx, auditID); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT `+reportCommentColumns+` FROM audit_report_comments WHERE org_id = ? AND audit_id = ? ORDER BY id`, s.orgID, auditID)
	if err != nil {
		return nil, fmt.Errorf("list report comments: %w", err)
	}
	defer rows.Close()
	out := []assay.AuditReportComment{}
	for rows.Next() {
		x, err := scanReportComment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
