package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/assay-platform/assay"
)

const riskColumns = `r.id, r.category, r.title, r.description, r.owner_id, COALESCE(o.name, ''), r.likelihood, r.impact,
	r.residual_likelihood, r.residual_impact, r.treatment, r.approver_id, COALESCE(a.name, ''), r.accept_expires,
	r.controls_json, r.review_date, r.status, r.template_id, r.created_at, r.updated_at`

const riskFrom = ` FROM risks r LEFT JOIN users o ON o.id = r.owner_id LEFT JOIN users a ON a.id = r.approver_id `

func scanRisk(row interface{ Scan(...any) error }) (assay.Risk, error) {
	var r assay.Risk
	var owner, approver sql.NullInt64
	var expires, review sql.NullString
	var controls, created, updated string
	if err := row.Scan(&r.ID, &r.Category, &r.Title, &r.Description, &owner, &r.OwnerName, &r.Likelihood, &r.Impact,
		&r.ResidualLikelihood, &r.ResidualImpact, &r.Treatment, &approver, &r.ApproverName, &expires,
		&controls, &review, &r.Status, &r.TemplateID, &created, &updated); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return r, assay.Errorf(assay.ENOTFOUND, "Risk not found.")
		}
		return r, fmt.Errorf("scan risk: %w", err)
	}
	r.OwnerID, r.ApproverID = owner.Int64, approver.Int64
	var err error
	if r.AcceptExpires, err = parseTimePtr(expires); err != nil {
		return r, err
	}
	if r.ReviewDate, err = parseTimePtr(review); err != nil {
		return r, err
	}
	if r.CreatedAt, err = parseTime(created); err != nil {
		return r, err
	}
	if r.UpdatedAt, err = parseTime(updated); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(controls), &r.Controls); err != nil {
		return r, fmt.Errorf("risk %d controls: %w", r.ID, err)
	}
	return r, nil
}

