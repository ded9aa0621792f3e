package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// workObligations are the dated pieces of work besides the recurring
// reviews: evidence in force that expires (or has expired) and is not
// yet renewed, evidence requests waiting for an answer, and corrective
// actions not yet done. Upcoming lists them with the rest, the overdue
// ones first.
func workObligations(ctx context.Context, org store.OrgStore) ([]assay.Obligation, error) {
	var out []assay.Obligation
	// Per control, the item its coverage ends with: renewing an older one
	// that a newer item already outlasts is no work.
	coverage, err := org.EvidenceByControl(ctx)
	if err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	ctls, err := org.Controls(ctx, assay.ControlFilter{})
	if err != nil {
		return nil, fmt.Errorf("controls: %w", err)
	}
	ownerOf := map[string]int64{}
	for _, c := range ctls {
		ownerOf[c.ID] = c.OwnerID
	}
	byItem := map[int64]*assay.Obligation{}
	var controls = map[int64][]string{}
	for _, c := range coverage {
		if c.LatestID == 0 || c.LatestExpiry.IsZero() {
			continue
		}
		controls[c.LatestID] = append(controls[c.LatestID], c.ControlID)
		if id := ownerOf[c.ControlID]; id != 0 && byItem[c.LatestID] != nil && !slices.Contains(byItem[c.LatestID].Owners, id) {
			byItem[c.LatestID].Owners = append(byItem[c.LatestID].Owners, id)
		}
		if byItem[c.LatestID] == nil {
			byItem[c.LatestID] = &assay.Obligation{Kind: "evidence_renewal", Due: assay.Day(c.LatestExpiry), Link: fmt.Sprintf("/evidence/%d", c.LatestID),
				Title: "Evidence to renew: " + c.LatestTitle, Owners: ownerIDs(ownerOf[c.ControlID])}
		}
	}
	for id, o := range byItem {
		o.Title += controlsText(controls[id])
		out = append(out, *o)
	}
	reqs, err := org.EvidenceRequests(ctx, assay.EvidenceRequestFilter{})
	if err != nil {
		return nil, fmt.Errorf("evidence requests: %w", err)
	}
	for _, r := range reqs {
		if !r.Status.AwaitsAnswer() {
			continue
		}
		out = append(out, assay.Obligation{Kind: "evidence_request", Title: fmt.Sprintf("Evidence request #%d for %s (%s)", r.ID, r.ControlID, r.AssigneeName),
			Due: assay.Day(r.DueDate), Link: fmt.Sprintf("/evidence-requests/%d", r.ID), Owners: ownerIDs(r.AssigneeID)})
	}
	actions, err := org.CorrectiveActions(ctx, assay.CorrectiveFilter{})
	if err != nil {
		return nil, fmt.Errorf("corrective actions: %w", err)
	}
	for _, ca := range actions {
		if ca.Status != assay.CorrectiveOpen && ca.Status != assay.CorrectiveInProgress {
			continue
		}
		out = append(out, assay.Obligation{Kind: "corrective_action", Title: "Corrective action: " + ca.Title,
			Due: assay.Day(ca.DueDate), Link: fmt.Sprintf("/corrective-actions#ca-%d", ca.ID), Owners: ownerIDs(ca.OwnerID)})
	}
	return out, nil
}

// ownerIDs is the obligation's owner as a list: none when id is 0.
func ownerIDs(id int64) []int64 {
	if id == 0 {
		return nil
	}
	return []int64{id}
}

func controlsText(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return " (" + strings.Join(ids, ", ") + ")"
}
