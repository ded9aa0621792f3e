package store

import (
	"context"
	"time"

	"github.com/assay-platform/assay"
)

// UserLinkStore keeps single-use links sent by e-mail (password resets and
// invitations), only as SHA-256 hashes of their secrets.
type UserLinkStore interface {
	// CreateUserLink records a link for one of the organisation's users,
	// with its activity entry.
	CreateUserLink(ctx context.Context, actor assay.Actor, userID int64, purpose, tokenHash string, expires time.Time) error
	// UserLinksSince counts a user's links of a purpose made at or after since.
	UserLinksSince(ctx context.Context, userID int64, purpose string, since time.Time) (int, error)
}

// UserLinks finds and uses links by their hash (whatever the organisation).
type UserLinks interface {
	// UserLink is the user a live link is for (EGONE when used or
	// expired by the store's clock, ENOTFOUND when unknown).
	UserLink(ctx context.Context, tokenHash, purpose string) (assay.User, error)
	// UseUserLink sets the user's password through a live link, marks it
	// used, ends every session of the user and writes the activity
	// entry, in one transaction.
	UseUserLink(ctx context.Context, tokenHash, purpose, passwordHash string) (assay.User, error)
}
