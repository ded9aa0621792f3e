package store

import (
	"context"

	"github.com/assay-platform/assay"
)

// AccessReviewStore is the organisation's access review campaigns, their
// accounts and decisions, and the calendar feed tokens of its users.
type AccessReviewStore interface {
	// AccessReviews lists campaigns, newest first, with their counts.
	AccessReviews(ctx context.Context) ([]assay.AccessReview, error)
	AccessReview(ctx context.Context, id int64) (assay.AccessReview, error)
	// CreateAccessReview opens a campaign; every system owner must be an
	// active admin or member of the organisation.
	CreateAccessReview(ctx context.Context, actor assay.Actor, n assay.NewAccessReview) (assay.AccessReview, error)
	// UpdateAccessReview changes an open campaign's name, period, due date
	// and systems (a system with accounts cannot be removed).
	UpdateAccessReview(ctx context.Context, actor assay.Actor, id int64, n assay.NewAccessReview) (assay.AccessReview, error)
	// DeleteAccessReview removes an open campaign with no decision yet.
	DeleteAccessReview(ctx context.Context, actor assay.Actor, id int64) error
	// AccessAccounts lists a campaign's accounts by system and account.
	AccessAccounts(ctx context.Context, reviewID int64) ([]assay.AccessAccount, error)
	// LoadAccessAccounts adds the accounts of list to an open campaign, all
	// or none (a bad row fails with Field "row N", from 0). Each account's
	// system must be one of the campaign's; an account already there is
	// updated while undecided and left alone once decided. Each is matched
	// to a person by e-mail and flagged departed or no_person.
	LoadAccessAccounts(ctx context.Context, actor assay.Actor, reviewID int64, list []assay.NewAccessAccount) (assay.AccessLoadResult, error)
	// DecideAccess records a decision on an account of an open campaign
	// (actor.UserID is the reviewer). Change and revoke open a corrective
	// action (source access_review, owner the reviewer, due in
	// RevokeBusinessDays business days) in the same transaction and are
	// final; a keep may be changed to change or revoke.
	DecideAccess(ctx context.Context, actor assay.Actor, reviewID, accountID int64, d assay.NewAccessDecision) (assay.AccessAccount, error)
	// CompleteAccessReview closes a campaign whose accounts are all decided
	// and, in the same transaction, records a note evidence item with its
	// summary attached to the access-review controls of CC6.2 and CC6.3.
	CompleteAccessReview(ctx context.Context, actor assay.Actor, id int64) (assay.AccessReview, error)

	// Calendar feed tokens: a secret in a calendar URL, stored hashed,
	// that reads only the Upcoming obligations.
	CreateCalendarToken(ctx context.Context, actor assay.Actor, userID int64, tokenHash string) (assay.CalendarToken, error)
	CalendarTokens(ctx context.Context, userID int64) ([]assay.CalendarToken, error)
	RevokeCalendarToken(ctx context.Context, actor assay.Actor, userID, id int64) error
}

// CalendarFeeds finds the user behind a calendar feed token (unscoped: the
// token is all a calendar app sends). Revoked tokens and disabled users are
// ENOTFOUND.
type CalendarFeeds interface {
	UserByCalendarToken(ctx context.Context, tokenHash string) (assay.User, error)
}
