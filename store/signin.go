package store

import (
	"context"
	"time"

	"github.com/assay-platform/assay"
)

// SignInThrottle is the state of sign-in throttling, shared by every
// instance that uses the database (assay.SignInPolicy decides from it).
// Pairs are named by a hash of the account and the client address; the
// current time is the store's clock.
type SignInThrottle interface {
	// SignInState reads a pair's failures and last success, and the
	// failures of the current minute across all pairs.
	SignInState(ctx context.Context, pairHash string) (assay.SignInState, error)
	// RecordSignInFailure counts a failure of the pair (restarting its
	// count when its last failure is forget or more ago) and of the
	// current minute, and returns the new state.
	RecordSignInFailure(ctx context.Context, pairHash string, forget time.Duration) (assay.SignInState, error)
	// RecordSignInSuccess clears the pair's failures and remembers when it
	// signed in.
	RecordSignInSuccess(ctx context.Context, pairHash string) error
	// NoteSignInThrottled reports whether the pair's throttling is to be
	// recorded now: true once after each of its failures, so a refused
	// pair that keeps trying is recorded once per failure, not per try.
	NoteSignInThrottled(ctx context.Context, pairHash string) (bool, error)
}
