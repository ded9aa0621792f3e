package store

import (
	"context"

	"github.com/assay-platform/assay"
)

// RiskStore is the organisation's risk register and its yearly risk
// assessments.
type RiskStore interface {
	Risks(ctx context.Context) ([]assay.Risk, error)
	Risk(ctx context.Context, id int64) (assay.Risk, error)
	// CreateRisks validates every risk (owner, approver and controls must
	// belong to the organisation) and writes them all in one transaction,
	// or none: used for one new risk, adopting templates and CSV import.
	// A validation error names the failing risk by its position (1-based).
	CreateRisks(ctx context.Context, actor assay.Actor, risks []assay.Risk) ([]assay.Risk, error)
	// UpdateRisk replaces the editable fields of a risk.
	UpdateRisk(ctx context.Context, actor assay.Actor, id int64, r assay.Risk) (assay.Risk, error)

	RiskAssessments(ctx context.Context) ([]assay.RiskAssessment, error) // newest first
	// CreateRiskAssessment records an assessment with the register's
	// counts taken in the same transaction.
	CreateRiskAssessment(ctx context.Context, actor assay.Actor, a assay.RiskAssessment) (assay.RiskAssessment, error)
}

// VendorStore is the organisation's vendor inventory and reviews.
type VendorStore interface {
	Vendors(ctx context.Context) ([]assay.Vendor, error)
	Vendor(ctx context.Context, id int64) (assay.Vendor, error)
	// CreateVendors writes every vendor in one transaction, or none.
	CreateVendors(ctx context.Context, actor assay.Actor, vendors []assay.Vendor) ([]assay.Vendor, error)
	// UpdateVendor replaces the editable fields (not the review).
	UpdateVendor(ctx context.Context, actor assay.Actor, id int64, v assay.Vendor) (assay.Vendor, error)
	// RecordVendorReview scores answers against the questionnaire and
	// records the review as the vendor's latest.
	RecordVendorReview(ctx context.Context, actor assay.Actor, id int64, questions []assay.VendorQuestion, answers map[string]string) (assay.Vendor, error)
}
