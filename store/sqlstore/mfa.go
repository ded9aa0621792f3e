package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/assay-platform/assay"
)

// mfaEntry is what an MFA change leaves in the trail's before/after: never
// the secret nor a code.
type mfaEntry struct {
	MFA           bool `json:"mfa"`
	RecoveryCodes int  `json:"recovery_codes"`
}

// MFA is the user's second factor.
func (s *orgStore) MFA(ctx context.Context, userID int64) (assay.MFAState, error) {
	var st assay.MFAState
	var enrolled string
	err := s.db.queryRow(ctx, `SELECT totp_sealed, last_step, enrolled_at FROM user_mfa WHERE org_id = ? AND user_id = ?`,
		s.orgID, userID).Scan(&st.SealedSecret, &st.LastStep, &enrolled)
	if errors.Is(err, sql.ErrNoRows) {
		return assay.MFAState{}, nil
	} else if err != nil {
		return st, fmt.Errorf("mfa: %w", err)
	}
	st.Enabled = true
	if st.EnrolledAt, err = parseTime(enrolled); err != nil {
		return st, err
	}
	if err := s.db.queryRow(ctx, `SELECT COUNT(*) FROM mfa_recovery_codes WHERE user_id = ?`, userID).Scan(&st.RecoveryCodes); err != nil {
		return st, fmt.Errorf("mfa recovery codes: %w", err)
	}
	return st, nil
}

// EnableMFA stores the user's sealed secret and recovery code hashes.
func (s *orgStore) EnableMFA(ctx context.Context, actor assay.Actor, userID int64, sealed []byte, step int64, recoveryHashes []string) error {
	if len(sealed) == 0 {
		return fmt.Errorf("enable mfa: empty secret")
	}
	return s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.user(s.orgID, userID)
		if err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM user_mfa WHERE user_id = ?`, userID).Scan(&n); err != nil {
			return fmt.Errorf("enable mfa: %w", err)
		}
		if n > 0 {
			return assay.Errorf(assay.ECONFLICT, "Two-step sign-in is already on for %s; turn it off first to set up another authenticator.", u.Name)
		}
		if _, err := tx.exec(`INSERT INTO user_mfa (user_id, org_id, totp_sealed, last_step, enrolled_at) VALUES (?, ?, ?, ?, ?)`,
			userID, s.orgID, sealed, step, formatTime(tx.now)); err != nil {
			return fmt.Errorf("enable mfa: %w", err)
		}
		if _, err := tx.exec(`DELETE FROM mfa_recovery_codes WHERE user_id = ?`, userID); err != nil {
			return fmt.Errorf("enable mfa: %w", err)
		}
		for _, h := range recoveryHashes {
			if _, err := tx.exec(`INSERT INTO mfa_recovery_codes (user_id, code_hash) VALUES (?, ?)`, userID, h); err != nil {
				return fmt.Errorf("enable mfa: recovery code: %w", err)
			}
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: assay.EventMFAEnrolled, objectType: "user", objectID: fmt.Sprint(userID),
			summary: u.Name + " set up two-step sign-in (TOTP) with " + fmt.Sprint(len(recoveryHashes)) + " recovery codes",
			before:  mfaEntry{}, after: mfaEntry{MFA: true, RecoveryCodes: len(recoveryHashes)}})
		return err
	})
}

// DisableMFA removes the user's second factor.
func (s *orgStore) DisableMFA(ctx context.Context, actor assay.Actor, userID int64) error {
	return s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.user(s.orgID, userID)
		if err != nil {
			return err
		}
		var codes int
		if err := tx.queryRow(`SELECT COUNT(*) FROM mfa_recovery_codes WHERE user_id = ?`, userID).Scan(&codes); err != nil {
			return fmt.Errorf("disable mfa: %w", err)
		}
		res, err := tx.exec(`DELETE FROM user_mfa WHERE org_id = ? AND user_id = ?`, s.orgID, userID)
		if err != nil {
			return fmt.Errorf("disable mfa: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return assay.Errorf(assay.ENOTFOUND, "Two-step sign-in is not on for %s.", u.Name)
		}
		if _, err := tx.exec(`DELETE FROM mfa_recovery_codes WHERE user_id = ?`, userID); err != nil {
			return fmt.Errorf("disable mfa: %w", err)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: assay.EventMFADisabled, objectType: "user", objectID: fmt.Sprint(userID),
			summary: "Turned off two-step sign-in for " + u.Name, before: mfaEntry{MFA: true, RecoveryCodes: codes}, after: mfaEntry{}})
		return err
	})
}

// AcceptTOTPStep moves the user's last accepted step forward, or reports
// that the step is spent.
func (s *orgStore) AcceptTOTPStep(ctx context.Context, userID int64, step int64) (bool, error) {
	var ok bool
	err := s.db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE user_mfa SET last_step = ? WHERE org_id = ? AND user_id = ? AND last_step < ?`, step, s.orgID, userID, step)
		if err != nil {
			return fmt.Errorf("accept totp step: %w", err)
		}
		n, _ := res.RowsAffected()
		ok = n == 1
		return nil
	})
	return ok, err
}

