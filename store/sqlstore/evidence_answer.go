package sqlstore

import (
	"context"
	"slices"

	"github.com/assay-platform/assay"
)

// AnswerEvidenceRequest creates an evidence item and submits it to a
// request in one transaction: the person's one action is one change.
func (s *orgStore) AnswerEvidenceRequest(ctx context.Context, actor assay.Actor, requestID int64, n assay.NewEvidence, response string) (assay.Evidence, assay.EvidenceRequest, error) {
	if err := n.Normalize(s.db.clock.Now()); err != nil {
		return assay.Evidence{}, assay.EvidenceRequest{}, err
	}
	// The new item's id is not known yet; a placeholder id checks the rest.
	if _, _, err := submissionInput([]int64{1}, response); err != nil {
		return assay.Evidence{}, assay.EvidenceRequest{}, err
	}
	var ev assay.Evidence
	var req assay.EvidenceRequest
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := s.requestByID(tx.ctx, tx.Tx, requestID)
		if err != nil {
			return err
		}
		if !before.Status.AwaitsAnswer() {
			return assay.Errorf(assay.ECONFLICT, "Evidence request %d is %s; only open or returned requests take new evidence.", requestID, before.Status)
		}
		if !slices.Contains(n.Controls, before.ControlID) {
			n.Controls = append(slices.Clip(n.Controls), before.ControlID)
		}
		if ev, err = s.createEvidence(tx, actor, n); err != nil {
			return err
		}
		ids, note, err := submissionInput([]int64{ev.ID}, response)
		if err != nil {
			return err
		}
		req, err = s.submitRequest(tx, actor, requestID, ids, note)
		return err
	})
	if err != nil {
		return assay.Evidence{}, assay.EvidenceRequest{}, err
	}
	return ev, req, nil
}
