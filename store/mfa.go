package store

import (
	"context"

	"github.com/assay-platform/assay"
)

// MFAStore keeps users' second factors and the organisation's MFA policy.
// Secrets arrive sealed and recovery codes hashed: the store sees neither.
type MFAStore interface {
	// MFA is the user's second factor (Enabled false when they have none).
	MFA(ctx context.Context, userID int64) (assay.MFAState, error)
	// EnableMFA stores the user's sealed TOTP secret, the time step of the
	// code that confirmed it, and the hashes of their recovery codes, with
	// an EventMFAEnrolled entry. It is a conflict when MFA is already on.
	EnableMFA(ctx context.Context, actor assay.Actor, userID int64, sealed []byte, step int64, recoveryHashes []string) error
	// DisableMFA removes the user's second factor and recovery codes, with
	// an EventMFADisabled entry (ENOTFOUND when they have none).
	DisableMFA(ctx context.Context, actor assay.Actor, userID int64) error
	// AcceptTOTPStep records that a code of this time step was accepted. It
	// reports false when a code of this step or a later one already was
	// (the code is spent), so every code works once.
	AcceptTOTPStep(ctx context.Context, userID int64, step int64) (bool, error)
	// UseRecoveryCode spends the recovery code with this hash, with an
	// EventMFARecoveryUsed entry; it reports false when the user has no
	// such unused code.
	UseRecoveryCode(ctx context.Context, actor assay.Actor, userID int64, hash string) (bool, error)
	// MFAPolicy is who must have MFA (MFANobody until an admin sets it).
	MFAPolicy(ctx context.Context) (assay.MFAPolicy, error)
	// SetMFAPolicy changes it, with an EventMFAPolicy entry.
	SetMFAPolicy(ctx context.Context, actor assay.Actor, p assay.MFAPolicy) error

	// Passkeys lists the user's passkeys, oldest first.
	Passkeys(ctx context.Context, userID int64) ([]assay.Passkey, error)
	// AddPasskey stores a new passkey, with an EventPasskeyAdded entry (a
	// conflict when its credential id is known).
	AddPasskey(ctx context.Context, actor assay.Actor, p assay.Passkey) (assay.Passkey, error)
	// UsePasskey records a sign-in with the passkey: its updated
	// credential (sign count) and when (ENOTFOUND for another user's).
	UsePasskey(ctx context.Context, userID int64, credentialID string, credential []byte) error
	// RemovePasskey deletes one of the user's passkeys, with an
	// EventPasskeyRemoved entry.
	RemovePasskey(ctx context.Context, actor assay.Actor, userID, id int64) error
	// ResetMFA removes every second factor of the user (TOTP, recovery
	// codes, passkeys) and ends their sessions, with one EventMFAReset
	// entry: an admin's answer to a lost authenticator (a conflict when
	// the user has none).
	ResetMFA(ctx context.Context, actor assay.Actor, userID int64) error
}
