package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
)

const versionColumns = `v.id, v.policy_id, p.title, v.major, v.minor, v.status, v.body, v.changelog, v.edited_by_id, v.edited_by_name,
	v.edited_at, v.approved_by_id, v.approved_by_name, v.approved_at, v.published_at, v.retired_at, v.created_at`

const versionFrom = ` FROM policy_versions v JOIN policies p ON p.org_id = v.org_id AND p.id = v.policy_id `

func scanVersion(row interface{ Scan(...any) error }) (assay.PolicyVersion, error) {
	var v assay.PolicyVersion
	var edited, created string
	var approved, published, retired sql.NullString
	err := row.Scan(&v.ID, &v.PolicyID, &v.PolicyTitle, &v.Number.Major, &v.Number.Minor, &v.Status, &v.Body, &v.Changelog,
		&v.EditedByID, &v.EditedByName, &edited, &v.ApprovedByID, &v.ApprovedByName, &approved, &published, &retired, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return v, assay.Errorf(assay.ENOTFOUND, "Policy version not found.")
	} else if err != nil {
		return v, fmt.Errorf("scan policy version: %w", err)
	}
	v.Version = v.Number.String()
	if v.EditedAt, err = parseTime(edited); err != nil {
		return v, err
	}
	if v.CreatedAt, err = parseTime(created); err != nil {
		return v, err
	}
	for _, t := range []struct {
		dst **time.Time
		s   sql.NullString
	}{{&v.ApprovedAt, approved}, {&v.PublishedAt, published}, {&v.RetiredAt, retired}} {
		if *t.dst, err = parseTimePtr(t.s); err != nil {
			return v, err
		}
	}
	return v, nil
}

