package sqlstore

import (
	"fmt"
	"strings"
)

// stateRows is how many resources one batched state update carries on
// PostgreSQL (5 parameters each).
const stateRows = 1000

// stateChanged notes that r's stored row must be written. On PostgreSQL
// the rows go out stateRows at a time while the run is still being
// evaluated, so the server's work overlaps the evaluation's.
func (a *runApply) stateChanged(r *runResource) error {
	if !r.dirty || r.isNew || !a.tx.db.dialect.Numbered() {
		return nil
	}
	r.dirty = false
	a.pendingStates = append(a.pendingStates, r)
	if len(a.pendingStates) < stateRows {
		return nil
	}
	err := a.writeStates(a.pendingStates)
	a.pendingStates = a.pendingStates[:0]
	return err
}

// updateStates writes the state (and kind, name, gone_at) of every
// resource the run changed that was stored before. SQLite, in process,
// runs one prepared UPDATE per resource; PostgreSQL, a round trip away,
// gets them stateRows at a time as one UPDATE ... FROM (VALUES ...).
func (a *runApply) updateStates() error {
	tx, org := a.tx, a.s.orgID
	dirty := a.pendingStates
	for _, r := range a.resources {
		if r.dirty && !r.isNew {
			dirty = append(dirty, r)
		}
	}
	if !tx.db.dialect.Numbered() {
		stmt, err := tx.PrepareContext(tx.ctx, `UPDATE monitor_resources SET kind = ?, name = ?, gone_at = ?, state = ? WHERE org_id = ? AND id = ?`)
		if err != nil {
			return fmt.Errorf("prepare resource update: %w", err)
		}
		defer stmt.Close()
		for _, r := range dirty {
			if _, err := stmt.ExecContext(tx.ctx, r.kind, r.name, r.goneAt, r.blob, org, r.key); err != nil {
				return fmt.Errorf("update resource %q: %w", r.id, err)
			}
		}
		return nil
	}
	return a.writeStates(dirty)
}

// writeStates writes the rows of resources on PostgreSQL, stateRows per
// statement.
func (a *runApply) writeStates(dirty []*runResource) error {
	tx, org := a.tx, a.s.orgID
	const row = `(CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BYTEA))`
	args := make([]any, 0, stateRows*5+1)
	for start := 0; start < len(dirty); start += stateRows {
		part := dirty[start:min(start+stateRows, len(dirty))]
		args = args[:0]
		for _, r := range part {
			args = append(args, r.key, r.kind, r.name, r.goneAt, r.blob)
		}
		args = append(args, org)
		q := `UPDATE monitor_resources AS m SET kind = v.kind, name = v.name, gone_at = v.gone_at, state = v.state
			FROM (VALUES ` + strings.Repeat(row+", ", len(part)-1) + row + `) AS v (id, kind, name, gone_at, state)
			WHERE m.org_id = ? AND m.id = v.id`
		if _, err := tx.exec(q, args...); err != nil {
			return fmt.Errorf("update resources: %w", err)
		}
	}
	return nil
}
