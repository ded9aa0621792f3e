package app

import (
	"context"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
)

// The engagement view's reach into what came with the report package, the
// frozen populations and their completeness proof: the engagement's own,
// nothing else (app/engagement_view.go). Who may sign, upload, comment or
// resolve is decided in app/audit_report_access.go.

func (v *engagementView) AuditSamplePopulation(ctx context.Context, auditID, sampleID int64) (assay.Population, error) {
	if !v.hasAudit(auditID) {
		return assay.Population{}, assay.Errorf(assay.ENOTFOUND, "Audit not found.")
	}
	return v.org.AuditSamplePopulation(ctx, auditID, sampleID)
}

// LedgerRange gives the engagement's evidence bundle the ledger range its
// populations are proved complete from. The range carries the
// organisation's entries in it whole (their hashes are what the proof
// checks), which the engagement's "changes" population already lists.
func (v *engagementView) LedgerRange(ctx context.Context, from, to int64) (ledger.RangeProof, error) {
	return v.org.LedgerRange(ctx, from, to)
}

func (v *engagementView) SignAuditDocument(ctx context.Context, actor assay.Actor, auditID int64, n assay.NewSignoff) (assay.AuditSignoff, error) {
	if !v.hasAudit(auditID) {
		return assay.AuditSignoff{}, assay.Errorf(assay.ENOTFOUND, "Audit not found.")
	}
	return v.org.SignAuditDocument(ctx, actor, auditID, n)
}

func (v *engagementView) AuditSignoffs(ctx context.Context, auditID int64) ([]assay.AuditSignoff, error) {
	if !v.hasAudit(auditID) {
		return nil, assay.Errorf(assay.ENOTFOUND, "Audit not found.")
	}
	return v.org.AuditSignoffs(ctx, auditID)
}

func (v *engagementView) AddAuditReportFile(ctx context.Context, actor assay.Actor, auditID int64, n assay.NewReportFile) (assay.AuditReportFile, error) {
	if !v.hasAudit(auditID) {
		return assay.AuditReportFile{}, assay.Errorf(assay.ENOTFOUND, "Audit not found.")
	}
	return v.org.AddAuditReportFile(ctx, actor, auditID, n)
}

func (v *engagementView) AuditReportFiles(ctx context.Context, auditID int64) ([]assay.AuditReportFile, error) {
	if !v.hasAudit(auditID) {
		return nil, assay.Errorf(assay.ENOTFOUND, "Audit not found.")
	}
	return v.org.AuditReportFiles(ctx, auditID)
}

func (v *engagementView) AddAuditReportComment(ctx context.Context, actor assay.Actor, role assay.Role, auditID, fileID int64, body string) (assay.AuditReportComment, error) {
	if !v.hasAudit(auditID) {
		return assay.AuditReportComment{}, assay.Errorf(assay.ENOTFOUND, "Audit not found.")
	}
	return v.org.AddAuditReportComment(ctx, actor, role, auditID, fileID, body)
}

func (v *engagementView) ResolveAuditReportComment(ctx context.Context, actor assay.Actor, auditID, commentID int64) (assay.AuditReportComment, error) {
	if !v.hasAudit(auditID) {
		return assay.AuditReportComment{}, assay.Errorf(assay.ENOTFOUND, "Audit not found.")
	}
	return v.org.ResolveAuditReportComment(ctx, actor, auditID, commentID)
}

func (v *engagementView) AuditReportComments(ctx context.Context, auditID int64) ([]assay.AuditReportComment, error) {
	if !v.hasAudit(auditID) {
		return nil, assay.Errorf(assay.ENOTFOUND, "Audit not found.")
	}
	return v.org.AuditReportComments(ctx, auditID)
}