// Risks lists the register, highest residual score first.
func (s *orgStore) Risks(ctx context.Context) ([]assay.Risk, error) {
	rows, err := s.db.query(ctx, `SELECT `+riskColumns+riskFrom+`WHERE r.org_id = ?
		ORDER BY r.residual_likelihood * r.residual_impact DESC, r.likelihood * r.impact DESC, r.id`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("list risks: %w", err)
	}
	defer rows.Close()
	out := []assay.Risk{}
	for rows.Next() {
		r, err := scanRisk(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Risk returns one risk.
func (s *orgStore) Risk(ctx context.Context, id int64) (assay.Risk, error) {
	return scanRisk(s.db.queryRow(ctx, `SELECT `+riskColumns+riskFrom+`WHERE r.org_id = ? AND r.id = ?`, s.orgID, id))
}

func (tx *Tx) risk(orgID, id int64) (assay.Risk, error) {
	return scanRisk(tx.queryRow(`SELECT `+riskColumns+riskFrom+`WHERE r.org_id = ? AND r.id = ?`, orgID, id))
}

// checkUser returns the name of an enabled user of the organisation.
func (tx *Tx) checkUser(orgID, userID int64, field, what string) (string, error) {
	var name string
	var disabled int
	err := tx.queryRow(`SELECT name, disabled FROM users WHERE org_id = ? AND id = ?`, orgID, userID).Scan(&name, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return "", assay.Invalid(field, "No user %d in this organisation.", userID)
	} else if err != nil {
		return "", fmt.Errorf("user %d: %w", userID, err)
	}
	if disabled != 0 {
		return "", assay.Invalid(field, "User %s is disabled and cannot be %s.", name, what)
	}
	return name, nil
}

// checkRisk normalises and validates r against the organisation.
func (tx *Tx) checkRisk(orgID int64, r *assay.Risk) error {
	r.Normalize()
	if err := r.Validate(); err != nil {
		return err
	}
	var err error
	r.OwnerName, r.ApproverName = "", ""
	if r.OwnerID != 0 {
		if r.OwnerName, err = tx.checkUser(orgID, r.OwnerID, "owner_id", "a risk owner"); err != nil {
			return err
		}
	}
	if r.ApproverID != 0 {
		if r.ApproverName, err = tx.checkUser(orgID, r.ApproverID, "approver_id", "an approver"); err != nil {
			return err
		}
	}
	return tx.requireControls(orgID, "controls", r.Controls)
}

// itemError prefixes a person-facing error with the item's position.
func itemError(what string, i, n int, err error) error {
	var e *assay.Error
	if n > 1 && errors.As(err, &e) {
		return &assay.Error{Code: e.Code, Field: e.Field, Message: fmt.Sprintf("%s %d: %s", what, i+1, e.Message)}
	}
	return err
}

// CreateRisks writes every risk, or none.
func (s *orgStore) CreateRisks(ctx context.Context, actor assay.Actor, risks []assay.Risk) ([]assay.Risk, error) {
	if len(risks) == 0 {
		return nil, assay.Invalid("risks", "Nothing to add.")
	}
	if len(risks) > assay.MaxRisksPerCall {
		return nil, assay.Invalid("risks", "At most %d risks at a time.", assay.MaxRisksPerCall)
	}
	out := make([]assay.Risk, 0, len(risks))
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		for i, r := range risks {
			if err := tx.checkRisk(s.orgID, &r); err != nil {
				return itemError("Risk", i, len(risks), err)
			}
			controls, _ := json.Marshal(r.Controls)
			var id int64
			if err := tx.queryRow(`INSERT INTO risks (org_id, category, title, description, owner_id, likelihood, impact, residual_likelihood, residual_impact,
				treatment, approver_id, accept_expires, controls_json, review_date, status, template_id, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				s.orgID, r.Category, r.Title, r.Description, nullInt(r.OwnerID), r.Likelihood, r.Impact, r.ResidualLikelihood, r.ResidualImpact,
				string(r.Treatment), nullInt(r.ApproverID), formatTimePtr(r.AcceptExpires), string(controls), formatTimePtr(r.ReviewDate),
				string(r.Status), r.TemplateID, formatTime(tx.now), formatTime(tx.now)).Scan(&id); err != nil {
				return fmt.Errorf("insert risk: %w", err)
			}
			after, err := tx.risk(s.orgID, id)
			if err != nil {
				return err
			}
			if _, err := tx.appendActivity(actor, change{orgID: s.orgID, action: "risk.create", objectType: "risk", objectID: fmt.Sprint(id),
				summary: fmt.Sprintf("Added the risk %q (inherent %d, residual %d)", after.Title, after.InherentScore(), after.ResidualScore()), after: after}); err != nil {
				return err
			}
			out = append(out, after)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateRisk replaces the editable fields of a risk.
func (s *orgStore) UpdateRisk(ctx context.Context, actor assay.Actor, id int64, r assay.Risk) (assay.Risk, error) {
	var after assay.Risk
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := tx.risk(s.orgID, id)
		if err != nil {
			return err
		}
		r.TemplateID = before.TemplateID
		if err := tx.checkRisk(s.orgID, &r); err != nil {
			return err
		}
		controls, _ := json.Marshal(r.Controls)
		if _, err := tx.exec(`UPDATE risks SET category = ?, title = ?, description = ?, owner_id = ?, likelihood = ?, impact = ?,
			residual_likelihood = ?, residual_impact = ?, treatment = ?, approver_id = ?, accept_expires = ?, controls_json = ?,
			review_date = ?, status = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
			r.Category, r.Title, r.Description, nullInt(r.OwnerID), r.Likelihood, r.Impact, r.ResidualLikelihood, r.ResidualImpact,
			string(r.Treatment), nullInt(r.ApproverID), formatTimePtr(r.AcceptExpires), string(controls), formatTimePtr(r.ReviewDate),
			string(r.Status), formatTime(tx.now), s.orgID, id); err != nil {
			return fmt.Errorf("update risk: %w", err)
		}
		if after, err = tx.risk(s.orgID, id); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "risk.update", objectType: "risk", objectID: fmt.Sprint(id),
			summary: fmt.Sprintf("Updated the risk %q (residual %d, %s, %s)", after.Title, after.ResidualScore(), after.Treatment, after.Status), before: before, after: after})
		return err
	})
	return after, err
}

