package sqlstore

import (
	"fmt"
)

// On PostgreSQL a run's many rows go out as arrays, one per column,
// unnested by the server: a statement carries a few parameters however
// many rows it writes, so the server neither parses nor plans thousands
// of placeholders, and pgx sends each column in binary. unnest is
// estimated at 100 rows, so the updates and deletes below are planned as
// index lookups. SQLite keeps its multi-row statements (insertBatches).

// arrayRows is how many rows one array statement carries.
const arrayRows = 10_000

// insertTransitionsArrays inserts the run's transitions (PostgreSQL).
func (a *runApply) insertTransitionsArrays(list []pendingTransition) error {
	checks, res, status, reason := make([]int64, 0, arrayRows), make([]int64, 0, arrayRows), make([]int64, 0, arrayRows), make([]int64, 0, arrayRows)
	for start := 0; start < len(list); start += arrayRows {
		checks, res, status, reason = checks[:0], res[:0], status[:0], reason[:0]
		for _, t := range list[start:min(start+arrayRows, len(list))] {
			checks, res = append(checks, t.check), append(res, t.res.key)
			status, reason = append(status, int64(t.status)), append(reason, t.reason)
		}
		_, err := a.tx.exec(`INSERT INTO monitor_transitions (org_id, check_key, resource_key, run_id, at, status, reason_key)
			SELECT CAST(? AS BIGINT), t.c, t.r, CAST(? AS BIGINT), CAST(? AS BIGINT), t.s, t.k
			FROM unnest(CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[])) AS t (c, r, s, k)`,
			a.s.orgID, a.run.ID, a.at, checks, res, status, reason)
		if err != nil {
			return err
		}
	}
	return nil
}

// upsertFailingArrays writes the pairs now failing or in error
// (PostgreSQL).
func (a *runApply) upsertFailingArrays(up []pendingTransition) error {
	checks, res, status := make([]int64, 0, arrayRows), make([]int64, 0, arrayRows), make([]int64, 0, arrayRows)
	what := make([]string, 0, arrayRows)
	for start := 0; start < len(up); start += arrayRows {
		checks, res, status, what = checks[:0], res[:0], status[:0], what[:0]
		for _, t := range up[start:min(start+arrayRows, len(up))] {
			checks, res, status = append(checks, t.check), append(res, t.res.key), append(status, int64(t.status))
			what = append(what, failingWhat(t.res.id, t.res.name))
		}
		_, err := a.tx.exec(`INSERT INTO monitor_failing (org_id, check_key, resource_key, status, source_id, what)
			SELECT CAST(? AS BIGINT), t.c, t.r, t.s, CAST(? AS BIGINT), t.w
			FROM unnest(CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[])) AS t (c, r, s, w)
			ON CONFLICT (org_id, check_key, resource_key) DO UPDATE SET status = excluded.status, what = excluded.what`,
			a.s.orgID, a.run.SourceID, checks, res, status, what)
		if err != nil {
			return err
		}
	}
	return nil
}

// deleteFailingArrays removes the pairs of one check on the resources
// keys (PostgreSQL): one index scan of the check's range per statement
// (a join with unnest would be planned as a hash join over the whole
// table once the server sees how many keys the array holds).
func (tx *Tx) deleteFailingArrays(org, check int64, keys []int64) error {
	for start := 0; start < len(keys); start += arrayRows {
		_, err := tx.exec(`DELETE FROM monitor_failing WHERE org_id = ? AND check_key = ? AND resource_key = ANY(CAST(? AS BIGINT[]))`,
			org, check, keys[start:min(start+arrayRows, len(keys))])
		if err != nil {
			return fmt.Errorf("failing pairs: %w", err)
		}
	}
	return nil
}

// writeStates writes the rows of resources on PostgreSQL, stateRows per
// statement.
func (a *runApply) writeStates(dirty []*runResource) error {
	n := min(len(dirty), stateRows)
	ids, blobs := make([]int64, 0, n), make([][]byte, 0, n)
	kinds, names := make([]string, 0, n), make([]string, 0, n)
	gone := make([]*int64, 0, n)
	for start := 0; start < len(dirty); start += stateRows {
		ids, kinds, names, gone, blobs = ids[:0], kinds[:0], names[:0], gone[:0], blobs[:0]
		for _, r := range dirty[start:min(start+stateRows, len(dirty))] {
			ids, kinds, names, blobs = append(ids, r.key), append(kinds, r.kind), append(names, r.name), append(blobs, r.blob)
			if r.goneAt.Valid {
				at := r.goneAt.Int64
				gone = append(gone, &at)
			} else {
				gone = append(gone, nil)
			}
		}
		_, err := a.tx.exec(`UPDATE monitor_resources AS m SET kind = v.kind, name = v.name, gone_at = v.gone_at, state = v.state
			FROM unnest(CAST(? AS BIGINT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS BIGINT[]), CAST(? AS BYTEA[])) AS v (id, kind, name, gone_at, state)
			WHERE m.org_id = ? AND m.id = v.id`, ids, kinds, names, gone, blobs, a.s.orgID)
		if err != nil {
			return fmt.Errorf("update resources: %w", err)
		}
	}
	return nil
}
