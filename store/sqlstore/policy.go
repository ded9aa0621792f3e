package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/assay-platform/assay"
)

const policyColumns = `p.id, p.template_id, p.title, p.controls_json, COALESCE(p.owner_id, 0), COALESCE(u.name, ''), p.departments_json,
	p.employment_json, p.review_months, p.reviewed_at, p.created_at, p.updated_at`

const policyFrom = ` FROM policies p LEFT JOIN users u ON u.id = p.owner_id `

func scanPolicy(row interface{ Scan(...any) error }) (assay.Policy, error) {
	var p assay.Policy
	var controls, depts, types, created, updated string
	var reviewed sql.NullString
	err := row.Scan(&p.ID, &p.TemplateID, &p.Title, &controls, &p.OwnerID, &p.OwnerName, &depts, &types, &p.ReviewMonths,
		&reviewed, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return p, assay.Errorf(assay.ENOTFOUND, "Policy not found.")
	} else if err != nil {
		return p, fmt.Errorf("scan policy: %w", err)
	}
	for _, j := range []struct {
		src string
		dst *[]string
	}{{controls, &p.Controls}, {depts, &p.AppliesTo.Departments}, {types, &p.AppliesTo.EmploymentTypes}} {
		if err := json.Unmarshal([]byte(j.src), j.dst); err != nil {
			return p, fmt.Errorf("policy %d: %w", p.ID, err)
		}
	}
	if p.CreatedAt, err = parseTime(created); err != nil {
		return p, err
	}
	if p.UpdatedAt, err = parseTime(updated); err != nil {
		return p, err
	}
	p.ReviewedAt, err = parseTimePtr(reviewed)
	return p, err
}

