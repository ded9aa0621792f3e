package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/assay-platform/assay"
)

// monitor_failing holds one row per (check, resource) whose current status
// is fail or error: what the state blobs say, kept in step by every write
// of a blob (a run's transitions, a deleted check's end), in the same
// transaction. what is how readiness names the resource (its name, else
// its id; "" for the source itself, named by the source's current name
// when read). Readiness reads its summary instead of decoding every
// resource's state.

// failingWhat is the name monitor_failing keeps for a resource.
func failingWhat(resourceID, name string) string {
	if resourceID == "" {
		return ""
	}
	if name != "" {
		return name
	}
	return resourceID
}

// applyFailing applies the pending transitions to monitor_failing, in
// the run's transaction.
func (a *runApply) applyFailing() error {
	tx, org := a.tx, a.s.orgID
	var up []pendingTransition
	gone := map[int64][]int64{} // check key -> resource keys no longer failing
	for _, t := range a.transitions {
		if t.status == codeFail || t.status == codeError {
			up = append(up, t)
		} else {
			gone[t.check] = append(gone[t.check], t.res.key)
		}
	}
	var err error
	if tx.db.dialect.Numbered() {
		err = a.upsertFailingArrays(up)
	} else {
		err = tx.insertBatches(`INSERT INTO monitor_failing (org_id, check_key, resource_key, status, source_id, what)`,
			`ON CONFLICT (org_id, check_key, resource_key) DO UPDATE SET status = excluded.status, what = excluded.what`,
			6, len(up), func(i int, dst []any) []any {
				t := up[i]
				return append(dst, org, t.check, t.res.key, int64(t.status), a.run.SourceID, failingWhat(t.res.id, t.res.name))
			}, nil)
	}
	if err != nil {
		return fmt.Errorf("failing pairs: %w", err)
	}
	checks := make([]int64, 0, len(gone))
	for k := range gone {
		checks = append(checks, k)
	}
	slices.Sort(checks)
	for _, k := range checks {
		slices.Sort(gone[k])
		del := tx.deleteFailing
		if tx.db.dialect.Numbered() {
			del = tx.deleteFailingArrays
		}
		if err := del(org, k, gone[k]); err != nil {
			return err
		}
	}
	return nil
}

// writeFailing ends a run's changes to monitor_failing, once every
// transition has been applied to it: renamed resources are named again,
// and the counter is raised if anything changed.
func (a *runApply) writeFailing() error {
	tx, org := a.tx, a.s.orgID
	changed := a.sentTransitions
	for _, r := range a.resources {
		if r.renamed && !r.isNew && r.id != "" {
			if _, err := tx.exec(`UPDATE monitor_failing SET what = ? WHERE org_id = ? AND resource_key = ?`, failingWhat(r.id, r.name), org, r.key); err != nil {
				return fmt.Errorf("rename failing pairs of %q: %w", r.id, err)
			}
			changed = true
		}
	}
	if !changed {
		return nil
	}
	return tx.bumpFailing(org)
}

// bumpFailing raises the organisation's monitor_failing counter: its rows
// changed in this transaction.
func (tx *Tx) bumpFailing(org int64) error {
	_, err := tx.exec(`INSERT INTO monitor_failing_gen (org_id, gen) VALUES (?, 1)
		ON CONFLICT (org_id) DO UPDATE SET gen = monitor_failing_gen.gen + 1`, org)
	if err != nil {
		return fmt.Errorf("failing pairs counter: %w", err)
	}
	return nil
}

// notPassingCache keeps each organisation's last summary with what it was
// read at: the counter, the enabled sources and the names asked for.
type notPassingCache struct {
	mu   sync.Mutex
	orgs map[int64]notPassingEntry
}

type notPassingEntry struct {
	gen     int64
	sources string
	named   int
	list    []assay.NotPassingCheck
}

func (c *notPassingCache) get(org, gen int64, sources string, named int) ([]assay.NotPassingCheck, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.orgs[org]
	if !ok || e.gen != gen || e.sources != sources || e.named != named {
		return nil, false
	}
	return cloneNotPassing(e.list), true
}

func (c *notPassingCache) put(org, gen int64, sources string, named int, list []assay.NotPassingCheck) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.orgs == nil {
		c.orgs = map[int64]notPassingEntry{}
	}
	c.orgs[org] = notPassingEntry{gen: gen, sources: sources, named: named, list: cloneNotPassing(list)}
}

func cloneNotPassing(list []assay.NotPassingCheck) []assay.NotPassingCheck {
	out := slices.Clone(list)
	for i := range out {
		out[i].First = slices.Clone(out[i].First)
	}
	return out
}

