package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
)

// auditReportState adds the report package's rows (sign-offs, report
// files, comments) to the live state that verify compares with the ledger.
func (s *snapshot) auditReportState(ctx context.Context, st *ledger.LiveState) error {
	rows, err := s.query(ctx, `SELECT org_id, id, audit_id, document, digest, signer_user_id, signer_name, signer_title, recorded_by_name, signed_at
		FROM audit_signoffs ORDER BY id`)
	if err != nil {
		return fmt.Errorf("read sign-offs: %w", err)
	}
	for rows.Next() {
		l := ledger.LiveReportRecord{Signoff: &assay.AuditSignoff{}}
		x := l.Signoff
		var user sql.NullInt64
		var at string
		if err := rows.Scan(&l.OrgID, &x.ID, &x.AuditID, &x.Document, &x.Digest, &user, &x.SignerName, &x.SignerTitle, &x.RecordedByName, &at); err != nil {
			rows.Close()
			return fmt.Errorf("scan sign-off: %w", err)
		}
		x.SignerUserID = user.Int64
		if x.SignedAt, err = parseTime(at); err != nil {
			rows.Close()
			return err
		}
		st.AuditReport = append(st.AuditReport, l)
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	rows, err = s.query(ctx, `SELECT org_id, id, audit_id, kind, filename, content_type, size, digest, uploaded_by_name, uploaded_at
		FROM audit_report_files ORDER BY id`)
	if err != nil {
		return fmt.Errorf("read report files: %w", err)
	}
	for rows.Next() {
		l := ledger.LiveReportRecord{File: &assay.AuditReportFile{}}
		x := l.File
		var at string
		if err := rows.Scan(&l.OrgID, &x.ID, &x.AuditID, &x.Kind, &x.Filename, &x.ContentType, &x.Size, &x.Digest, &x.UploadedByName, &at); err != nil {
			rows.Close()
			return fmt.Errorf("scan report file: %w", err)
		}
		if x.UploadedAt, err = parseTime(at); err != nil {
			rows.Close()
			return err
		}
		st.AuditReport = append(st.AuditReport, l)
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	rows, err = s.query(ctx, `SELECT org_id, `+reportCommentColumns+` FROM audit_report_comments ORDER BY id`)
	if err != nil {
		return fmt.Errorf("read report comments: %w", err)
	}
	for rows.Next() {
		var l ledger.LiveReportRecord
		c, err := scanReportComment(prefixed{rows, []any{&l.OrgID}})
		if err != nil {
			rows.Close()
			return err
		}
		l.Comment = &c
		st.AuditReport = append(st.AuditReport, l)
	}
	return closeRows(rows)
}
