package store

import (
	"context"

	"github.com/assay-platform/assay"
)

// DigestStore is the organisation's reminder digests: the defaults, each
// user's choices, the sealed key that signs unsubscribe links, and the
// log of digests sent (one per user and period).
type DigestStore interface {
	// DigestSettings are the organisation's defaults
	// (assay.DefaultDigestSettings until an admin saves some).
	DigestSettings(ctx context.Context) (assay.DigestSettings, error)
	UpdateDigestSettings(ctx context.Context, actor assay.Actor, s assay.DigestSettings) (assay.DigestSettings, error)
	// DigestPrefs are one user's choices (empty until they save some).
	DigestPrefs(ctx context.Context, userID int64) (assay.DigestPrefs, error)
	// AllDigestPrefs are the saved choices of every user, by user id.
	AllDigestPrefs(ctx context.Context) (map[int64]assay.DigestPrefs, error)
	// UpdateDigestPrefs saves a user's choices (ENOTFOUND for a user of
	// another organisation).
	UpdateDigestPrefs(ctx context.Context, actor assay.Actor, p assay.DigestPrefs) (assay.DigestPrefs, error)
	// DigestKey is the organisation's sealed unsubscribe key: the one
	// stored, or sealed (which the caller made) stored now when there is
	// none. Two callers racing get the same key.
	DigestKey(ctx context.Context, sealed string) (string, error)
	// ClaimDigest records that the user's digest for period is being sent:
	// false when it was claimed before (by this server or another), in
	// which case nothing is to be sent.
	ClaimDigest(ctx context.Context, userID int64, period string) (bool, error)
	// FinishDigest records a claimed digest's outcome, with its entry in
	// the activity trail.
	FinishDigest(ctx context.Context, actor assay.Actor, s assay.DigestSend) error
	// DigestSends lists the digests sent to a user, newest first (0: all
	// users), at most limit.
	DigestSends(ctx context.Context, userID int64, limit int) ([]assay.DigestSend, error)
}
