package assay

import (
	"slices"
	"time"
)

// MFAPolicy says who in an organisation must sign in with a second factor.
type MFAPolicy string

const (
	MFANobody         MFAPolicy = "nobody"          // MFA is each person's choice
	MFAAdmins         MFAPolicy = "admins"          // admins must have it
	MFAAdminsAuditors MFAPolicy = "admins_auditors" // admins and auditors must have it
	MFAEveryone       MFAPolicy = "everyone"        // every user must have it
)

// MFAPolicies lists the policies, from the loosest.
var MFAPolicies = []MFAPolicy{MFANobody, MFAAdmins, MFAAdminsAuditors, MFAEveryone}

// Valid reports whether p is a known policy.
func (p MFAPolicy) Valid() bool { return slices.Contains(MFAPolicies, p) }

// Label is the policy in words.
func (p MFAPolicy) Label() string {
	switch p {
	case MFAAdmins:
		return "Admins"
	case MFAAdminsAuditors:
		return "Admins and auditors"
	case MFAEveryone:
		return "Everyone"
	default:
		return "Nobody"
	}
}

// Requires reports whether a user with role must have MFA under p.
func (p MFAPolicy) Requires(role Role) bool {
	switch p {
	case MFAEveryone:
		return true
	case MFAAdminsAuditors:
		return role == RoleAdmin || role == RoleAuditor
	case MFAAdmins:
		return role == RoleAdmin
	}
	return false
}

// The stage a browser session is at. A session that is not yet complete
// is not a sign-in: it opens only the page of its stage.
const (
	SessionComplete = ""      // signed in
	SessionMFACode  = "code"  // the password was right; a TOTP or recovery code is asked
	SessionMFAEnrol = "enrol" // the password was right; the policy requires MFA the user must set up first
)

// MFAState is what the store holds about a user's second factor.
type MFAState struct {
	Enabled       bool
	SealedSecret  []byte // the TOTP secret, sealed with the secret key
	LastStep      int64  // the last TOTP time step a code was accepted at
	EnrolledAt    time.Time
	RecoveryCodes int // recovery codes not yet used
}

// RecoveryCodeCount is how many recovery codes a user gets on enrolment.
const RecoveryCodeCount = 10

// MFA events in the activity trail.
const (
	EventMFAEnrolled     = "user.mfa_enrolled"      // set up a TOTP authenticator
	EventMFADisabled     = "user.mfa_disabled"      // turned MFA off
	EventMFARecoveryUsed = "user.mfa_recovery_used" // signed in with a recovery code, now used up
	EventMFAFailed       = "user.mfa_failed"        // a wrong second-factor code at sign-in
	EventMFAPolicy       = "organization.mfa_policy"
)

// Passkey is a WebAuthn credential a user signs in with as a second
// factor. Credential is the library's record of it (public key, sign
// count) in JSON: nothing secret.
type Passkey struct {
	ID           int64      `json:"id"`
	UserID       int64      `json:"user_id"`
	Name         string     `json:"name"`
	CredentialID string     `json:"credential_id"` // base64url
	Credential   []byte     `json:"-"`
	CreatedAt    time.Time  `json:"created_at"`
	LastUsedAt   *time.Time `json:"last_used_at,omitempty"`
}

// Passkey events in the activity trail.
const (
	EventPasskeyAdded   = "user.passkey_added"
	EventPasskeyRemoved = "user.passkey_removed"
	EventMFAReset       = "user.mfa_reset" // an admin removed every second factor of a user
)
