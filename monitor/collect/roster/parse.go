package roster

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/tabular"
)

// columns are the fields of a roster and the header names accepted for
// each (compared by letters and digits only, without case).
var columns = []tabular.Column{
	{Name: "user", Aliases: []string{"username", "login", "display_name", "name"}},
	{Name: "email", Aliases: []string{"email_address", "primary_email", "mail", "e-mail"}, Required: true},
	{Name: "mfa", Aliases: []string{"mfa_enabled", "mfa_enrolled", "2fa", "2sv", "2sv_enrolled", "two_factor", "mfa_status"}, Required: true},
	{Name: "admin", Aliases: []string{"is_admin", "administrator", "super_admin", "is_super_admin"}},
	{Name: "last_login", Aliases: []string{"last_login_at", "last_login_time", "last_sign_in", "last_signin", "last_sign_in_time"}},
	{Name: "status", Aliases: []string{"state", "account_status", "user_status"}},
	{Name: "departed", Aliases: []string{"leaver", "terminated", "offboarded", "has_left"}},
}

// Statuses that mean the account can sign in, and those that mean it cannot.
var (
	activeStatuses   = []string{"active", "enabled", "provisioned", "recovery", "password_expired", "locked_out", "locked"}
	inactiveStatuses = []string{"suspended", "deprovisioned", "disabled", "deleted", "archived", "inactive", "staged", "deactivated", "blocked"}
)

// Parse reads a roster (CSV, tab-separated text or XLSX, in UTF-8 or
// UTF-16). Attributes of each account: email, user,
// status (strings), active, mfa, admin, departed (bools), last_login_days
// (int: whole days since the last sign-in, -1 if never). The departed
// column takes yes/no or a leaving date (departed once it has passed);
// the departed set (from the source's setting) adds to it. A bad row is
// an error naming its line.
func Parse(data []byte, departed map[string]bool, now time.Time) ([]assay.Resource, error) {
	t, err := tabular.ReadBytes(data, tabular.Schema{Columns: columns, AllowNoRows: true})
	if errors.Is(err, tabular.ErrEmpty) {
		return nil, assay.Invalid("input", "the roster CSV is empty")
	} else if err != nil {
		return nil, assay.Invalid("input", "%v", err)
	}
	var out []assay.Resource
	seen := map[string]int{}
	for _, row := range t.Rows {
		line, get := row.Line, row.Get
		bad := func(f, format string, args ...any) error {
			return assay.Invalid("input", "%v", row.Error(f, fmt.Errorf(format, args...)))
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
