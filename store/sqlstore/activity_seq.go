package sqlstore

import (
	"context"
	"fmt"
)

// ChangeSeq is the seq of the organisation's latest activity entry: one
// step down the activity_by_org index.
func (s *orgStore) ChangeSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.db.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM activity WHERE org_id = ?`, s.orgID).Scan(&seq); err != nil {
		return 0, fmt.Errorf("latest change: %w", err)
	}
	return seq, nil
}
