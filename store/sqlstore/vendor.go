package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/assay-platform/assay"
)

const vendorColumns = `v.id, v.name, v.services, v.data_shared, v.classification, v.criticality, v.owner_id, COALESCE(o.name, ''),
	v.contract_start, v.contract_end, v.subprocessor, v.tier_override, v.tier_override_reason, v.soc2_evidence_id, v.soc2_period_end,
	v.clauses_json, v.reviewed_at, v.review_score, v.review_answers_json, v.reviewer_name, v.created_at, v.updated_at`

const vendorFrom = ` FROM vendors v LEFT JOIN users o ON o.id = v.owner_id `

func scanVendor(row interface{ Scan(...any) error }) (assay.Vendor, error) {
	var v assay.Vendor
	var owner, evidence sql.NullInt64
	var start, end, soc2, reviewed sql.NullString
	var sub int
	var clauses, answers, created, updated string
	if err := row.Scan(&v.ID, &v.Name, &v.Services, &v.DataShared, &v.Classification, &v.Criticality, &owner, &v.OwnerName,
		&start, &end, &sub, &v.TierOverride, &v.TierOverrideReason, &evidence, &soc2,
		&clauses, &reviewed, &v.ReviewScore, &answers, &v.ReviewerName, &created, &updated); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return v, assay.Errorf(assay.ENOTFOUND, "Vendor not found.")
		}
		return v, fmt.Errorf("scan vendor: %w", err)
	}
	v.OwnerID, v.SOC2EvidenceID, v.Subprocessor = owner.Int64, evidence.Int64, sub != 0
	var err error
	if v.ContractStart, err = parseTimePtr(start); err != nil {
		return v, err
	}
	if v.ContractEnd, err = parseTimePtr(end); err != nil {
		return v, err
	}
	if v.SOC2PeriodEnd, err = parseTimePtr(soc2); err != nil {
		return v, err
	}
	if v.ReviewedAt, err = parseTimePtr(reviewed); err != nil {
		return v, err
	}
	if v.CreatedAt, err = parseTime(created); err != nil {
		return v, err
	}
	if v.UpdatedAt, err = parseTime(updated); err != nil {
		return v, err
	}
	if err := json.Unmarshal([]byte(clauses), &v.Clauses); err != nil {
		return v, fmt.Errorf("vendor %d clauses: %w", v.ID, err)
	}
	if err := json.Unmarshal([]byte(answers), &v.ReviewAnswers); err != nil {
		return v, fmt.Errorf("vendor %d answers: %w", v.ID, err)
	}
	if len(v.ReviewAnswers) == 0 {
		v.ReviewAnswers = nil
	}
	return v, nil
}

