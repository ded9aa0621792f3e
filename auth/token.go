package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"strings"
)

// Token prefixes say what a secret is when it turns up in a log or a paste.
const (
	PrefixAPIToken = "assay_pat_"
	PrefixSession  = "assay_s_"
	PrefixSetup    = "assay_setup_"
	PrefixTrust    = "assay_tc_"   // a trust center visitor's private link to their request
	PrefixSCIM     = "assay_scim_" // an identity provider's SCIM bearer token
	PrefixLink     = "assay_link_" // a password reset or invitation link sent by e-mail
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewToken returns a random secret with 160 bits of entropy and the prefix.
func NewToken(prefix string) string {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic("auth: crypto/rand failed: " + err.Error()) // never returns an error on supported platforms
	}
	return prefix + strings.ToLower(b32.EncodeToString(b))
}

// HashToken returns the hex SHA-256 of a secret: what the database keeps.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Equal compares two secrets in constant time.
func Equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
