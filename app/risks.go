package app

import (
	"context"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
)

// Risks lists the organisation's risk register.
func (a *App) Risks(ctx context.Context, p Principal) ([]assay.Risk, error) {
	if err := mayReadRegisters(p); err != nil {
		return nil, err
	}
	return p.Org.Risks(ctx)
}

// Risk is one risk of the register.
func (a *App) Risk(ctx context.Context, p Principal, id int64) (assay.Risk, error) {
	if err := mayReadRegisters(p); err != nil {
		return assay.Risk{}, err
	}
	return p.Org.Risk(ctx, id)
}

// CreateRisks adds risks to the register, all or none (one transaction,
// one audit-trail entry each).
func (a *App) CreateRisks(ctx context.Context, p Principal, risks []assay.Risk) ([]assay.Risk, error) {
	if err := mayManageRegisters(p); err != nil {
		return nil, err
	}
	for i := range risks {
		risks[i].Normalize()
		if err := risks[i].Validate(); err != nil {
			return nil, err
		}
		if err := checkOwner(ctx, p.Org, "owner_id", risks[i].OwnerID); err != nil {
			return nil, err
		}
	}
	return p.Org.CreateRisks(ctx, p.Actor(), risks)
}

// MayEditRisk tells whether the principal may change the risk at all (an
// adapter asks before it reads a form, so a refusal comes before a typo).
func (a *App) MayEditRisk(ctx context.Context, p Principal, id int64) error {
	before, err := p.Org.Risk(ctx, id)
	if err != nil {
		return err
	}
	return mayEditRisk(p, before, nil)
}

// UpdateRisk replaces a risk's editable fields.
func (a *App) UpdateRisk(ctx context.Context, p Principal, id int64, risk assay.Risk) (assay.Risk, error) {
	before, err := p.Org.Risk(ctx, id)
	if err != nil {
		return before, err
	}
	if err := mayEditRisk(p, before, nil); err != nil {
		return before, err
	}
	risk.Normalize()
	if err := risk.Validate(); err != nil {
		return risk, err
	}
	if err := mayEditRisk(p, before, &risk); err != nil {
		return risk, err
	}
	if risk.OwnerID != before.OwnerID {
		if err := checkOwner(ctx, p.Org, "owner_id", risk.OwnerID); err != nil {
			return risk, err
		}
	}
	return p.Org.UpdateRisk(ctx, p.Actor(), id, risk)
}

// AdoptRiskTemplates adds the library's template risks with these ids
// ("all" for every one).
func (a *App) AdoptRiskTemplates(ctx context.Context, p Principal, ids []string) ([]assay.Risk, error) {
	if err := mayManageRegisters(p); err != nil {
		return nil, err
	}
	risks, err := riskTemplates(ids)
	if err != nil {
		return nil, err
	}
	return p.Org.CreateRisks(ctx, p.Actor(), risks)
}

// riskTemplates turns template ids ("all" for every one) into risks.
func riskTemplates(ids []string) ([]assay.Risk, error) {
	list, err := catalog.RiskTemplates()
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, assay.Invalid("template_ids", "Choose at least one template, or \"all\".")
	}
	var out []assay.Risk
	for _, id := range ids {
		id = strings.ToUpper(strings.TrimSpace(id))
		found := false
		for _, t := range list {
			if id == "ALL" || t.ID == id {
				out = append(out, t.Risk())
				found = true
			}
		}
		if !found {
			return nil, assay.Invalid("template_ids", "No risk template %s.", id)
		}
	}
	return out, nil
}

// RiskAssessments lists the organisation's risk assessments, newest first.
func (a *App) RiskAssessments(ctx context.Context, p Principal) ([]assay.RiskAssessment, error) {
	if err := mayReadRegisters(p); err != nil {
		return nil, err
	}
	return p.Org.RiskAssessments(ctx)
}

// CreateRiskAssessment records a completed risk assessment.
func (a *App) CreateRiskAssessment(ctx context.Context, p Principal, ra assay.RiskAssessment) (assay.RiskAssessment, error) {
	if err := mayManageRegisters(p); err != nil {
		return ra, err
	}
	return p.Org.CreateRiskAssessment(ctx, p.Actor(), ra)
}

// AssessmentCurrent reports whether the latest risk assessment (list is
// newest first) is within 12 months of now.
func AssessmentCurrent(list []assay.RiskAssessment, now time.Time) bool {
	return len(list) > 0 && !list[0].Date.AddDate(1, 0, 0).Before(now)
}
