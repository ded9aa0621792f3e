package rules

import (
	"context"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// FullRule adds to rule every condition the organisation's records impose:
// current evidence, the registers, incidents, policies, people, access
// reviews and failing checks (of checks: the library and the custom
// checks). app.Readiness is its one caller outside tests, so the CLI, the
// API and the pages give the same answer.
func FullRule(ctx context.Context, os store.OrgStore, now time.Time, checks []assay.Check, rule assay.ReadinessRule) (assay.ReadinessRule, error) {
	steps := []func(context.Context, store.OrgStore, time.Time, assay.ReadinessRule) (assay.ReadinessRule, error){
		EvidenceRule,     // current evidence (evidence.go)
		RegisterRule,     // CC3.x, CC9.2 (registers.go)
		IncidentRule,     // CC7.4, CC7.5 (incidents.go)
		PolicyRule,       // CC1.x, CC2.x, CC5.3 (policies.go)
		PeopleRule,       // CC1.4, CC1.5 (people.go)
		AccessReviewRule, // CC6.2, CC6.3 (access_reviews.go)
		func(ctx context.Context, os store.OrgStore, _ time.Time, r assay.ReadinessRule) (assay.ReadinessRule, error) {
			return MonitorRule(ctx, os, checks, r) // failing checks (monitoring.go)
		},
	}
	var err error
	for _, step := range steps {
		if rule, err = step(ctx, os, now, rule); err != nil {
			return rule, err
		}
	}
	return rule, nil
}
