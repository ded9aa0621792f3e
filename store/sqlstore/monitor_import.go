package sqlstore

import (
	"fmt"

	"github.com/assay-platform/assay"
)

// importInput points the source at an imported document within a run's
// transaction, with the same activity entry as SetSourceInput, and returns
// the source as changed.
func (s *orgStore) importInput(tx *Tx, actor assay.Actor, before assay.Source, hash string) (assay.Source, error) {
	if err := s.setSourceInput(tx, before, hash); err != nil {
		return before, err
	}
	after, err := s.sourceByID(tx.ctx, tx.Tx, before.ID)
	if err != nil {
		return before, err
	}
	_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: actionSourceInput, objectType: "monitor_source", objectID: idText(before.ID),
		summary: fmt.Sprintf("Monitoring source %q changed", after.Name), before: before, after: after})
	return after, err
}
