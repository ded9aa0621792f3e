package assay

import (
	"testing"
	"time"
)

func TestTokenExpiry(t *testing.T) {
	now := time.Date(2026, 2, 28, 23, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		asked string
		role  Role
		want  string // RFC 3339, "never", or "error"
	}{
		{"", RoleMember, "2026-05-29T23:30:00Z"},
		{"30", RoleMember, "2026-03-30T23:30:00Z"},
		{"30d", RoleMember, "2026-03-30T23:30:00Z"},
		{" 7 days ", RoleMember, "2026-03-07T23:30:00Z"},
		{"366", RoleAdmin, "2027-03-01T23:30:00Z"}, // a leap-free year and a day is the longest
		{"367", RoleAdmin, "error"},
		{"0", RoleAdmin, "error"},
		{"-5", RoleAdmin, "error"},
		{"2026-12-31", RoleMember, "2026-12-31T23:59:59Z"},
		{"2026-02-28", RoleMember, "2026-02-28T23:59:59Z"},
		{"2026-02-27", RoleMember, "error"},
		{"2027-02-29", RoleMember, "error"},
		{"never", RoleAdmin, "never"},
		{"NEVER", RoleAdmin, "never"},
		{"never", RoleMember, "error"},
		{"soon", RoleAdmin, "error"},
	} {
		got, err := TokenExpiry(now, c.asked, c.role)
		switch {
		case c.want == "error":
			if err == nil || ErrorCode(err) != EINVALID {
				t.Errorf("%q as %s: %v, %v; want refused", c.asked, c.role, got, err)
			}
		case c.want == "never":
			if err != nil || got != nil {
				t.Errorf("%q as %s: %v, %v; want no expiry", c.asked, c.role, got, err)
			}
		default:
			if err != nil || got == nil || got.Format(time.RFC3339) != c.want {
				t.Errorf("%q as %s: %v, %v; want %s", c.asked, c.role, got, err, c.want)
			}
		}
	}
}

func TestParseTokenScope(t *testing.T) {
	for in, want := range map[string]TokenScope{"": TokenReadWrite, "read-only": TokenReadOnly, "READ_ONLY": TokenReadOnly, "ro": TokenReadOnly, "read-write": TokenReadWrite, "rw": TokenReadWrite} {
		if got, err := ParseTokenScope(in); err != nil || got != want {
			t.Errorf("%q: %s %v", in, got, err)
		}
	}
	if _, err := ParseTokenScope("admin"); ErrorCode(err) != EINVALID {
		t.Errorf("admin scope: %v", err)
	}
}
