package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/assay-platform/assay"
)

// loadAccessReviews reads the campaigns (id 0: all, newest first) with
// their systems and counts, through q (the read pool or a transaction).
func (s *orgStore) loadAccessReviews(ctx context.Context, q rowQuerier, id int64) ([]assay.AccessReview, error) {
	where, sysWhere, accWhere, args := ` WHERE org_id = ?`, ` WHERE s.org_id = ?`, ` WHERE org_id = ?`, []any{s.orgID}
	if id != 0 {
		where, sysWhere, accWhere, args = where+` AND id = ?`, sysWhere+` AND s.review_id = ?`, accWhere+` AND review_id = ?`, append(args, id)
	}
	rows, err := q.QueryContext(ctx, s.db.q(`SELECT id, name, period, due_date, status, created_by_name, created_at, completed_at,
		completed_by_name, evidence_id FROM access_reviews`+where+` ORDER BY created_at DESC, id DESC`), args...)
	if err != nil {
		return nil, fmt.Errorf("list access reviews: %w", err)
	}
	out := []assay.AccessReview{}
	index := map[int64]int{}
	for rows.Next() {
		var r assay.AccessReview
		var due, created string
		var completed sql.NullString
		var evidence sql.NullInt64
		if err := rows.Scan(&r.ID, &r.Name, &r.Period, &due, &r.Status, &r.CreatedByName, &created, &completed, &r.CompletedByName, &evidence); err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan access review: %w", err)
		}
		if r.DueDate, err = parseTime(due); err == nil {
			if r.CreatedAt, err = parseTime(created); err == nil {
				r.CompletedAt, err = parseTimePtr(completed)
			}
		}
		if err != nil {
			rows.Close()
			return nil, err
		}
		r.EvidenceID, r.Systems = evidence.Int64, []assay.AccessSystem{}
		index[r.ID] = len(out)
		out = append(out, r)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	rows, err = q.QueryContext(ctx, s.db.q(`SELECT s.review_id, s.name, s.owner_id, COALESCE(u.name, '')
		FROM access_review_systems s LEFT JOIN users u ON u.org_id = s.org_id AND u.id = s.owner_id`+sysWhere+` ORDER BY s.review_id, s.position`), args...)
	if err != nil {
		return nil, fmt.Errorf("list access review systems: %w", err)
	}
	for rows.Next() {
		var rid int64
		var sys assay.AccessSystem
		var owner sql.NullInt64
		if err := rows.Scan(&rid, &sys.Name, &owner, &sys.OwnerName); err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan access review system: %w", err)
		}
		sys.OwnerID = owner.Int64
		if i, ok := index[rid]; ok {
			out[i].Systems = append(out[i].Systems, sys)
		}
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, s.db.q(`SELECT review_id, system, COUNT(*),
		SUM(CASE WHEN decision <> '' THEN 1 ELSE 0 END), SUM(CASE WHEN decision = 'revoke' THEN 1 ELSE 0 END),
		SUM(CASE WHEN decision = 'change' THEN 1 ELSE 0 END)
		FROM access_review_accounts`+accWhere+` GROUP BY review_id, system`), args...)
	if err != nil {
		return nil, fmt.Errorf("count access review accounts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var rid, n, decided, revoked, changed int64
		var system string
		if err := rows.Scan(&rid, &system, &n, &decided, &revoked, &changed); err != nil {
			return nil, fmt.Errorf("scan access review counts: %w", err)
		}
		i, ok := index[rid]
		if !ok {
			continue
		}
		r := &out[i]
		r.Accounts += int(n)
		r.Decided += int(decided)
		r.Revoked += int(revoked)
		r.Changed += int(changed)
		for j := range r.Systems {
			if r.Systems[j].Name == system {
				r.Systems[j].Accounts, r.Systems[j].Decided = int(n), int(decided)
			}
		}
	}
	return out, rows.Err()
}

func (s *orgStore) accessReviewByID(ctx context.Context, q rowQuerier, id int64) (assay.AccessReview, error) {
	list, err := s.loadAccessReviews(ctx, q, id)
	if err != nil {
		return assay.AccessReview{}, err
	}
	if len(list) == 0 {
		return assay.AccessReview{}, assay.Errorf(assay.ENOTFOUND, "Access review not found.")
	}
	return list[0], nil
}

// AccessReviews lists the campaigns, newest first.
func (s *orgStore) AccessReviews(ctx context.Context) ([]assay.AccessReview, error) {
	return s.loadAccessReviews(ctx, s.db.read, 0)
}

// AccessReview returns one campaign.
func (s *orgStore) AccessReview(ctx context.Context, id int64) (assay.AccessReview, error) {
	return s.accessReviewByID(ctx, s.db.read, id)
}

// writeAccessSystems replaces the campaign's systems, checking owners.
func (s *orgStore) writeAccessSystems(tx *Tx, reviewID int64, systems []assay.AccessSystem) error {
	if _, err := tx.exec(`DELETE FROM access_review_systems WHERE org_id = ? AND review_id = ?`, s.orgID, reviewID); err != nil {
		return fmt.Errorf("clear access review systems: %w", err)
	}
	for i, sys := range systems {
		if sys.OwnerID != 0 {
			u, err := tx.user(s.orgID, sys.OwnerID)
			if assay.ErrorCode(err) == assay.ENOTFOUND {
				return assay.Invalid("systems", "No user %d in this organisation to own %s.", sys.OwnerID, sys.Name)
			} else if err != nil {
				return err
			}
			if u.Disabled || (u.Role != assay.RoleAdmin && u.Role != assay.RoleMember) {
				return assay.Invalid("systems", "%s cannot review %s; choose an active admin or member.", u.Name, sys.Name)
			}
		}
		if _, err := tx.exec(`INSERT INTO access_review_systems (org_id, review_id, name, name_key, owner_id, position) VALUES (?, ?, ?, ?, ?, ?)`,
			s.orgID, reviewID, sys.Name, strings.ToLower(sys.Name), nullInt(sys.OwnerID), i); err != nil {
			return fmt.Errorf("insert access review system: %w", err)
		}
	}
	return nil
}