// deleteFailing removes the pairs of one check on the resources keys.
func (tx *Tx) deleteFailing(org, check int64, keys []int64) error {
	for start := 0; start < len(keys); start += batchRows {
		part := keys[start:min(start+batchRows, len(keys))]
		args := make([]any, 0, len(part)+2)
		args = append(args, org, check)
		for _, k := range part {
			args = append(args, k)
		}
		if _, err := tx.exec(`DELETE FROM monitor_failing WHERE org_id = ? AND check_key = ? AND resource_key IN (`+placeholders(len(part))+`)`, args...); err != nil {
			return fmt.Errorf("failing pairs: %w", err)
		}
	}
	return nil
}

// BuildMonitorFailing fills monitor_failing from the state blobs for each
// organisation the migration that created it left pending (those with
// monitoring results then). The adapters call it once opened; with two
// servers starting together one builds and the other finds nothing to do.
func (db *DB) BuildMonitorFailing(ctx context.Context) error {
	rows, err := db.write.QueryContext(ctx, `SELECT org_id FROM monitor_failing_pending ORDER BY org_id`)
	if err != nil {
		return fmt.Errorf("pending failing pairs: %w", err)
	}
	var orgs []int64
	for rows.Next() {
		var o int64
		if err := rows.Scan(&o); err != nil {
			rows.Close()
			return fmt.Errorf("pending failing pairs: %w", err)
		}
		orgs = append(orgs, o)
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("pending failing pairs: %w", err)
	}
	for _, org := range orgs {
		if err := db.update(ctx, func(tx *Tx) error { return tx.buildFailing(org) }); err != nil {
			return fmt.Errorf("build failing pairs of organisation %d: %w", org, err)
		}
	}
	return nil
}

// buildFailing rebuilds one organisation's monitor_failing from its state
// blobs, if it is still pending.
func (tx *Tx) buildFailing(org int64) error {
	res, err := tx.exec(`DELETE FROM monitor_failing_pending WHERE org_id = ?`, org)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err // built by another server
	}
	if _, err := tx.exec(`DELETE FROM monitor_failing WHERE org_id = ?`, org); err != nil {
		return err
	}
	if err := tx.bumpFailing(org); err != nil {
		return err
	}
	type pair struct {
		check, res, src int64
		status          uint8
		what            string
	}
	var list []pair
	rows, err := tx.query(`SELECT id, source_id, resource_id, name, state FROM monitor_resources WHERE org_id = ? AND gone_at IS NULL`, org)
	if err != nil {
		return err
	}
	var entries []stateEntry
	for rows.Next() {
		var key, src int64
		var id, name string
		var blob []byte
		if err := rows.Scan(&key, &src, &id, &name, &blob); err != nil {
			rows.Close()
			return err
		}
		if entries, err = decodeState(entries[:0], blob); err != nil {
			rows.Close()
			return fmt.Errorf("resource %q: %w", id, err)
		}
		for _, e := range entries {
			if e.status == codeFail || e.status == codeError {
				list = append(list, pair{check: e.check, res: key, src: src, status: e.status, what: failingWhat(id, name)})
			}
		}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	return tx.insertBatches(`INSERT INTO monitor_failing (org_id, check_key, resource_key, status, source_id, what)`, ``,
		6, len(list), func(i int, dst []any) []any {
			p := list[i]
			return append(dst, org, p.check, p.res, int64(p.status), p.src, p.what)
		}, nil)
}

