package app

import (
	"context"
	"strconv"
	"time"

	"github.com/assay-platform/assay"
)

// AccessReviews lists the organisation's campaigns, newest first.
func (a *App) AccessReviews(ctx context.Context, p Principal) ([]assay.AccessReview, error) {
	if err := mayReadAccessReviews(p); err != nil {
		return nil, err
	}
	return p.Org.AccessReviews(ctx)
}

// AccessReviewDetail is a campaign with its accounts, as the API's
// GET /api/v1/access-reviews/{id} and `assay access-review show` give it.
type AccessReviewDetail struct {
	Review   assay.AccessReview    `json:"access_review"`
	Accounts []assay.AccessAccount `json:"accounts"`
}

// AccessReview is one campaign with its accounts.
func (a *App) AccessReview(ctx context.Context, p Principal, id int64) (AccessReviewDetail, error) {
	if err := mayReadAccessReviews(p); err != nil {
		return AccessReviewDetail{}, err
	}
	rv, err := p.Org.AccessReview(ctx, id)
	if err != nil {
		return AccessReviewDetail{}, err
	}
	accounts, err := p.Org.AccessAccounts(ctx, id)
	if err != nil {
		return AccessReviewDetail{}, err
	}
	return AccessReviewDetail{Review: rv, Accounts: accounts}, nil
}

// AccessAccounts lists a campaign's accounts by system and account.
func (a *App) AccessAccounts(ctx context.Context, p Principal, id int64) ([]assay.AccessAccount, error) {
	if err := mayReadAccessReviews(p); err != nil {
		return nil, err
	}
	if _, err := p.Org.AccessReview(ctx, id); err != nil {
		return nil, err
	}
	return p.Org.AccessAccounts(ctx, id)
}

// OpenAccessReview opens a campaign over systems and their owners.
func (a *App) OpenAccessReview(ctx context.Context, p Principal, n assay.NewAccessReview) (assay.AccessReview, error) {
	if err := MayManageAccessReviews(p); err != nil {
		return assay.AccessReview{}, err
	}
	if err := checkSystemOwners(ctx, p, n); err != nil {
		return assay.AccessReview{}, err
	}
	return p.Org.CreateAccessReview(ctx, p.Actor(), n)
}

// UpdateAccessReview changes an open campaign's name, period, due date
// and systems.
func (a *App) UpdateAccessReview(ctx context.Context, p Principal, id int64, n assay.NewAccessReview) (assay.AccessReview, error) {
	if err := MayManageAccessReviews(p); err != nil {
		return assay.AccessReview{}, err
	}
	if err := checkSystemOwners(ctx, p, n); err != nil {
		return assay.AccessReview{}, err
	}
	return p.Org.UpdateAccessReview(ctx, p.Actor(), id, n)
}

// DeleteAccessReview removes an open campaign with no decision yet.
func (a *App) DeleteAccessReview(ctx context.Context, p Principal, id int64) error {
	if err := MayManageAccessReviews(p); err != nil {
		return err
	}
	return p.Org.DeleteAccessReview(ctx, p.Actor(), id)
}

// CompleteAccessReview closes a fully decided campaign; in the same
// transaction its summary becomes evidence on the access-review controls
// (the change and revoke decisions already opened their corrective
// actions).
func (a *App) CompleteAccessReview(ctx context.Context, p Principal, id int64) (assay.AccessReview, error) {
	if err := MayManageAccessReviews(p); err != nil {
		return assay.AccessReview{}, err
	}
	return p.Org.CompleteAccessReview(ctx, p.Actor(), id)
}

// AccessReviewExport is a campaign's accounts and decisions as a table
// (the first row names the columns), for the CSV export.
type AccessReviewExport struct {
	Filename string
	Rows     [][]string
}

// ExportAccessReview is the data of a campaign's CSV export.
func (a *App) ExportAccessReview(ctx context.Context, p Principal, id int64) (AccessReviewExport, error) {
	d, err := a.AccessReview(ctx, p, id)
	if err != nil {
		return AccessReviewExport{}, err
	}
	rv := d.Review
	rows := [][]string{{"campaign", "period", "system", "account", "email", "person", "privileges", "source", "flag", "decision", "reason",
		"decided_by", "decided_at", "corrective_action_id"}}
	for _, acc := range d.Accounts {
		decided, ca := "", ""
		if acc.DecidedAt != nil {
			decided = acc.DecidedAt.UTC().Format(time.RFC3339)
		}
		if acc.CorrectiveID != 0 {
			ca = strconv.FormatInt(acc.CorrectiveID, 10)
		}
		rows = append(rows, []string{rv.Name, rv.Period, acc.System, acc.Account, acc.Email, acc.PersonName, acc.Privileges, acc.Source, acc.Flag,
			string(acc.Decision), acc.Reason, acc.DecidedByName, decided, ca})
	}
	return AccessReviewExport{Filename: "access-review-" + strconv.FormatInt(id, 10) + ".csv", Rows: rows}, nil
}

// checkSystemOwners refuses a system owner who could not decide its
// accounts.
func checkSystemOwners(ctx context.Context, p Principal, n assay.NewAccessReview) error {
	for _, sys := range n.Systems {
		if err := checkOwner(ctx, p.Org, "systems", sys.OwnerID); err != nil {
			return withPrefix(err, sys.Name+": ")
		}
	}
	return nil
}
