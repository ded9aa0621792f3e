package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
)

// exportRecord is the after state of an export.create entry.
type exportRecord struct {
	Kind string `json:"kind"`
	From string `json:"from"`
	To   string `json:"to"`
}

// RecordExport writes the activity entry for an export (package export).
func (s *orgStore) RecordExport(ctx context.Context, actor assay.Actor, kind string, from, to time.Time) (int64, error) {
	if kind == "" {
		return 0, assay.Invalid("kind", "An export needs a kind.")
	}
	var seq int64
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		rec := exportRecord{Kind: kind, From: from.UTC().Format(time.DateOnly), To: to.UTC().Format(time.DateOnly)}
		var err error
		seq, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "export.create", objectType: "export", objectID: kind,
			summary: fmt.Sprintf("Exported the %s for %s to %s", kind, rec.From, rec.To), after: rec})
		return err
	})
	return seq, err
}
