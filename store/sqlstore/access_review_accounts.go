package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/assay-platform/assay"
)

const accessAccountColumns = `a.id, a.review_id, a.system, a.account, a.email, a.privileges, a.source, a.person_id, COALESCE(p.name, ''),
	a.flag, a.decision, a.reason, a.decided_by, a.decided_by_name, a.decided_at, a.corrective_id`

const accessAccountFrom = ` FROM access_review_accounts a LEFT JOIN people p ON p.org_id = a.org_id AND p.id = a.person_id`

func scanAccessAccount(row interface{ Scan(...any) error }) (assay.AccessAccount, error) {
	var a assay.AccessAccount
	var person, decidedBy, corrective sql.NullInt64
	var decidedAt sql.NullString
	err := row.Scan(&a.ID, &a.ReviewID, &a.System, &a.Account, &a.Email, &a.Privileges, &a.Source, &person, &a.PersonName,
		&a.Flag, &a.Decision, &a.Reason, &decidedBy, &a.DecidedByName, &decidedAt, &corrective)
	if errors.Is(err, sql.ErrNoRows) {
		return a, assay.Errorf(assay.ENOTFOUND, "Account not found in this access review.")
	} else if err != nil {
		return a, fmt.Errorf("scan access review account: %w", err)
	}
	a.PersonID, a.DecidedBy, a.CorrectiveID = person.Int64, decidedBy.Int64, corrective.Int64
	a.DecidedAt, err = parseTimePtr(decidedAt)
	return a, err
}

// AccessAccounts lists a campaign's accounts by system and account.
func (s *orgStore) AccessAccounts(ctx context.Context, reviewID int64) ([]assay.AccessAccount, error) {
	if _, err := s.AccessReview(ctx, reviewID); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT `+accessAccountColumns+accessAccountFrom+` WHERE a.org_id = ? AND a.review_id = ?
		ORDER BY a.account_key`, s.orgID, reviewID)
	if err != nil {
		return nil, fmt.Errorf("list access review accounts: %w", err)
	}
	defer rows.Close()
	out := []assay.AccessAccount{}
	for rows.Next() {
		a, err := scanAccessAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (s *orgStore) accessAccount(tx *Tx, reviewID, id int64) (assay.AccessAccount, error) {
	return scanAccessAccount(tx.queryRow(`SELECT `+accessAccountColumns+accessAccountFrom+` WHERE a.org_id = ? AND a.review_id = ? AND a.id = ?`,
		s.orgID, reviewID, id))
}

// rowError names the row at fault in Field ("row N") and the message.
func rowError(i int, err error) error {
	var e *assay.Error
	if !errors.As(err, &e) {
		return err
	}
	return &assay.Error{Code: e.Code, Field: fmt.Sprintf("row %d", i), Message: fmt.Sprintf("Row %d: %s", i, e.Message)}
}

type rosterPerson struct {
	id       int64
	departed bool
}

// peopleByEmail maps the lower-case e-mail of everyone on the roster to
// the person, departed when their end date has passed at tx.now.
func (s *orgStore) peopleByEmail(tx *Tx) (map[string]rosterPerson, error) {
	rows, err := tx.query(`SELECT id, email, end_date FROM people WHERE org_id = ?`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("read the roster: %w", err)
	}
	defer rows.Close()
	out := map[string]rosterPerson{}
	today := assay.Day(tx.now)
	for rows.Next() {
		var id int64
		var email string
		var end sql.NullString
		if err := rows.Scan(&id, &email, &end); err != nil {
			return nil, fmt.Errorf("scan person: %w", err)
		}
		endDate, err := parseDatePtr(end)
		if err != nil {
			return nil, err
		}
		out[strings.ToLower(email)] = rosterPerson{id: id, departed: endDate != nil && today.After(*endDate)}
	}
	return out, rows.Err()
}

// LoadAccessAccounts adds or refreshes accounts of an open campaign.
func (s *orgStore) LoadAccessAccounts(ctx context.Context, actor assay.Actor, reviewID int64, list []assay.NewAccessAccount) (assay.AccessLoadResult, error) {
	var res assay.AccessLoadResult
	switch {
	case len(list) == 0:
		return res, assay.Invalid("accounts", "There are no accounts to load.")
	case len(list) > assay.MaxAccessAccounts:
		return res, assay.Invalid("accounts", "Load at most %d accounts at once.", assay.MaxAccessAccounts)
	}
	seen := map[string]int{}
	for i := range list {
		if err := list[i].Validate(); err != nil {
			return res, rowError(i, err)
		}
		key := strings.ToLower(list[i].System) + "\x1f" + strings.ToLower(list[i].Account)
		if j, dup := seen[key]; dup {
			return res, rowError(i, assay.Invalid("account", "The account %q of %s is already row %d.", list[i].Account, list[i].System, j))
		}
		seen[key] = i
	}
	err := s.db.update(ctx, func(tx *Tx) error {
		r, err := s.openReview(tx, reviewID)
		if err != nil {
			return err
		}
		people, err := s.peopleByEmail(tx)
		if err != nil {
			return err
		}
		for i, n := range list {
			sys, ok := r.System(n.System)
			if !ok {
				return rowError(i, assay.Invalid("system", "The system %q is not part of access review %q; add it to the campaign first.", n.System, r.Name))
			}
			var personID int64
			flag := assay.FlagNoPerson
			if p, ok := people[n.Email]; ok && n.Email != "" {
				personID, flag = p.id, ""
				if p.departed {
					flag = assay.FlagDeparted
				}
			}
			if n.Departed {
				flag = assay.FlagDeparted
			}
			key := strings.ToLower(sys.Name) + "\x1f" + strings.ToLower(n.Account)
			var id int64
			var email, privileges, source, oldFlag, decision string
			var oldPerson sql.NullInt64
			err := tx.queryRow(`SELECT id, email, privileges, source, person_id, flag, decision FROM access_review_accounts
				WHERE org_id = ? AND review_id = ? AND account_key = ?`, s.orgID, reviewID, key).Scan(&id, &email, &privileges, &source, &oldPerson, &oldFlag, &decision)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				if _, err := tx.exec(`INSERT INTO access_review_accounts (org_id, review_id, system, account, account_key, email, privileges, source, person_id, flag)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.orgID, reviewID, sys.Name, n.Account, key, n.Email, n.Privileges, n.Source, nullInt(personID), flag); err != nil {
					return rowError(i, fmt.Errorf("insert account: %w", err))
				}
				res.Added++
			case err != nil:
				return fmt.Errorf("find account: %w", err)
			case decision != "" || (email == n.Email && privileges == n.Privileges && source == n.Source && oldPerson.Int64 == personID && oldFlag == flag):
				res.Unchanged++
			default:
				if _, err := tx.exec(`UPDATE access_review_accounts SET account = ?, email = ?, privileges = ?, source = ?, person_id = ?, flag = ?
					WHERE org_id = ? AND id = ?`, n.Account, n.Email, n.Privileges, n.Source, nullInt(personID), flag, s.orgID, id); err != nil {
					return rowError(i, fmt.Errorf("update account: %w", err))
				}
				res.Updated++
			}
		}
		if _, err := tx.exec(`UPDATE access_reviews SET updated_at = ? WHERE org_id = ? AND id = ?`, formatTime(tx.now), s.orgID, reviewID); err != nil {
			return fmt.Errorf("touch access review: %w", err)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "access_review.load", objectType: "access_review", objectID: idText(reviewID),
			summary: fmt.Sprintf("Loaded %d accounts into access review %q (%d added, %d updated, %d unchanged)", len(list), r.Name, res.Added, res.Updated, res.Unchanged),
			after:   res})
		return err
	})
	if err != nil {
		return assay.AccessLoadResult{}, err
	}
	return res, nil
}