// policies reads policies (all, or one with id != 0) with their latest and
// published versions.
func (s *orgStore) policies(ctx context.Context, q rowQuerier, id int64) ([]assay.Policy, error) {
	where, args := ` WHERE p.org_id = ?`, []any{s.orgID}
	if id != 0 {
		where, args = where+` AND p.id = ?`, append(args, id)
	}
	rows, err := q.QueryContext(ctx, s.db.q(`SELECT `+policyColumns+policyFrom+where+` ORDER BY p.title `+s.db.dialect.Binary()+`, p.id`), args...)
	if err != nil {
		return nil, fmt.Errorf("list policies: %w", err)
	}
	out := []assay.Policy{}
	for rows.Next() {
		p, err := scanPolicy(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if id != 0 && len(out) == 0 {
		return nil, assay.Errorf(assay.ENOTFOUND, "Policy not found.")
	}
	versions, err := s.versions(ctx, q, id)
	if err != nil {
		return nil, err
	}
	idx := map[int64]int{}
	for i, p := range out {
		idx[p.ID] = i
	}
	for _, v := range versions { // newest first
		i, ok := idx[v.PolicyID]
		if !ok {
			continue
		}
		v := v
		if out[i].Latest == nil {
			out[i].Latest = &v
		}
		if v.Status == assay.PolicyPublished {
			out[i].Published = &v
		}
	}
	return out, nil
}

// Policies lists the organisation's policies by title.
func (s *orgStore) Policies(ctx context.Context) ([]assay.Policy, error) {
	return s.policies(ctx, s.db.read, 0)
}

// Policy returns one policy.
func (s *orgStore) Policy(ctx context.Context, id int64) (assay.Policy, error) {
	list, err := s.policies(ctx, s.db.read, id)
	if err != nil {
		return assay.Policy{}, err
	}
	return list[0], nil
}

func (tx *Tx) checkPolicyControls(orgID int64, ids []string) error {
	for _, c := range ids {
		var one int
		err := tx.queryRow(`SELECT 1 FROM controls WHERE org_id = ? AND id = ?`, orgID, c).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return assay.Invalid("controls", "No control %s in this organisation.", c)
		} else if err != nil {
			return fmt.Errorf("control %s: %w", c, err)
		}
	}
	return nil
}

func jsonList(v []string) string {
	if v == nil {
		v = []string{}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// AdoptPolicy creates a policy and its first draft, version 1.0.
func (s *orgStore) AdoptPolicy(ctx context.Context, actor assay.Actor, n assay.NewPolicy) (assay.Policy, error) {
	if err := n.Validate(); err != nil {
		return assay.Policy{}, err
	}
	var out assay.Policy
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		var owner any
		if n.OwnerID != 0 {
			if _, err := tx.checkUser(s.orgID, n.OwnerID, "owner_id", "a policy owner"); err != nil {
				return err
			}
			owner = n.OwnerID
		}
		if err := tx.checkPolicyControls(s.orgID, n.Controls); err != nil {
			return err
		}
		if n.TemplateID != "" {
			var one int
			err := tx.queryRow(`SELECT 1 FROM policies WHERE org_id = ? AND template_id = ?`, s.orgID, n.TemplateID).Scan(&one)
			if err == nil {
				return assay.Errorf(assay.ECONFLICT, "The template %s is already adopted.", n.TemplateID)
			} else if !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("check template: %w", err)
			}
		}
		now := formatTime(tx.now)
		var id int64
		err := tx.queryRow(`INSERT INTO policies (org_id, template_id, title, controls_json, owner_id, departments_json, employment_json,
			review_months, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			s.orgID, n.TemplateID, n.Title, jsonList(n.Controls), owner, jsonList(n.AppliesTo.Departments), jsonList(n.AppliesTo.EmploymentTypes),
			n.ReviewMonths, now, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert policy: %w", err)
		}
		if _, err := tx.insertPolicyVersion(s.orgID, id, assay.PolicyNumber{Major: 1}, n.Body, "First version.", actor); err != nil {
			return err
		}
		list, err := s.policies(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		out = list[0]
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "policy.adopt", objectType: "policy", objectID: idText(id),
			summary: fmt.Sprintf("Policy %q adopted as draft 1.0", n.Title), after: out})
		return err
	})
	if err != nil {
		return assay.Policy{}, err
	}
	return out, nil
}

// UpdatePolicy changes a policy's settings.
func (s *orgStore) UpdatePolicy(ctx context.Context, actor assay.Actor, id int64, patch assay.PolicyPatch) (assay.Policy, error) {
	var out assay.Policy
	err := s.db.update(ctx, func(tx *Tx) error {
		list, err := s.policies(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		before := list[0]
		p, err := patch.Apply(before)
		if err != nil {
			return err
		}
		var owner any
		if p.OwnerID != 0 {
			if _, err := tx.checkUser(s.orgID, p.OwnerID, "owner_id", "a policy owner"); err != nil {
				return err
			}
			owner = p.OwnerID
		}
		if _, err := tx.exec(`UPDATE policies SET title = ?, owner_id = ?, departments_json = ?, employment_json = ?, review_months = ?, updated_at = ?
			WHERE org_id = ? AND id = ?`, p.Title, owner, jsonList(p.AppliesTo.Departments), jsonList(p.AppliesTo.EmploymentTypes), p.ReviewMonths,
			formatTime(tx.now), s.orgID, id); err != nil {
			return fmt.Errorf("update policy: %w", err)
		}
		if list, err = s.policies(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		out = list[0]
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "policy.update", objectType: "policy", objectID: idText(id),
			summary: fmt.Sprintf("Policy %q settings changed", out.Title), before: before, after: out})
		return err
	})
	if err != nil {
		return assay.Policy{}, err
	}
	return out, nil
}

// ReviewPolicy records a review of a published policy without changes.
func (s *orgStore) ReviewPolicy(ctx context.Context, actor assay.Actor, id int64) (assay.Policy, error) {
	var out assay.Policy
	err := s.db.update(ctx, func(tx *Tx) error {
		list, err := s.policies(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		if list[0].Published == nil {
			return assay.Errorf(assay.ECONFLICT, "Only a published policy can be reviewed; publish a version first.")
		}
		if _, err := tx.exec(`UPDATE policies SET reviewed_at = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
			formatTime(tx.now), formatTime(tx.now), s.orgID, id); err != nil {
			return fmt.Errorf("review policy: %w", err)
		}
		if list, err = s.policies(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		out = list[0]
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "policy.review", objectType: "policy", objectID: idText(id),
			summary: fmt.Sprintf("Policy %q reviewed without changes; next review %s", out.Title, out.NextReview().Format("2006-01-02")), after: out})
		return err
	})
	if err != nil {
		return assay.Policy{}, err
	}
	return out, nil
}

func trimLower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
