package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

// columns maps each field to the header names accepted for it, compared
// after lower-casing and turning spaces, dashes and dots into underscores.
var columns = map[string][]string{
	"user":       {"user", "username", "user_name", "login", "display_name", "name"},
	"email":      {"email", "email_address", "primary_email", "mail", "e_mail"},
	"mfa":        {"mfa", "mfa_enabled", "mfa_enrolled", "2fa", "2sv", "2sv_enrolled", "two_factor", "mfa_status"},
	"admin":      {"admin", "is_admin", "administrator", "super_admin", "is_super_admin"},
	"last_login": {"last_login", "last_login_at", "last_login_time", "last_sign_in", "last_signin", "last_sign_in_time", "lastlogin"},
	"status":     {"status", "state", "account_status", "user_status"},
	"departed":   {"departed", "leaver", "terminated", "offboarded", "has_left"},
}

// Statuses that mean the account can sign in, and those that mean it cannot.
var (
	activeStatuses   = []string{"active", "enabled", "provisioned", "recovery", "password_expired", "locked_out", "locked"}
	inactiveStatuses = []string{"suspended", "deprovisioned", "disabled", "deleted", "archived", "inactive", "staged", "deactivated", "blocked"}
)

// Parse reads a roster CSV. Attributes of each account: email, user,
// status (strings), active, mfa, admin, departed (bools), last_login_days
// (int: whole days since the last sign-in, -1 if never). The departed
// column takes yes/no or a leaving date (departed once it has passed);
// the departed set (from the source's setting) adds to it. A bad row is
// an error naming its line.
func Parse(data []byte, departed map[string]bool, now time.Time) ([]assay.Resource, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, assay.Invalid("input", "the roster CSV is empty")
	}
	if err != nil {
		return nil, csvError(err)
	}
	col := map[string]int{}
	for i, h := range header {
		norm := strings.NewReplacer(" ", "_", "-", "_", ".", "_").Replace(strings.ToLower(strings.TrimSpace(h)))
		for field, names := range columns {
			for _, n := range names {
				if norm == n {
					if prev, dup := col[field]; dup {
						return nil, assay.Invalid("input", "line 1: columns %q and %q both give %s", header[prev], h, field)
					}
					col[field] = i
				}
			}
		}
	}
	if _, ok := col["email"]; !ok {
		return nil, assay.Invalid("input", "line 1: no email column (expected a header such as email or email_address)")
	}
	if _, ok := col["mfa"]; !ok {
		return nil, assay.Invalid("input", "line 1: no MFA column (expected a header such as mfa or mfa_enabled)")
	}
	var out []assay.Resource
	seen := map[string]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		get := func(f string) string {
			if i, ok := col[f]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		bad := func(f, format string, args ...any) error {
			return assay.Invalid("input", "line %d, column %s: %s", line, header[col[f]], fmt.Sprintf(format, args...))
		}
		email := strings.ToLower(get("email"))
		if email == "" || !strings.Contains(email, "@") {
			return nil, bad("email", "%q is not an email address", get("email"))
		}
		if prev, dup := seen[email]; dup {
			return nil, bad("email", "%s is listed again (first on line %d)", email, prev)
		}
		seen[email] = line
		mfa, ok := parseBool(get("mfa"))
		if !ok {
			return nil, bad("mfa", "%q is not yes/no, true/false or enrolled/not enrolled", get("mfa"))
		}
		admin, ok := parseBool(get("admin"))
		if !ok {
			return nil, bad("admin", "%q is not yes/no or true/false", get("admin"))
		}
		left, ok := parseBool(get("departed"))
		if !ok {
			// A leaving date: departed once it has passed.
			t := parseTime(get("departed"))
			if t.IsZero() {
				return nil, bad("departed", "%q is not yes/no, true/false or a date", get("departed"))
			}
			left = !t.After(now)
		}
		status := strings.ReplaceAll(strings.ToLower(get("status")), " ", "_")
		active := true
		switch {
		case status == "":
			status = "active"
		case contains(activeStatuses, status):
		case contains(inactiveStatuses, status):
			active = false
		default:
			return nil, bad("status", "unknown status %q (expected e.g. active, suspended, deprovisioned)", get("status"))
		}
		days, err := lastLoginDays(get("last_login"), now)
		if err != nil {
			return nil, bad("last_login", "%v", err)
		}
		user := get("user")
		if user == "" {
			user = email
		}
		out = append(out, assay.Resource{Kind: KindAccount, ID: email, Name: email, Attrs: map[string]any{
			"email": email, "user": user, "status": status, "active": active, "mfa": mfa, "admin": admin,
			"departed": left || departed[email], "last_login_days": days,
		}})
	}
	return out, nil
}

// parseBool reads the many ways exports say yes and no; empty is no.
func parseBool(s string) (bool, bool) {
	switch strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "_") {
	case "yes", "y", "true", "t", "1", "enrolled", "enabled", "on", "active", "enforced", "x":
		return true, true
	case "", "no", "n", "false", "f", "0", "not_enrolled", "unenrolled", "disabled", "off", "none", "-":
		return false, true
	}
	return false, false
}

// timeLayouts are the date forms accepted, tried in order.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02", "2006-01-02 15:04:05", "2006-01-02T15:04:05"}

// parseTime reads a date in one of timeLayouts; the zero time if none fits.
func parseTime(s string) time.Time {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// lastLoginDays gives whole days since a sign-in time (RFC 3339, or a date
// YYYY-MM-DD, or "YYYY-MM-DD HH:MM:SS"), -1 when empty or "never".
func lastLoginDays(s string, now time.Time) (int64, error) {
	if s == "" || strings.EqualFold(s, "never") {
		return -1, nil
	}
	t := parseTime(s)
	if t.IsZero() {
		return 0, fmt.Errorf("last login %q is not a date (use RFC 3339 or YYYY-MM-DD)", s)
	}
	d := now.Sub(t)
	if d < 0 {
		return 0, nil
	}
	return int64(d / (24 * time.Hour)), nil
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return assay.Invalid("input", "line %d, column %d: %v", pe.Line, pe.Column, pe.Err)
	}
	return assay.Invalid("input", "the roster CSV cannot be read: %v", err)
}
