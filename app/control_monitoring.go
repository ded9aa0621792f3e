package app

import (
	"context"

	"github.com/assay-platform/assay"
)

// ControlTesting is what a control's page says about how it is tested
// now: its readiness verdict with the reason, and the checks that test it
// with their status and the resources failing them.
type ControlTesting struct {
	Counts  bool                  `json:"counts"`            // the control counts towards readiness
	Missing string                `json:"missing,omitempty"` // why it does not, in words
	Checks  []CheckRow            `json:"checks"`
	Failing []assay.CurrentResult `json:"failing"` // results not passing, of those checks
}

// maxFailingShown bounds the results read per failing check.
const maxFailingShown = 200

// ControlTesting reads a control's readiness verdict and its checks.
func (a *App) ControlTesting(ctx context.Context, p Principal, ctl assay.Control) (ControlTesting, error) {
	var t ControlTesting
	rule, err := a.Rule(ctx, p.Org, a.clock.Now())
	if err != nil {
		return t, err
	}
	t.Missing = rule.Missing(ctl)
	t.Counts = t.Missing == "" && ctl.Status == assay.StatusImplemented
	if ctl.Status == assay.StatusNotApplicable {
		t.Missing = ""
	}
	if t.Checks, err = a.CheckRows(ctx, p.Org, CheckFilter{Control: ctl.ID}, false); err != nil {
		return t, err
	}
	for _, c := range t.Checks {
		if c.Failing+c.Errors == 0 {
			continue
		}
		results, err := p.Org.CurrentResults(ctx, assay.ResultFilter{CheckID: c.ID, Limit: maxFailingShown})
		if err != nil {
			return t, err
		}
		for _, r := range results {
			if r.Status != assay.CheckPass {
				t.Failing = append(t.Failing, r)
			}
		}
	}
	return t, nil
}