// UseRecoveryCode spends one recovery code.
func (s *orgStore) UseRecoveryCode(ctx context.Context, actor assay.Actor, userID int64, hash string) (bool, error) {
	var ok bool
	err := s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.user(s.orgID, userID)
		if err != nil {
			return err
		}
		res, err := tx.exec(`DELETE FROM mfa_recovery_codes WHERE user_id = ? AND code_hash = ?
			AND EXISTS (SELECT 1 FROM user_mfa WHERE user_mfa.user_id = ? AND user_mfa.org_id = ?)`, userID, hash, userID, s.orgID)
		if err != nil {
			return fmt.Errorf("use recovery code: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil
		}
		ok = true
		var left int
		if err := tx.queryRow(`SELECT COUNT(*) FROM mfa_recovery_codes WHERE user_id = ?`, userID).Scan(&left); err != nil {
			return fmt.Errorf("use recovery code: %w", err)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: assay.EventMFARecoveryUsed, objectType: "user", objectID: fmt.Sprint(userID),
			summary: fmt.Sprintf("%s signed in with a recovery code (%d left)", u.Name, left),
			before:  mfaEntry{MFA: true, RecoveryCodes: left + 1}, after: mfaEntry{MFA: true, RecoveryCodes: left}})
		return err
	})
	return ok, err
}

// MFAPolicy is who must have MFA.
func (s *orgStore) MFAPolicy(ctx context.Context) (assay.MFAPolicy, error) {
	var p string
	err := s.db.queryRow(ctx, `SELECT required_for FROM mfa_policies WHERE org_id = ?`, s.orgID).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return assay.MFANobody, nil
	} else if err != nil {
		return "", fmt.Errorf("mfa policy: %w", err)
	}
	return assay.MFAPolicy(p), nil
}

// SetMFAPolicy changes who must have MFA.
func (s *orgStore) SetMFAPolicy(ctx context.Context, actor assay.Actor, p assay.MFAPolicy) error {
	if !p.Valid() {
		return assay.Invalid("required_for", "Choose who must use two-step sign-in: nobody, admins, admins_auditors or everyone.")
	}
	return s.db.update(ctx, func(tx *Tx) error {
		before := assay.MFANobody
		var cur string
		err := tx.queryRow(`SELECT required_for FROM mfa_policies WHERE org_id = ?`, s.orgID).Scan(&cur)
		if err == nil {
			before = assay.MFAPolicy(cur)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("set mfa policy: %w", err)
		}
		if before == p {
			return nil
		}
		if _, err := tx.exec(`INSERT INTO mfa_policies (org_id, required_for, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (org_id) DO UPDATE SET required_for = excluded.required_for, updated_at = excluded.updated_at`,
			s.orgID, string(p), formatTime(tx.now)); err != nil {
			return fmt.Errorf("set mfa policy: %w", err)
		}
		type policy struct {
			RequiredFor assay.MFAPolicy `json:"mfa_required_for"`
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: assay.EventMFAPolicy, objectType: "organization", objectID: fmt.Sprint(s.orgID),
			summary: "Two-step sign-in required for: " + p.Label(), before: policy{before}, after: policy{p}})
		return err
	})
}
