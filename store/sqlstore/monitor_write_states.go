package sqlstore

import (
	"fmt"
)

// stateRows is how many resources one batched state update carries on
// PostgreSQL.
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
// gets them stateRows at a time as one UPDATE ... FROM unnest(...).
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
