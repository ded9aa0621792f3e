package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

// CurrentResultsPage reads resources in (source, resource) order from the
// key on, decoding only as many as the page needs: see
// store.MonitorStore.
func (s *orgStore) CurrentResultsPage(ctx context.Context, f assay.ResultFilter, after assay.ResultKey, limit int) ([]assay.CurrentResult, bool, error) {
	if f.Status != "" && f.Status != assay.CheckPass && f.Status != assay.CheckFail && f.Status != assay.CheckError {
		return nil, false, assay.Invalid("status", "Unknown status %q; use pass, fail or error.", f.Status)
	}
	if limit < 1 {
		return nil, false, assay.Invalid("limit", "limit must be at least 1.")
	}
	checks, err := s.checkKeys(ctx)
	if err != nil {
		return nil, false, err
	}
	q := `SELECT source_id, resource_id, kind, name, state FROM monitor_resources
		WHERE org_id = ? AND gone_at IS NULL AND (source_id > ? OR (source_id = ? AND resource_id >= ?))`
	args := []any{s.orgID, after.SourceID, after.SourceID, after.ResourceID}
	if f.SourceID != 0 {
		q += ` AND source_id = ?`
		args = append(args, f.SourceID)
	}
	if f.ResourceID != "" {
		q += ` AND resource_id = ?`
		args = append(args, f.ResourceID)
	}
	if f.SourceLevel { // one row per source, found through the (org, source, resource) key
		q += ` AND resource_id = '' AND source_id IN (SELECT id FROM monitor_sources WHERE org_id = ?)`
		args = append(args, s.orgID)
	}
	rows, err := s.db.query(ctx, q+` ORDER BY source_id, resource_id`, args...)
	if err != nil {
		return nil, false, fmt.Errorf("current results: %w", err)
	}
	defer rows.Close()
	out := []assay.CurrentResult{}
	var keys []int64
	var entries []stateEntry
	for len(out) <= limit && rows.Next() {
		var src int64
		var id, kind, name string
		var blob []byte
		if err := rows.Scan(&src, &id, &kind, &name, &blob); err != nil {
			return nil, false, fmt.Errorf("current results: %w", err)
		}
		if entries, err = decodeState(entries[:0], blob); err != nil {
			return nil, false, fmt.Errorf("resource %q: %w", id, err)
		}
		start := len(out)
		for _, e := range entries {
			check := checks[e.check]
			if e.status == codeGone || (f.CheckID != "" && check != f.CheckID) || (f.Status != "" && codeStatus(e.status) != f.Status) {
				continue
			}
			if src == after.SourceID && id == after.ResourceID && check <= after.CheckID {
				continue // sent on an earlier page
			}
			keys = append(keys, e.reason)
			out = append(out, assay.CurrentResult{SourceID: src, Since: time.Unix(e.since, 0).UTC(),
				CheckResult: assay.CheckResult{CheckID: check, ResourceKind: kind, ResourceID: id, ResourceName: name, Status: codeStatus(e.status)}})
		}
		// A resource's entries are in check key order; a page is in check id order.
		idx := make([]int, len(out)-start)
		for i := range idx {
			idx[i] = start + i
		}
		slices.SortFunc(idx, func(a, b int) int { return strings.Compare(out[a].CheckID, out[b].CheckID) })
		part, pk := make([]assay.CurrentResult, len(idx)), make([]int64, len(idx))
		for i, j := range idx {
			part[i], pk[i] = out[j], keys[j]
		}
		copy(out[start:], part)
		copy(keys[start:], pk)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("current results: %w", err)
	}
	more := len(out) > limit
	if more {
		out, keys = out[:limit], keys[:limit]
	}
	reasons := make(map[int64]string, len(keys))
	for _, k := range keys {
		reasons[k] = ""
	}
	if err := s.reasonTexts(ctx, reasons); err != nil {
		return nil, false, err
	}
	for i := range out {
		out[i].Reason = reasons[keys[i]]
	}
	return out, more, nil
}
