package app

import (
	"context"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
	"github.com/assay-platform/assay/store"
)

// Test states of a control, from the checks that test it.
const (
	TestsFailing  = "failing"   // a check fails or could not run
	TestsPassing  = "passing"   // every check with results passes
	TestsNoData   = "no_data"   // checks test it, none has results yet
	TestsNoChecks = "no_checks" // no check tests it
)

// ControlState is how a control stands in the list: its checks and its
// evidence.
type ControlState struct {
	Tests    string `json:"tests"`    // one of the Tests* states
	Failing  int    `json:"failing"`  // checks failing or in error
	Checks   int    `json:"checks"`   // checks that test it
	Evidence string `json:"evidence"` // current, expiring, expired or none
	// EvidenceUntil is when the item that counts longest stops counting.
	EvidenceUntil time.Time `json:"evidence_until,omitzero"`
}

// ControlStates is each control's test and evidence state, keyed by
// control id, read once for the whole list.
func (a *App) ControlStates(ctx context.Context, p Principal) (map[string]ControlState, error) {
	if err := mayReadControls(p); err != nil {
		return nil, err
	}
	// Worked out once per change and minute when p reads through the
	// shared snapshot; callers do not change the map.
	return rules.Derived(p.Org, "control-states", func() (map[string]ControlState, error) { return a.controlStates(ctx, p.Org) })
}

func (a *App) controlStates(ctx context.Context, org store.OrgStore) (map[string]ControlState, error) {
	rows, err := a.CheckRows(ctx, org, CheckFilter{}, false)
	if err != nil {
		return nil, err
	}
	evidence, err := org.EvidenceByControl(ctx)
	if err != nil {
		return nil, err
	}
	now := a.clock.Now()
	out := map[string]ControlState{}
	for _, r := range rows {
		for _, id := range r.Controls {
			st := out[id]
			st.Checks++
			switch r.Status {
			case "failing", "error":
				st.Failing++
				st.Tests = TestsFailing
			case "passing":
				if st.Tests != TestsFailing {
					st.Tests = TestsPassing
				}
			default:
				if st.Tests == "" {
					st.Tests = TestsNoData
				}
			}
			out[id] = st
		}
	}
	for _, ev := range evidence {
		st := out[ev.ControlID]
		if ev.Items > 0 {
			st.EvidenceUntil = ev.LatestExpiry
			switch {
			case !now.Before(ev.LatestExpiry):
				st.Evidence = assay.EvidenceExpired
			case ev.LatestExpiry.Sub(now) <= assay.EvidenceDueSoon:
				st.Evidence = assay.EvidenceExpiring
			default:
				st.Evidence = assay.EvidenceCurrent
			}
		}
		out[ev.ControlID] = st
	}
	for id, st := range out {
		if st.Tests == "" {
			st.Tests = TestsNoChecks
		}
		if st.Evidence == "" {
			st.Evidence = "none"
		}
		out[id] = st
	}
	return out, nil
}

// SetControlOwners gives several controls one owner in one action: admins
// only, the owner an active admin or member (0 clears the owner).
func (a *App) SetControlOwners(ctx context.Context, p Principal, ids []string, ownerID int64) ([]assay.Control, error) {
	if !p.User.Can(assay.ActionManageControls, nil) {
		return nil, assay.Errorf(assay.EFORBIDDEN, "Only admins change a control's owner; your role is %s.", p.User.Role)
	}
	if len(ids) == 0 {
		return nil, assay.Invalid("ids", "Choose at least one control.")
	}
	if len(ids) > 10000 {
		return nil, assay.Invalid("ids", "Choose at most 10000 controls at once.")
	}
	if ownerID != 0 {
		if err := checkOwner(ctx, p.Org, "owner_id", ownerID); err != nil {
			return nil, err
		}
	}
	return p.Org.SetControlOwners(ctx, p.Actor(), ids, ownerID)
}
