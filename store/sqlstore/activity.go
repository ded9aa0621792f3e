package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
)

// change describes one state change for the audit trail.
type change struct {
	orgID      int64
	action     string
	objectType string
	objectID   string
	summary    string
	before     any
	after      any
}

// appendActivity writes the activity entry for a change inside the change's
// own transaction. If it fails, the transaction fails: no change is made
// without its entry.
func (tx *Tx) appendActivity(actor assay.Actor, c change) (int64, error) {
	if actor.Name == "" || actor.Via == "" {
		return 0, fmt.Errorf("activity %s: actor name and channel are required", c.action)
	}
	before, err := marshalState(c.before)
	if err != nil {
		return 0, fmt.Errorf("activity %s: before: %w", c.action, err)
	}
	after, err := marshalState(c.after)
	if err != nil {
		return 0, fmt.Errorf("activity %s: after: %w", c.action, err)
	}
	var seq int64
	err = tx.queryRow(`INSERT INTO activity (org_id, at, actor_user_id, actor_name, actor_via, action, object_type, object_id, summary, before_json, after_json)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
		c.orgID, formatTime(tx.now), nullInt(actor.UserID), actor.Name, actor.Via, c.action, c.objectType, c.objectID, c.summary, before, after).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("activity %s: insert: %w", c.action, err)
	}
	// The entry's leaf in the tamper-evident ledger, from the values just
	// stored (store/sqlstore/ledger.go).
	e := ledger.Entry{Seq: seq, OrgID: c.orgID, At: formatTime(tx.now), ActorUserID: sql.NullInt64{Int64: actor.UserID, Valid: actor.UserID != 0},
		ActorName: actor.Name, ActorVia: actor.Via, Action: c.action, ObjectType: c.objectType, ObjectID: c.objectID,
		Summary: c.summary, Before: stateBytes(before), After: stateBytes(after)}
	if err := tx.appendLeaf(e); err != nil {
		return 0, fmt.Errorf("activity %s: %w", c.action, err)
	}
	return seq, nil
}

func stateBytes(v any) []byte {
	if s, ok := v.(string); ok {
		return []byte(s)
	}
	return nil
}

func marshalState(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// Activity lists the organisation's audit trail, newest first.
func (s *orgStore) Activity(ctx context.Context, f assay.ActivityFilter) ([]assay.Activity, error) {
	limit := f.Limit
	switch {
	case limit <= 0:
		limit = 100
	case limit > 1000:
		limit = 1000
	}
	q := `SELECT seq, org_id, at, actor_user_id, actor_name, actor_via, action, object_type, object_id, summary, before_json, after_json
		FROM activity WHERE org_id = ?`
	args := []any{s.orgID}
	if f.ObjectType != "" {
		q += ` AND object_type = ?`
		args = append(args, f.ObjectType)
	}
	if f.ObjectID != "" {
		q += ` AND object_id = ?`
		args = append(args, f.ObjectID)
	}
	if f.Actor != "" {
		q += ` AND LOWER(actor_name) LIKE ? ESCAPE '\'`
		args = append(args, "%"+escapeLike(strings.ToLower(f.Actor))+"%")
	}
	if a, area := strings.CutSuffix(f.Action, "."); area {
		q += ` AND action LIKE ? ESCAPE '\'`
		args = append(args, escapeLike(a)+".%")
	} else if f.Action != "" {
		q += ` AND action = ?`
		args = append(args, f.Action)
	}
	if f.Query != "" {
		q += ` AND LOWER(summary) LIKE ? ESCAPE '\'`
		args = append(args, "%"+escapeLike(strings.ToLower(f.Query))+"%")
	}
	if !f.From.IsZero() {
		q += ` AND at >= ?`
		args = append(args, formatTime(f.From))
	}
	if !f.To.IsZero() {
		q += ` AND at < ?`
		args = append(args, formatTime(f.To))
	}
	if f.BeforeSeq > 0 {
		q += ` AND seq < ?`
		args = append(args, f.BeforeSeq)
	}
	q += fmt.Sprintf(` ORDER BY seq DESC LIMIT %d`, limit)
	rows, err := s.db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list activity: %w", err)
	}
	defer rows.Close()
	var out []assay.Activity
	for rows.Next() {
		var a assay.Activity
		var at string
		var uid sql.NullInt64
		var before, after sql.NullString
		if err := rows.Scan(&a.Seq, &a.OrgID, &at, &uid, &a.Actor.Name, &a.Actor.Via, &a.Action, &a.ObjectType, &a.ObjectID, &a.Summary, &before, &after); err != nil {
			return nil, fmt.Errorf("scan activity: %w", err)
		}
		if a.At, err = parseTime(at); err != nil {
			return nil, err
		}
		a.Actor.UserID = uid.Int64
		if before.Valid {
			a.Before = json.RawMessage(before.String)
		}
		if after.Valid {
			a.After = json.RawMessage(after.String)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
