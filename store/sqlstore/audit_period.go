package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/assay-platform/assay"
)

// activityWhere lists activity entries matching a condition, oldest first.
func (s *orgStore) activityWhere(ctx context.Context, q querier, where string, args ...any) ([]assay.Activity, error) {
	rows, err := q.QueryContext(ctx, s.db.q(`SELECT seq, org_id, at, actor_user_id, actor_name, actor_via, action, object_type, object_id, summary, before_json, after_json
		FROM activity WHERE org_id = ? AND `+where+` ORDER BY seq`), append([]any{s.orgID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("activity: %w", s.db.dialect.MapError(err))
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

// AuditPeriod builds the period view from the frozen scope.
func (s *orgStore) AuditPeriod(ctx context.Context, id int64) (assay.AuditPeriod, error) {
	a, err := s.Audit(ctx, id)
	if err != nil {
		return assay.AuditPeriod{}, err
	}
	start, end := a.Window()
	p := assay.AuditPeriod{Audit: a, Start: start, End: end, Criteria: []assay.PeriodCriteria{}, Controls: []assay.PeriodControl{}}
	byCrit := map[string][]string{}
	for _, sc := range a.Scope.Controls {
		for _, c := range sc.Criteria {
			byCrit[c] = append(byCrit[c], sc.ID)
		}
		pc := assay.PeriodControl{ID: sc.ID, Name: sc.Name, Criteria: sc.Criteria, Evidence: []assay.Evidence{},
			History: []assay.StatusChange{}, Exceptions: []assay.AuditException{}, Requests: []assay.EvidenceRequest{}}
		current := sc.Status
		if c, err := s.Control(ctx, sc.ID); err == nil {
			current = c.Status
		} else if assay.ErrorCode(err) != assay.ENOTFOUND {
			return p, err
		}
		entries, err := s.activityWhere(ctx, s.db.read, `object_type = 'control' AND object_id = ?`, sc.ID)
		if err != nil {
			return p, err
		}
		changes := assay.StatusChanges(entries)
		for _, ch := range changes {
			if !ch.At.Before(start) && ch.At.Before(end) {
				pc.History = append(pc.History, ch)
			}
		}
		pc.Exceptions = append(pc.Exceptions, assay.NotImplementedExceptions(start, end, changes, current)...)
		items, err := s.EvidenceList(ctx, assay.EvidenceFilter{ControlID: sc.ID, State: "all"})
		if err != nil {
			return p, err
		}
		for _, e := range items {
			if a.Covers(e) {
				pc.Evidence = append(pc.Evidence, e)
			}
		}
		pc.Exceptions = append(pc.Exceptions, assay.ExpiredEvidenceExceptions(start, end, items)...)
		reqs, err := s.EvidenceRequests(ctx, assay.EvidenceRequestFilter{ControlID: sc.ID})
		if err != nil {
			return p, err
		}
		// The engagement's own requests and those asked outside any
		// engagement; another engagement's list is not this one's.
		for _, r := range reqs {
			if r.AuditID == 0 || r.AuditID == a.ID {
				pc.Requests = append(pc.Requests, r)
			}
		}
		p.Controls = append(p.Controls, pc)
	}
	for _, c := range a.Scope.Criteria {
		ids := byCrit[c]
		if ids == nil {
			ids = []string{}
		}
		p.Criteria = append(p.Criteria, assay.PeriodCriteria{ID: c, Controls: ids})
	}
	return p, nil
}
