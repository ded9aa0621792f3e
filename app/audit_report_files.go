package app

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/evidence"
)

// UploadAuditReport stores the auditor's draft or final report as a blob
// (read from content, at most limit bytes) and records it with its digest.
// The latest final report is the engagement's result.
func (a *App) UploadAuditReport(ctx context.Context, p Principal, id int64, kind assay.ReportFileKind, f File, content io.Reader, limit int64) (assay.AuditReportFile, error) {
	if err := mayUploadReport(p, id); err != nil {
		return assay.AuditReportFile{}, err
	}
	n := assay.NewReportFile{Kind: kind, Filename: f.Filename, ContentType: f.MediaType, Digest: "0000000000000000000000000000000000000000000000000000000000000000"}
	if err := n.Validate(); err != nil { // before reading the file
		return assay.AuditReportFile{}, err
	}
	if _, err := p.Org.Audit(ctx, id); err != nil {
		return assay.AuditReportFile{}, err
	}
	if a.blobs == nil {
		return assay.AuditReportFile{}, errors.New("upload audit report: no blob store")
	}
	b, err := a.blobs.Put(content, limit)
	if err != nil {
		return assay.AuditReportFile{}, fmt.Errorf("upload audit report: %w", err)
	}
	n.Digest, n.Size = b.SHA256, b.Size
	if n.ContentType == "" {
		n.ContentType = "application/octet-stream"
	}
	return p.Org.AddAuditReportFile(ctx, p.Actor(), id, n)
}

// AuditReportFileContent opens an uploaded report for reading; the reader
// checks the content against its digest as it goes.
func (a *App) AuditReportFileContent(ctx context.Context, p Principal, id, fileID int64) (assay.AuditReportFile, *evidence.Reader, error) {
	if err := mayReadReport(p, id); err != nil {
		return assay.AuditReportFile{}, nil, err
	}
	files, err := p.Org.AuditReportFiles(ctx, id)
	if err != nil {
		return assay.AuditReportFile{}, nil, err
	}
	for _, f := range files {
		if f.ID != fileID {
			continue
		}
		if a.blobs == nil {
			return f, nil, errors.New("audit report file: no blob store")
		}
		r, err := a.blobs.Open(f.Digest, f.Size)
		if err != nil {
			return f, nil, fmt.Errorf("audit report file %d: %w", fileID, err)
		}
		return f, r, nil
	}
	return assay.AuditReportFile{}, nil, assay.Errorf(assay.ENOTFOUND, "Report file not found.")
}

// CommentAuditReport adds a comment on one of the engagement's reports.
func (a *App) CommentAuditReport(ctx context.Context, p Principal, id, fileID int64, body string) (assay.AuditReportComment, error) {
	if err := mayCommentReport(p, id); err != nil {
		return assay.AuditReportComment{}, err
	}
	return p.Org.AddAuditReportComment(ctx, p.Actor(), p.User.Role, id, fileID, body)
}

// ResolveAuditReportComment marks a comment resolved.
func (a *App) ResolveAuditReportComment(ctx context.Context, p Principal, id, commentID int64) (assay.AuditReportComment, error) {
	if err := mayResolveReportComment(p, id); err != nil {
		return assay.AuditReportComment{}, err
	}
	return p.Org.ResolveAuditReportComment(ctx, p.Actor(), id, commentID)
}