const assessmentColumns = `x.id, x.date, x.summary, x.approver_id, COALESCE(u.name, ''), x.risks, x.open_risks, x.high_residual, x.accepted, x.created_by_name, x.created_at`

func scanAssessment(row interface{ Scan(...any) error }) (assay.RiskAssessment, error) {
	var a assay.RiskAssessment
	var date, created string
	if err := row.Scan(&a.ID, &date, &a.Summary, &a.ApproverID, &a.ApproverName, &a.Risks, &a.OpenRisks, &a.HighResidual, &a.Accepted, &a.CreatedByName, &created); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return a, assay.Errorf(assay.ENOTFOUND, "Risk assessment not found.")
		}
		return a, fmt.Errorf("scan risk assessment: %w", err)
	}
	var err error
	if a.Date, err = parseTime(date); err != nil {
		return a, err
	}
	a.CreatedAt, err = parseTime(created)
	return a, err
}

// RiskAssessments lists the assessments, newest first.
func (s *orgStore) RiskAssessments(ctx context.Context) ([]assay.RiskAssessment, error) {
	rows, err := s.db.query(ctx, `SELECT `+assessmentColumns+` FROM risk_assessments x LEFT JOIN users u ON u.id = x.approver_id
		WHERE x.org_id = ? ORDER BY x.date DESC, x.id DESC`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("list risk assessments: %w", err)
	}
	defer rows.Close()
	out := []assay.RiskAssessment{}
	for rows.Next() {
		a, err := scanAssessment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// CreateRiskAssessment records an assessment and the register's counts.
func (s *orgStore) CreateRiskAssessment(ctx context.Context, actor assay.Actor, a assay.RiskAssessment) (assay.RiskAssessment, error) {
	if err := a.Validate(s.db.clock.Now()); err != nil {
		return assay.RiskAssessment{}, err
	}
	var out assay.RiskAssessment
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		if _, err := tx.checkUser(s.orgID, a.ApproverID, "approver_id", "an approver"); err != nil {
			return err
		}
		err := tx.queryRow(`SELECT COUNT(*),
			COALESCE(SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN status <> 'closed' AND residual_likelihood * residual_impact >= 12 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN status <> 'closed' AND treatment = 'accept' THEN 1 ELSE 0 END), 0)
			FROM risks WHERE org_id = ?`, s.orgID).Scan(&a.Risks, &a.OpenRisks, &a.HighResidual, &a.Accepted)
		if err != nil {
			return fmt.Errorf("count risks: %w", err)
		}
		var id int64
		if err := tx.queryRow(`INSERT INTO risk_assessments (org_id, date, summary, approver_id, risks, open_risks, high_residual, accepted, created_by_name, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, s.orgID, formatTime(a.Date), a.Summary, a.ApproverID,
			a.Risks, a.OpenRisks, a.HighResidual, a.Accepted, actor.Name, formatTime(tx.now)).Scan(&id); err != nil {
			return fmt.Errorf("insert risk assessment: %w", err)
		}
		if out, err = scanAssessment(tx.queryRow(`SELECT `+assessmentColumns+` FROM risk_assessments x LEFT JOIN users u ON u.id = x.approver_id
			WHERE x.org_id = ? AND x.id = ?`, s.orgID, id)); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "risk_assessment.create", objectType: "risk_assessment", objectID: fmt.Sprint(id),
			summary: fmt.Sprintf("Recorded the risk assessment of %s approved by %s (%d risks, %d high residual)", out.Date.Format("2006-01-02"), out.ApproverName, out.Risks, out.HighResidual), after: out})
		return err
	})
	return out, err
}