// DecideAccess records a reviewer's decision; change and revoke open a
// corrective action owned by the reviewer in the same transaction.
func (s *orgStore) DecideAccess(ctx context.Context, actor assay.Actor, reviewID, accountID int64, d assay.NewAccessDecision) (assay.AccessAccount, error) {
	if err := d.Validate(); err != nil {
		return assay.AccessAccount{}, err
	}
	var out assay.AccessAccount
	err := s.db.update(ctx, func(tx *Tx) error {
		r, err := s.openReview(tx, reviewID)
		if err != nil {
			return err
		}
		before, err := s.accessAccount(tx, reviewID, accountID)
		if err != nil {
			return err
		}
		sys, _ := r.System(before.System)
		reviewer, err := tx.user(s.orgID, actor.UserID)
		if assay.ErrorCode(err) == assay.ENOTFOUND || (err == nil && !reviewer.MayDecide(sys)) {
			return assay.Errorf(assay.EFORBIDDEN, "Only the owner of %s or an admin may decide its accounts.", sys.Name)
		} else if err != nil {
			return err
		}
		if before.Decision == assay.AccessChange || before.Decision == assay.AccessRevoke {
			return assay.Errorf(assay.ECONFLICT, "The account %q was already decided (%s); corrective action %d tracks it.", before.Account, before.Decision, before.CorrectiveID)
		}
		var corrective int64
		if d.Decision != assay.AccessKeep {
			verb := map[assay.AccessDecision]string{assay.AccessRevoke: "Revoke", assay.AccessChange: "Change"}[d.Decision]
			n := assay.NewCorrectiveAction{Source: assay.SourceAccessReview, SourceRef: assay.AccessCorrectiveRef(reviewID, before),
				Title:   fmt.Sprintf("%s access of %s on %s (access review %s)", verb, before.Account, before.System, r.Name),
				Action:  fmt.Sprintf("%s the access of %s on %s: %s", verb, before.Account, before.System, d.Reason),
				OwnerID: reviewer.ID, DueDate: assay.AddBusinessDays(tx.now, assay.RevokeBusinessDays)}
			if err := n.Validate(); err != nil {
				return err
			}
			c, err := s.insertCorrective(tx, actor, n)
			if err != nil {
				return err
			}
			corrective = c.ID
		}
		if _, err := tx.exec(`UPDATE access_review_accounts SET decision = ?, reason = ?, decided_by = ?, decided_by_name = ?, decided_at = ?, corrective_id = ?
			WHERE org_id = ? AND review_id = ? AND id = ?`, string(d.Decision), d.Reason, reviewer.ID, actor.Name, formatTime(tx.now), nullInt(corrective),
			s.orgID, reviewID, accountID); err != nil {
			return fmt.Errorf("record decision: %w", err)
		}
		if out, err = s.accessAccount(tx, reviewID, accountID); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "access_review.decide", objectType: "access_review", objectID: idText(reviewID),
			summary: fmt.Sprintf("Access review %q: %s %s on %s", r.Name, d.Decision, out.Account, out.System), before: before, after: out})
		return err
	})
	if err != nil {
		return assay.AccessAccount{}, err
	}
	return out, nil
}
