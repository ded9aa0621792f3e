package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/assay-platform/assay"
)

// accessReviewControls finds the controls a finished campaign evidences:
// those mapped to CC6.2 or CC6.3 that automate access reviews, or, when the
// organisation has none, every applicable control mapped to them. A
// campaign reviews logical access, so controls of physical access (mapped
// to CC6.4, such as a badge review) are left out.
func (s *orgStore) accessReviewControls(tx *Tx) ([]string, error) {
	find := func(extra string) ([]string, error) {
		rows, err := tx.query(`SELECT DISTINCT c.id FROM controls c JOIN control_criteria cc ON cc.org_id = c.org_id AND cc.control_id = c.id
			WHERE c.org_id = ? AND cc.criterion_id IN (?, ?) AND c.status <> 'not_applicable'
			AND NOT EXISTS (SELECT 1 FROM control_criteria px WHERE px.org_id = c.org_id AND px.control_id = c.id AND px.criterion_id = 'CC6.4')`+extra+` ORDER BY c.id`,
			s.orgID, assay.AccessReviewCriteria[0], assay.AccessReviewCriteria[1])
		if err != nil {
			return nil, fmt.Errorf("find access review controls: %w", err)
		}
		defer rows.Close()
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		return ids, rows.Err()
	}
	ids, err := find(` AND c.automation = '` + assay.AutomationAccessReviews + `'`)
	if err != nil || len(ids) > 0 {
		return ids, err
	}
	return find("")
}

// accessReviewSummary is the text of the campaign's evidence item.
func accessReviewSummary(r assay.AccessReview, accounts []assay.AccessAccount, completedBy string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Access review %q for %s, completed by %s.\n", r.Name, r.Period, completedBy)
	fmt.Fprintf(&b, "%d accounts decided: %d kept, %d changed, %d revoked.\n\nSystems:\n", r.Accounts, r.Accounts-r.Changed-r.Revoked, r.Changed, r.Revoked)
	for _, sys := range r.Systems {
		owner := sys.OwnerName
		if owner == "" {
			owner = "an admin"
		}
		fmt.Fprintf(&b, "- %s: %d accounts, reviewed by %s\n", sys.Name, sys.Accounts, owner)
	}
	b.WriteString("\nDecisions other than keep, and flagged accounts:\n")
	for _, a := range accounts {
		if a.Decision == assay.AccessKeep && a.Flag == "" {
			continue
		}
		line := fmt.Sprintf("- %s / %s: %s by %s", a.System, a.Account, a.Decision, a.DecidedByName)
		if a.Flag != "" {
			line += " [" + a.Flag + "]"
		}
		if a.Reason != "" {
			line += ": " + a.Reason
		}
		if a.CorrectiveID != 0 {
			line += fmt.Sprintf(" (corrective action %d)", a.CorrectiveID)
		}
		if b.Len()+len(line) > assay.MaxNotesLen-200 {
			b.WriteString("- … the full list is in the campaign's CSV export.\n")
			break
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// CompleteAccessReview closes a fully decided campaign and records its
// evidence in the same transaction.
func (s *orgStore) CompleteAccessReview(ctx context.Context, actor assay.Actor, id int64) (assay.AccessReview, error) {
	var out assay.AccessReview
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := s.openReview(tx, id)
		if err != nil {
			return err
		}
		switch {
		case before.Accounts == 0:
			return assay.Errorf(assay.ECONFLICT, "Access review %q has no accounts; load them before completing it.", before.Name)
		case before.Decided < before.Accounts:
			return assay.Errorf(assay.ECONFLICT, "Access review %q still has %d undecided accounts.", before.Name, before.Accounts-before.Decided)
		}
		rows, err := tx.query(`SELECT `+accessAccountColumns+accessAccountFrom+` WHERE a.org_id = ? AND a.review_id = ? ORDER BY a.account_key`, s.orgID, id)
		if err != nil {
			return fmt.Errorf("read accounts: %w", err)
		}
		var accounts []assay.AccessAccount
		for rows.Next() {
			a, err := scanAccessAccount(rows)
			if err != nil {
				rows.Close()
				return err
			}
			accounts = append(accounts, a)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		controls, err := s.accessReviewControls(tx)
		if err != nil {
			return err
		}
		var evidenceID int64
		if len(controls) > 0 {
			title := "Access review: " + before.Name + " (" + before.Period + ")"
			for utf8.RuneCountInString(title) > assay.MaxNameLen {
				_, size := utf8.DecodeLastRuneInString(title)
				title = title[:len(title)-size]
			}
			n := assay.NewEvidence{Kind: assay.EvidenceNote, Title: title, Description: fmt.Sprintf("Generated when access review %d was completed.", id),
				NoteText: accessReviewSummary(before, accounts, actor.Name), ValidDays: assay.AccessReviewDays, Controls: controls}
			if err := n.Normalize(tx.now); err != nil {
				return err
			}
			expires := assay.EvidenceExpiry(tx.now, nil, n.ValidDays)
			if err := tx.queryRow(`INSERT INTO evidence_items (org_id, kind, title, description, sha256, size, media_type, filename, url, note_text,
				period_start, period_end, valid_days, expires_at, collected_at, created_by, created_by_name, created_at)
				VALUES (?, ?, ?, ?, NULL, 0, '', '', '', ?, NULL, NULL, ?, ?, ?, ?, ?, ?) RETURNING id`,
				s.orgID, string(n.Kind), n.Title, n.Description, n.NoteText, n.ValidDays, formatTime(expires), formatTime(tx.now),
				nullInt(actor.UserID), actor.Name, formatTime(tx.now)).Scan(&evidenceID); err != nil {
				return fmt.Errorf("insert access review evidence: %w", err)
			}
			for _, c := range n.Controls {
				if err := tx.attachEvidence(s.orgID, evidenceID, c); err != nil {
					return err
				}
			}
			e, err := s.evidenceByID(tx.ctx, tx.Tx, evidenceID)
			if err != nil {
				return err
			}
			if _, err := tx.appendActivity(actor, change{orgID: s.orgID, action: "evidence.create", objectType: "evidence", objectID: idText(evidenceID),
				summary: describeNewEvidence(e), after: e}); err != nil {
				return err
			}
		}
		if _, err := tx.exec(`UPDATE access_reviews SET status = 'completed', completed_at = ?, completed_by_name = ?, evidence_id = ?, updated_at = ?
			WHERE org_id = ? AND id = ?`, formatTime(tx.now), actor.Name, nullInt(evidenceID), formatTime(tx.now), s.orgID, id); err != nil {
			return fmt.Errorf("complete access review %d: %w", id, err)
		}
		if out, err = s.accessReviewByID(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "access_review.complete", objectType: "access_review", objectID: idText(id),
			summary: fmt.Sprintf("Access review %d %q completed: %d accounts, %d revoked, %d changed", id, out.Name, out.Accounts, out.Revoked, out.Changed),
			before:  before, after: out})
		return err
	})
	return out, err
}