// versions lists versions of one policy (0: all), newest first.
func (s *orgStore) versions(ctx context.Context, q rowQuerier, policyID int64) ([]assay.PolicyVersion, error) {
	where, args := ` WHERE v.org_id = ?`, []any{s.orgID}
	if policyID != 0 {
		where, args = where+` AND v.policy_id = ?`, append(args, policyID)
	}
	rows, err := q.QueryContext(ctx, s.db.q(`SELECT `+versionColumns+versionFrom+where+` ORDER BY v.policy_id, v.major DESC, v.minor DESC`), args...)
	if err != nil {
		return nil, fmt.Errorf("list policy versions: %w", err)
	}
	defer rows.Close()
	out := []assay.PolicyVersion{}
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (s *orgStore) versionByID(ctx context.Context, q rowQuerier, id int64) (assay.PolicyVersion, error) {
	return scanVersion(q.QueryRowContext(ctx, s.db.q(`SELECT `+versionColumns+versionFrom+` WHERE v.org_id = ? AND v.id = ?`), s.orgID, id))
}

// PolicyVersions lists a policy's versions, newest first.
func (s *orgStore) PolicyVersions(ctx context.Context, policyID int64) ([]assay.PolicyVersion, error) {
	if _, err := s.Policy(ctx, policyID); err != nil {
		return nil, err
	}
	return s.versions(ctx, s.db.read, policyID)
}

// PolicyVersion returns one version.
func (s *orgStore) PolicyVersion(ctx context.Context, id int64) (assay.PolicyVersion, error) {
	return s.versionByID(ctx, s.db.read, id)
}

func (tx *Tx) insertPolicyVersion(orgID, policyID int64, n assay.PolicyNumber, body, changelog string, actor assay.Actor) (int64, error) {
	now := formatTime(tx.now)
	var id int64
	err := tx.queryRow(`INSERT INTO policy_versions (org_id, policy_id, major, minor, status, body, changelog, edited_by_id, edited_by_name,
		edited_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		orgID, policyID, n.Major, n.Minor, string(assay.PolicyDraft), body, changelog, actor.UserID, actor.Name, now, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert policy version: %w", err)
	}
	return id, nil
}

// EditPolicy changes the open draft or starts a new version.
func (s *orgStore) EditPolicy(ctx context.Context, actor assay.Actor, id int64, e assay.PolicyEdit) (assay.PolicyVersion, error) {
	var out assay.PolicyVersion
	err := s.db.update(ctx, func(tx *Tx) error {
		list, err := s.policies(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		latest := list[0].Latest
		if latest == nil {
			return fmt.Errorf("policy %d has no version", id)
		}
		switch latest.Status {
		case assay.PolicyInReview, assay.PolicyApproved:
			return assay.Errorf(assay.ECONFLICT, "Version %s is %s; send it back to draft before editing.", latest.Version, statusText(latest.Status))
		case assay.PolicyDraft:
			if err := e.Validate(false); err != nil {
				return err
			}
			changelog := latest.Changelog
			if e.Changelog != "" {
				changelog = e.Changelog
			}
			if _, err := tx.exec(`UPDATE policy_versions SET body = ?, changelog = ?, edited_by_id = ?, edited_by_name = ?, edited_at = ?
				WHERE org_id = ? AND id = ?`, e.Body, changelog, actor.UserID, actor.Name, formatTime(tx.now), s.orgID, latest.ID); err != nil {
				return fmt.Errorf("update draft: %w", err)
			}
			if out, err = s.versionByID(tx.ctx, tx.Tx, latest.ID); err != nil {
				return err
			}
			_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "policy.edit", objectType: "policy_version", objectID: idText(out.ID),
				summary: fmt.Sprintf("Draft %s of %q edited", out.Version, out.PolicyTitle), before: latest, after: out})
			return err
		}
		if err := e.Validate(true); err != nil {
			return err
		}
		n, err := latest.Number.Bump(e.Bump)
		if err != nil {
			return err
		}
		vid, err := tx.insertPolicyVersion(s.orgID, id, n, e.Body, e.Changelog, actor)
		if err != nil {
			return err
		}
		if out, err = s.versionByID(tx.ctx, tx.Tx, vid); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "policy.version", objectType: "policy_version", objectID: idText(vid),
			summary: fmt.Sprintf("Draft %s of %q started: %s", out.Version, out.PolicyTitle, e.Changelog), after: out})
		return err
	})
	if err != nil {
		return assay.PolicyVersion{}, err
	}
	return out, nil
}

func statusText(s assay.PolicyStatus) string {
	if s == assay.PolicyInReview {
		return "in review"
	}
	return string(s)
}

// MovePolicyVersion moves a version along its lifecycle.
func (s *orgStore) MovePolicyVersion(ctx context.Context, actor assay.Actor, versionID int64, to assay.PolicyStatus) (assay.PolicyVersion, error) {
	if !to.Valid() {
		return assay.PolicyVersion{}, assay.Invalid("to", "Unknown status %q; use draft, in_review, approved, published or retired.", to)
	}
	var out assay.PolicyVersion
	err := s.db.update(ctx, func(tx *Tx) error {
		v, err := s.versionByID(tx.ctx, tx.Tx, versionID)
		if err != nil {
			return err
		}
		if !v.Status.CanMove(to) {
			return assay.Errorf(assay.ECONFLICT, "Version %s is %s and cannot become %s.", v.Version, statusText(v.Status), statusText(to))
		}
		now := formatTime(tx.now)
		q, args := `UPDATE policy_versions SET status = ?`, []any{string(to)}
		switch to {
		case assay.PolicyApproved:
			if actor.UserID == 0 || actor.UserID == v.EditedByID {
				return assay.Errorf(assay.EFORBIDDEN, "Version %s was last edited by %s; someone else must approve it.", v.Version, v.EditedByName)
			}
			q, args = q+`, approved_by_id = ?, approved_by_name = ?, approved_at = ?`, append(args, actor.UserID, actor.Name, now)
		case assay.PolicyDraft:
			q += `, approved_by_id = 0, approved_by_name = '', approved_at = NULL`
		case assay.PolicyPublished:
			// The version in force is retired first (one published version
			// per policy), and kept.
			if _, err := tx.exec(`UPDATE policy_versions SET status = ?, retired_at = ? WHERE org_id = ? AND policy_id = ? AND status = ?`,
				string(assay.PolicyRetired), now, s.orgID, v.PolicyID, string(assay.PolicyPublished)); err != nil {
				return fmt.Errorf("retire previous version: %w", err)
			}
			q, args = q+`, published_at = ?, body = ?`, append(args, now, assay.FillEffectiveDate(v.Body, tx.now))
			if _, err := tx.exec(`UPDATE policies SET reviewed_at = ?, updated_at = ? WHERE org_id = ? AND id = ?`, now, now, s.orgID, v.PolicyID); err != nil {
				return fmt.Errorf("mark policy reviewed: %w", err)
			}
		case assay.PolicyRetired:
			q, args = q+`, retired_at = ?`, append(args, now)
		}
		if _, err := tx.exec(q+` WHERE org_id = ? AND id = ?`, append(args, s.orgID, versionID)...); err != nil {
			return fmt.Errorf("move policy version: %w", err)
		}
		if out, err = s.versionByID(tx.ctx, tx.Tx, versionID); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "policy." + string(to), objectType: "policy_version", objectID: idText(versionID),
			summary: fmt.Sprintf("Version %s of %q is now %s", out.Version, out.PolicyTitle, statusText(to)), before: v, after: out})
		return err
	})
	if err != nil {
		return assay.PolicyVersion{}, err
	}
	return out, nil
}