// CreateAccessReview opens a campaign.
func (s *orgStore) CreateAccessReview(ctx context.Context, actor assay.Actor, n assay.NewAccessReview) (assay.AccessReview, error) {
	if err := n.Validate(); err != nil {
		return assay.AccessReview{}, err
	}
	var out assay.AccessReview
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		if err := s.requireUniqueReviewName(tx, n.Name, 0); err != nil {
			return err
		}
		now := formatTime(tx.now)
		var id int64
		if err := tx.queryRow(`INSERT INTO access_reviews (org_id, name, period, due_date, status, created_by_name, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'open', ?, ?, ?) RETURNING id`, s.orgID, n.Name, n.Period, formatTime(n.DueDate), actor.Name, now, now).Scan(&id); err != nil {
			return fmt.Errorf("insert access review: %w", err)
		}
		if err := s.writeAccessSystems(tx, id, n.Systems); err != nil {
			return err
		}
		var err error
		if out, err = s.accessReviewByID(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "access_review.create", objectType: "access_review", objectID: idText(id),
			summary: fmt.Sprintf("Access review %d %q opened for %s, due %s", id, out.Name, out.Period, out.DueDate.Format("2006-01-02")), after: out})
		return err
	})
	return out, err
}

func (s *orgStore) requireUniqueReviewName(tx *Tx, name string, self int64) error {
	var other int64
	err := tx.queryRow(`SELECT id FROM access_reviews WHERE org_id = ? AND lower(name) = ? AND id <> ?`, s.orgID, strings.ToLower(name), self).Scan(&other)
	if err == nil {
		return assay.Invalid("name", "Access review %d is already called %q.", other, name)
	} else if err != sql.ErrNoRows {
		return fmt.Errorf("check access review name: %w", err)
	}
	return nil
}

// openReview reads a campaign in tx and refuses a completed one.
func (s *orgStore) openReview(tx *Tx, id int64) (assay.AccessReview, error) {
	r, err := s.accessReviewByID(tx.ctx, tx.Tx, id)
	if err != nil {
		return r, err
	}
	if r.Status != assay.AccessReviewOpen {
		return r, assay.Errorf(assay.ECONFLICT, "Access review %q is completed; it cannot change.", r.Name)
	}
	return r, nil
}

// UpdateAccessReview changes an open campaign.
func (s *orgStore) UpdateAccessReview(ctx context.Context, actor assay.Actor, id int64, n assay.NewAccessReview) (assay.AccessReview, error) {
	if err := n.Validate(); err != nil {
		return assay.AccessReview{}, err
	}
	var out assay.AccessReview
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := s.openReview(tx, id)
		if err != nil {
			return err
		}
		if err := s.requireUniqueReviewName(tx, n.Name, id); err != nil {
			return err
		}
		for _, old := range before.Systems {
			if _, kept := (assay.AccessReview{Systems: n.Systems}).System(old.Name); !kept && old.Accounts > 0 {
				return assay.Invalid("systems", "The system %s has %d accounts in this campaign; it cannot be removed.", old.Name, old.Accounts)
			}
		}
		if _, err := tx.exec(`UPDATE access_reviews SET name = ?, period = ?, due_date = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
			n.Name, n.Period, formatTime(n.DueDate), formatTime(tx.now), s.orgID, id); err != nil {
			return fmt.Errorf("update access review %d: %w", id, err)
		}
		if err := s.writeAccessSystems(tx, id, n.Systems); err != nil {
			return err
		}
		// Accounts keep the spelling of their system's name.
		for _, sys := range n.Systems {
			if _, err := tx.exec(`UPDATE access_review_accounts SET system = ? WHERE org_id = ? AND review_id = ? AND lower(system) = ?`,
				sys.Name, s.orgID, id, strings.ToLower(sys.Name)); err != nil {
				return fmt.Errorf("rename access review system: %w", err)
			}
		}
		if out, err = s.accessReviewByID(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "access_review.update", objectType: "access_review", objectID: idText(id),
			summary: fmt.Sprintf("Access review %d %q updated", id, out.Name), before: before, after: out})
		return err
	})
	return out, err
}

// DeleteAccessReview removes an open campaign with no decision.
func (s *orgStore) DeleteAccessReview(ctx context.Context, actor assay.Actor, id int64) error {
	return s.db.update(ctx, func(tx *Tx) error {
		before, err := s.openReview(tx, id)
		if err != nil {
			return err
		}
		if before.Decided > 0 {
			return assay.Errorf(assay.ECONFLICT, "Access review %q has %d decisions; it cannot be deleted.", before.Name, before.Decided)
		}
		for _, table := range []string{"access_review_accounts", "access_review_systems"} {
			if _, err := tx.exec(`DELETE FROM `+table+` WHERE org_id = ? AND review_id = ?`, s.orgID, id); err != nil {
				return fmt.Errorf("delete from %s: %w", table, err)
			}
		}
		if _, err := tx.exec(`DELETE FROM access_reviews WHERE org_id = ? AND id = ?`, s.orgID, id); err != nil {
			return fmt.Errorf("delete access review %d: %w", id, err)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "access_review.delete", objectType: "access_review", objectID: idText(id),
			summary: fmt.Sprintf("Access review %d %q deleted", id, before.Name), before: before})
		return err
	})
}
