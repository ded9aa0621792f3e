package store

import (
	"context"
	"time"

	"github.com/assay-platform/assay"
)

// AuditStore is the organisation's audit engagements: their frozen scope,
// the period view, populations and recorded samples, and the auditors
// invited for one engagement.
type AuditStore interface {
	Audits(ctx context.Context) ([]assay.Audit, error)
	Audit(ctx context.Context, id int64) (assay.Audit, error)
	// CreateAudit validates n, freezes the scope (the categories in scope,
	// their criteria, and the controls mapped to them) and records both.
	CreateAudit(ctx context.Context, actor assay.Actor, n assay.NewAudit) (assay.Audit, error)
	// SetAuditStatus moves an engagement on; a closed one stays closed.
	SetAuditStatus(ctx context.Context, actor assay.Actor, id int64, status assay.AuditStatus) (assay.Audit, error)
	// InviteAuditor creates a user with role auditor limited to the
	// engagement, whose access ends at expires.
	InviteAuditor(ctx context.Context, actor assay.Actor, auditID int64, u assay.NewUser, passwordHash string, expires time.Time) (assay.User, error)

	// AuditPeriod is the period view of an engagement.
	AuditPeriod(ctx context.Context, id int64) (assay.AuditPeriod, error)
	// AuditPopulation lists a population as it stood at cutoffSeq (the
	// last activity entry it may include; 0: now).
	AuditPopulation(ctx context.Context, id int64, kind, controlID string, cutoffSeq int64) (assay.Population, error)
	// CreateAuditSample draws and records a sample (append-only).
	CreateAuditSample(ctx context.Context, actor assay.Actor, id int64, n assay.NewSample) (assay.AuditSample, error)
	AuditSamples(ctx context.Context, id int64) ([]assay.AuditSample, error)
	// AuditSamplePopulation is the population a sample was drawn from, as
	// frozen when it was drawn (samples older than frozen populations:
	// listed again at their cutoff).
	AuditSamplePopulation(ctx context.Context, auditID, sampleID int64) (assay.Population, error)
}

// AuditReportStore is an engagement's report package: management's
// sign-offs, the auditor's draft and final report, and the comments on a
// draft. Each change writes its activity entry in the same transaction.
type AuditReportStore interface {
	// SignAuditDocument records a sign-off of the text whose digest n
	// carries (n is validated by the caller's rules and again here).
	SignAuditDocument(ctx context.Context, actor assay.Actor, auditID int64, n assay.NewSignoff) (assay.AuditSignoff, error)
	AuditSignoffs(ctx context.Context, auditID int64) ([]assay.AuditSignoff, error)
	// AddAuditReportFile records a report already stored as a blob.
	AddAuditReportFile(ctx context.Context, actor assay.Actor, auditID int64, n assay.NewReportFile) (assay.AuditReportFile, error)
	AuditReportFiles(ctx context.Context, auditID int64) ([]assay.AuditReportFile, error)
	AddAuditReportComment(ctx context.Context, actor assay.Actor, role assay.Role, auditID, fileID int64, body string) (assay.AuditReportComment, error)
	// ResolveAuditReportComment marks an open comment resolved (a resolved
	// one is a conflict).
	ResolveAuditReportComment(ctx context.Context, actor assay.Actor, auditID, commentID int64) (assay.AuditReportComment, error)
	AuditReportComments(ctx context.Context, auditID int64) ([]assay.AuditReportComment, error)
}