// NotPassingChecks summarises monitor_failing over the enabled sources:
// see store.MonitorStore.
func (s *orgStore) NotPassingChecks(ctx context.Context, named int) (list []assay.NotPassingCheck, err error) {
	named = max(named, 0)
	srcRows, err := s.db.query(ctx, `SELECT id, name FROM monitor_sources WHERE org_id = ? AND enabled = 1 ORDER BY id`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("not passing: sources: %w", err)
	}
	names := map[int64]string{}
	var ids []any
	for srcRows.Next() {
		var id int64
		var name string
		if err := srcRows.Scan(&id, &name); err != nil {
			srcRows.Close()
			return nil, fmt.Errorf("not passing: sources: %w", err)
		}
		names[id] = name
		ids = append(ids, id)
	}
	if err := srcRows.Close(); err != nil {
		return nil, fmt.Errorf("not passing: sources: %w", err)
	}
	out := []assay.NotPassingCheck{}
	if len(ids) == 0 {
		return out, nil
	}
	// The summary read last is kept until the counter moves (or a source
	// is enabled, disabled or renamed): the counter is read first, so a
	// summary is never kept under a later counter than it was read at.
	var gen int64
	if err := s.db.queryRow(ctx, `SELECT COALESCE(MAX(gen), 0) FROM monitor_failing_gen WHERE org_id = ?`, s.orgID).Scan(&gen); err != nil {
		return nil, fmt.Errorf("not passing: counter: %w", err)
	}
	var key strings.Builder
	for _, id := range ids {
		fmt.Fprintf(&key, "%d=%q;", id, names[id.(int64)])
	}
	if list, ok := s.db.notPassing.get(s.orgID, gen, key.String(), named); ok {
		return list, nil
	}
	defer func() {
		if err == nil {
			s.db.notPassing.put(s.orgID, gen, key.String(), named, list)
		}
	}()
	in := ` AND source_id IN (` + placeholders(len(ids)) + `)`
	args := func(head ...any) []any { return append(append([]any{s.orgID}, head...), ids...) }
	type group struct {
		check  int64
		status uint8
	}
	byGroup := map[group]*assay.NotPassingCheck{}
	var groups []group
	// Resources: distinct names per (check, status).
	rows, err := s.db.query(ctx, `SELECT check_key, status, COUNT(DISTINCT what) FROM monitor_failing
		WHERE org_id = ? AND what <> ''`+in+` GROUP BY check_key, status`, args()...)
	if err != nil {
		return nil, fmt.Errorf("not passing: %w", err)
	}
	for rows.Next() {
		var g group
		var n int
		if err := rows.Scan(&g.check, &g.status, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("not passing: %w", err)
		}
		byGroup[g] = &assay.NotPassingCheck{Status: codeStatus(g.status), Count: n}
		groups = append(groups, g)
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("not passing: %w", err)
	}
	first := `SELECT what FROM monitor_failing WHERE org_id = ? AND check_key = ? AND status = ? AND what <> ''` + in +
		` GROUP BY what ORDER BY what ` + s.db.dialect.Binary() + ` LIMIT ` + fmt.Sprint(named)
	for _, g := range groups {
		if named == 0 {
			break
		}
		rows, err := s.db.query(ctx, first, append([]any{s.orgID, g.check, int64(g.status)}, ids...)...)
		if err != nil {
			return nil, fmt.Errorf("not passing: %w", err)
		}
		for rows.Next() {
			var w string
			if err := rows.Scan(&w); err != nil {
				rows.Close()
				return nil, fmt.Errorf("not passing: %w", err)
			}
			byGroup[g].First = append(byGroup[g].First, w)
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("not passing: %w", err)
		}
	}
	// Source-level errors, named after their source: few rows.
	type sourceItem struct {
		g    group
		what string
	}
	var items []sourceItem
	rows, err = s.db.query(ctx, `SELECT check_key, status, source_id FROM monitor_failing WHERE org_id = ? AND what = ''`+in, args()...)
	if err != nil {
		return nil, fmt.Errorf("not passing: %w", err)
	}
	for rows.Next() {
		var it sourceItem
		var src int64
		if err := rows.Scan(&it.g.check, &it.g.status, &src); err != nil {
			rows.Close()
			return nil, fmt.Errorf("not passing: %w", err)
		}
		it.what = "source " + names[src]
		items = append(items, it)
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("not passing: %w", err)
	}
	slices.SortFunc(items, func(x, y sourceItem) int {
		return cmp.Or(cmp.Compare(x.g.check, y.g.check), cmp.Compare(x.g.status, y.g.status), strings.Compare(x.what, y.what))
	})
	items = slices.Compact(items)
	for _, it := range items {
		p := byGroup[it.g]
		if p == nil {
			p = &assay.NotPassingCheck{Status: codeStatus(it.g.status)}
			byGroup[it.g] = p
			groups = append(groups, it.g)
		} else {
			// A resource may be named like the source's item: count it once.
			var one int
			err := s.db.queryRow(ctx, `SELECT COUNT(*) FROM monitor_failing WHERE org_id = ? AND check_key = ? AND status = ? AND what = ?`+in,
				append([]any{s.orgID, it.g.check, int64(it.g.status), it.what}, ids...)...).Scan(&one)
			if err != nil {
				return nil, fmt.Errorf("not passing: %w", err)
			}
			if one > 0 {
				continue
			}
		}
		p.Count++
		p.First = append(p.First, it.what)
		slices.Sort(p.First)
		if len(p.First) > named {
			p.First = p.First[:named]
		}
	}
	checks, err := s.checkKeys(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		p := byGroup[g]
		p.CheckID = checks[g.check]
		if p.First == nil {
			p.First = []string{}
		}
		out = append(out, *p)
	}
	slices.SortFunc(out, func(x, y assay.NotPassingCheck) int {
		return cmp.Or(strings.Compare(x.CheckID, y.CheckID), strings.Compare(string(x.Status), string(y.Status)))
	})
	return out, nil
}
