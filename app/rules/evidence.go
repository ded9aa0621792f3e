package rules

import (
	"context"
	"slices"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// EvidenceRule returns rule with the evidence condition added: an
// implemented control relied on for a criterion needs current evidence (in
// force and not expired at now). The dashboard, the API and the CLI all
// build their rule here, so they agree.
func EvidenceRule(ctx context.Context, os store.OrgStore, now time.Time, rule assay.ReadinessRule) (assay.ReadinessRule, error) {
	state, err := os.EvidenceByControl(ctx)
	if err != nil {
		return rule, err
	}
	by := make(map[string]assay.ControlEvidence, len(state))
	for _, c := range state {
		by[c.ControlID] = c
	}
	rule.Conditions = append(slices.Clip(rule.Conditions), assay.EvidenceCondition(now, by))
	return rule, nil
}
