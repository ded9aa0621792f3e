package assay

import (
	"strings"
	"time"
)

// TokenScope is what an API token may do.
type TokenScope string

const (
	// TokenReadOnly may only read: any request other than GET (or HEAD)
	// is refused with 403.
	TokenReadOnly TokenScope = "read_only"
	// TokenReadWrite may do whatever its user may.
	TokenReadWrite TokenScope = "read_write"
)

// ParseTokenScope reads a scope as people write it: read-only, read_only,
// ro, read-write, rw. Empty is read-write.
func ParseTokenScope(s string) (TokenScope, error) {
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "-", "_")) {
	case "", "read_write", "rw", "readwrite":
		return TokenReadWrite, nil
	case "read_only", "ro", "readonly", "read":
		return TokenReadOnly, nil
	}
	return "", Invalid("scope", "Unknown token scope %q; use read-only or read-write.", s)
}

// ReadOnly reports whether the token may only read.
func (t APIToken) ReadOnly() bool { return t.Scope == TokenReadOnly }

// Token lifetimes: the default, the longest, and "never" for admins only.
const (
	DefaultTokenLifetime = 90 * 24 * time.Hour
	MaxTokenLifetime     = 366 * 24 * time.Hour
)

// TokenExpiry decides when a new token expires from what was asked:
// "" is the default (90 days), "never" is no expiry (admins only), and
// otherwise a number of days ("30", "30d") or a date (2027-01-31), at most a
// year away.
func TokenExpiry(now time.Time, asked string, role Role) (*time.Time, error) {
	asked = strings.ToLower(strings.TrimSpace(asked))
	var at time.Time
	switch {
	case asked == "":
		at = now.Add(DefaultTokenLifetime)
	case asked == "never":
		if role != RoleAdmin {
			return nil, Invalid("expires", "Only admins may create a token that never expires; choose at most 365 days.")
		}
		return nil, nil
	default:
		if d, ok := parseDays(asked); ok {
			at = now.Add(time.Duration(d) * 24 * time.Hour)
		} else if day, err := time.Parse(time.DateOnly, asked); err == nil {
			at = day.Add(24*time.Hour - time.Second)
		} else {
			return nil, Invalid("expires", "Give the expiry as a number of days (30), a date (2027-01-31) or never.")
		}
	}
	at = at.Truncate(time.Second)
	if !at.After(now) {
		return nil, Invalid("expires", "The expiry must be in the future.")
	}
	if at.Sub(now) > MaxTokenLifetime {
		return nil, Invalid("expires", "A token may live at most a year; choose 365 days or fewer.")
	}
	return &at, nil
}

func parseDays(s string) (int, bool) {
	s = strings.TrimSuffix(strings.TrimSuffix(s, "days"), "d")
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 4 {
		return 0, false
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, n > 0
}