// Vendors lists the inventory by name.
func (s *orgStore) Vendors(ctx context.Context) ([]assay.Vendor, error) {
	rows, err := s.db.query(ctx, `SELECT `+vendorColumns+vendorFrom+`WHERE v.org_id = ? ORDER BY v.name `+s.db.dialect.Binary()+`, v.id`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("list vendors: %w", err)
	}
	defer rows.Close()
	out := []assay.Vendor{}
	for rows.Next() {
		v, err := scanVendor(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Vendor returns one vendor.
func (s *orgStore) Vendor(ctx context.Context, id int64) (assay.Vendor, error) {
	return scanVendor(s.db.queryRow(ctx, `SELECT `+vendorColumns+vendorFrom+`WHERE v.org_id = ? AND v.id = ?`, s.orgID, id))
}

func (tx *Tx) vendor(orgID, id int64) (assay.Vendor, error) {
	return scanVendor(tx.queryRow(`SELECT `+vendorColumns+vendorFrom+`WHERE v.org_id = ? AND v.id = ?`, orgID, id))
}

// checkVendor normalises and validates v against the organisation: the
// owner is one of its users, the SOC 2 evidence one of its items, and the
// name is not taken by another vendor.
func (tx *Tx) checkVendor(orgID, selfID int64, v *assay.Vendor) error {
	v.Normalize()
	if err := v.Validate(); err != nil {
		return err
	}
	var err error
	v.OwnerName = ""
	if v.OwnerID != 0 {
		if v.OwnerName, err = tx.checkUser(orgID, v.OwnerID, "owner_id", "a vendor owner"); err != nil {
			return err
		}
	}
	if v.SOC2EvidenceID != 0 {
		var one int
		err := tx.queryRow(`SELECT 1 FROM evidence_items WHERE org_id = ? AND id = ?`, orgID, v.SOC2EvidenceID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return assay.Invalid("soc2_evidence_id", "No evidence item %d in this organisation.", v.SOC2EvidenceID)
		} else if err != nil {
			return fmt.Errorf("soc2 evidence: %w", err)
		}
	}
	var other int64
	err = tx.queryRow(`SELECT id FROM vendors WHERE org_id = ? AND name = ? AND id <> ?`, orgID, v.Name, selfID).Scan(&other)
	if err == nil {
		return assay.Errorf(assay.ECONFLICT, "A vendor named %q already exists.", v.Name)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("vendor name: %w", err)
	}
	return nil
}

// CreateVendors writes every vendor, or none.
func (s *orgStore) CreateVendors(ctx context.Context, actor assay.Actor, vendors []assay.Vendor) ([]assay.Vendor, error) {
	if len(vendors) == 0 {
		return nil, assay.Invalid("vendors", "Nothing to add.")
	}
	if len(vendors) > assay.MaxVendorsPerCall {
		return nil, assay.Invalid("vendors", "At most %d vendors at a time.", assay.MaxVendorsPerCall)
	}
	out := make([]assay.Vendor, 0, len(vendors))
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		for i, v := range vendors {
			if err := tx.checkVendor(s.orgID, 0, &v); err != nil {
				return itemError("Vendor", i, len(vendors), err)
			}
			clauses, _ := json.Marshal(v.Clauses)
			var id int64
			if err := tx.queryRow(`INSERT INTO vendors (org_id, name, services, data_shared, classification, criticality, owner_id, contract_start, contract_end,
				subprocessor, tier_override, tier_override_reason, soc2_evidence_id, soc2_period_end, clauses_json, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				s.orgID, v.Name, v.Services, v.DataShared, string(v.Classification), v.Criticality, nullInt(v.OwnerID),
				formatTimePtr(v.ContractStart), formatTimePtr(v.ContractEnd), boolInt(v.Subprocessor), v.TierOverride, v.TierOverrideReason,
				nullInt(v.SOC2EvidenceID), formatTimePtr(v.SOC2PeriodEnd), string(clauses), formatTime(tx.now), formatTime(tx.now)).Scan(&id); err != nil {
				return fmt.Errorf("insert vendor: %w", err)
			}
			after, err := tx.vendor(s.orgID, id)
			if err != nil {
				return err
			}
			if _, err := tx.appendActivity(actor, change{orgID: s.orgID, action: "vendor.create", objectType: "vendor", objectID: fmt.Sprint(id),
				summary: fmt.Sprintf("Added the vendor %q (%s tier)", after.Name, after.Tier()), after: after}); err != nil {
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

// UpdateVendor replaces the editable fields of a vendor.
func (s *orgStore) UpdateVendor(ctx context.Context, actor assay.Actor, id int64, v assay.Vendor) (assay.Vendor, error) {
	var after assay.Vendor
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := tx.vendor(s.orgID, id)
		if err != nil {
			return err
		}
		if err := tx.checkVendor(s.orgID, id, &v); err != nil {
			return err
		}
		clauses, _ := json.Marshal(v.Clauses)
		if _, err := tx.exec(`UPDATE vendors SET name = ?, services = ?, data_shared = ?, classification = ?, criticality = ?, owner_id = ?,
			contract_start = ?, contract_end = ?, subprocessor = ?, tier_override = ?, tier_override_reason = ?, soc2_evidence_id = ?,
			soc2_period_end = ?, clauses_json = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
			v.Name, v.Services, v.DataShared, string(v.Classification), v.Criticality, nullInt(v.OwnerID),
			formatTimePtr(v.ContractStart), formatTimePtr(v.ContractEnd), boolInt(v.Subprocessor), v.TierOverride, v.TierOverrideReason,
			nullInt(v.SOC2EvidenceID), formatTimePtr(v.SOC2PeriodEnd), string(clauses), formatTime(tx.now), s.orgID, id); err != nil {
			return fmt.Errorf("update vendor: %w", err)
		}
		if after, err = tx.vendor(s.orgID, id); err != nil {
			return err
		}
		summary := fmt.Sprintf("Updated the vendor %q (%s tier)", after.Name, after.Tier())
		if after.TierOverride != before.TierOverride && after.TierOverride != "" {
			summary += fmt.Sprintf("; tier set by hand to %s: %s", after.TierOverride, after.TierOverrideReason)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "vendor.update", objectType: "vendor", objectID: fmt.Sprint(id),
			summary: summary, before: before, after: after})
		return err
	})
	return after, err
}

// RecordVendorReview scores and records a security review.
func (s *orgStore) RecordVendorReview(ctx context.Context, actor assay.Actor, id int64, questions []assay.VendorQuestion, answers map[string]string) (assay.Vendor, error) {
	score, err := assay.ScoreReview(questions, answers)
	if err != nil {
		return assay.Vendor{}, err
	}
	raw, err := json.Marshal(answers)
	if err != nil {
		return assay.Vendor{}, fmt.Errorf("review answers: %w", err)
	}
	var after assay.Vendor
	err = s.db.update(ctx, func(tx *Tx) error {
		before, err := tx.vendor(s.orgID, id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE vendors SET reviewed_at = ?, review_score = ?, review_answers_json = ?, reviewer_name = ?, updated_at = ?
			WHERE org_id = ? AND id = ?`, formatTime(tx.now), score, string(raw), actor.Name, formatTime(tx.now), s.orgID, id); err != nil {
			return fmt.Errorf("record review: %w", err)
		}
		if after, err = tx.vendor(s.orgID, id); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "vendor.review", objectType: "vendor", objectID: fmt.Sprint(id),
			summary: fmt.Sprintf("Reviewed the vendor %q: score %d%%; next review due %s", after.Name, score, after.NextReviewDue().Format("2006-01-02")),
			before:  before, after: after})
		return err
	})
	return after, err
}
