package roster

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/tabular"
)

// Result is a roster read: the format the file was taken for, its
// accounts, and notes for the user saying how it was read.
type Result struct {
	Format    string // the format's id: "google_workspace", "okta", "entra_id", "jumpcloud", "rippling", "bamboohr", "generic"
	Name      string // "Google Workspace user export"
	Resources []assay.Resource
	Notes     []string
}

// Parse reads a roster and returns its accounts (Read without the notes).
func Parse(data []byte, departed map[string]bool, now time.Time) ([]assay.Resource, error) {
	r, err := Read(data, departed, now)
	if err != nil {
		return nil, err
	}
	return r.Resources, nil
}

// Read reads a roster (CSV, tab-separated text or XLSX, in UTF-8 or
// UTF-16): an identity provider's or HR system's user export, recognised
// by its header (see formats), or the generic roster. One "idp.account"
// resource per row, keyed by lower-cased email. Attributes: email, user,
// status, format (strings); active, admin, departed (bools); and, when
// the file gives them, mfa (bool), last_login_days (int: whole days since
// the last sign-in, -1 if never) and created_days (int: days since the
// account was created, activated or its owner hired). The departed set
// (from the source's setting) adds to what the file says. A bad row is an
// error naming its line.
func Read(data []byte, departed map[string]bool, now time.Time) (*Result, error) {
	data = withoutTypeLine(data)
	f, err := detect(data)
	if err != nil {
		return nil, err
	}
	t, err := tabular.ReadBytes(data, f.schema())
	if errors.Is(err, tabular.ErrEmpty) {
		return nil, assay.Invalid("input", "the roster CSV is empty")
	} else if errors.Is(err, tabular.ErrMissingColumn) && f.id == generic.id {
		return nil, assay.Invalid("input", "%v; the header is not that of a user export Assay recognises either (%s)", err, knownExports())
	} else if err != nil {
		return nil, assay.Invalid("input", "%v", err)
	}
	rd := &reader{f: f, now: now, departed: departed, dates: &dateReader{slashes: f.id != generic.id}}
	if err := rd.dates.settle(rd.dateCells(t)); err != nil {
		return nil, assay.Invalid("input", "%v", err)
	}
	res := &Result{Format: f.id, Name: f.name}
	seen := map[string]int{}
	for _, row := range t.Rows {
		a, err := rd.account(row)
		if err != nil {
			return nil, err
		}
		if a == nil {
			continue
		}
		email := a.Attrs["email"].(string)
		if prev, dup := seen[email]; dup {
			return nil, rd.bad(row, "email", "%s is listed again (first on line %d)", email, prev)
		}
		seen[email] = row.Line
		res.Resources = append(res.Resources, *a)
	}
	res.Notes = rd.notes(res)
	return res, nil
}

// reader reads the rows of one file.
type reader struct {
	f        format
	now      time.Time
	departed map[string]bool
	dates    *dateReader
	noEmail  []int // lines of HR rows without an email address
}

func (rd *reader) get(row tabular.Row, field string) string { return row.Get(rd.f.column(field)) }

func (rd *reader) bad(row tabular.Row, field, format string, args ...any) error {
	return assay.Invalid("input", "%v", row.Error(rd.f.column(field), fmt.Errorf(format, args...)))
}

// dateCells lists every date cell of the table, to settle the order of
// slash dates.
func (rd *reader) dateCells(t *tabular.Table) []string {
	var out []string
	for _, row := range t.Rows {
		for _, f := range []string{"last_login", "created", "end_date", "departed"} {
			if v := rd.get(row, f); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// account reads one row; nil for an HR row without an email address.
func (rd *reader) account(row tabular.Row) (*assay.Resource, error) {
	get := func(field string) string { return rd.get(row, field) }
	email := strings.ToLower(get("email"))
	if email == "" && rd.f.hr {
		rd.noEmail = append(rd.noEmail, row.Line)
		return nil, nil
	}
	if !strings.Contains(email, "@") || strings.ContainsFunc(email, unicode.IsSpace) {
		return nil, rd.bad(row, "email", "%q is not an email address", get("email"))
	}
	attrs := map[string]any{"email": email, "format": rd.f.id}
	user := get("user")
	if user == "" {
		user = strings.TrimSpace(get("first_name") + " " + get("last_name"))
	}
	if user == "" {
		user = email
	}
	attrs["user"] = user

	if rd.anyMFAColumn(row) {
		mfa := false
		for _, field := range []string{"mfa", "mfa_status", "mfa_configured"} {
			v, ok := parseMFA(get(field))
			if !ok {
				return nil, rd.bad(row, field, "%q is not yes/no, true/false or enrolled/not enrolled", get(field))
			}
			mfa = mfa || v
		}
		attrs["mfa"] = mfa
	}
	admin, ok := parseBool(get("admin"))
	if !ok {
		return nil, rd.bad(row, "admin", "%q is not yes/no or true/false", get("admin"))
	}
	attrs["admin"] = admin

	status, active, left, err := rd.status(row)
	if err != nil {
		return nil, err
	}
	attrs["status"], attrs["active"] = status, active

	gone, err := rd.left(row)
	if err != nil {
		return nil, err
	}
	alt := strings.ToLower(get("alt_email"))
	attrs["departed"] = left || gone || rd.departed[email] || (alt != "" && rd.departed[alt])

	if row.Has(rd.f.column("last_login")) {
		days, err := rd.lastLogin(get("last_login"))
		if err != nil {
			return nil, rd.bad(row, "last_login", "%v", err)
		}
		attrs["last_login_days"] = days
	}
	if c := get("created"); !noDate(c) {
		t := rd.dates.parse(c)
		if t.IsZero() {
			return nil, rd.bad(row, "created", "%q is not a date", c)
		}
		attrs["created_days"] = daysSince(t, rd.now)
	}
	return &assay.Resource{Kind: KindAccount, ID: email, Name: email, Attrs: attrs}, nil
}

// anyMFAColumn reports whether the file has a column saying whether the
// account has MFA.
func (rd *reader) anyMFAColumn(row tabular.Row) bool {
	for _, f := range []string{"mfa", "mfa_status", "mfa_configured"} {
		if row.Has(rd.f.column(f)) {
			return true
		}
	}
	return false
}

// status reads the account's status: its status column (empty means
// active), an enabled or suspended column where the export has one
// instead or besides. left is true for a status that means the owner has
// left (an HR system's Terminated).
func (rd *reader) status(row tabular.Row) (status string, active, left bool, err error) {
	raw := rd.get(row, "status")
	status = word(raw)
	active = true
	switch {
	case status == "":
		status = "active"
	case contains(activeStatuses, status):
	case contains(inactiveStatuses, status):
		active = false
		left = contains(leftStatuses, status)
	default:
		return "", false, false, rd.bad(row, "status", "unknown status %q (expected e.g. active, suspended, deprovisioned)", raw)
	}
	if row.Has(rd.f.column("enabled")) {
		on, ok := parseBool(rd.get(row, "enabled"))
		if !ok {
			return "", false, false, rd.bad(row, "enabled", "%q is not true or false", rd.get(row, "enabled"))
		}
		if !on {
			active = false
			if raw == "" {
				status = "disabled"
			}
		}
	}
	if row.Has(rd.f.column("suspended")) {
		off, ok := parseBool(rd.get(row, "suspended"))
		if !ok {
			return "", false, false, rd.bad(row, "suspended", "%q is not true or false", rd.get(row, "suspended"))
		}
		if off {
			active = false
			if raw == "" {
				status = "suspended"
			}
		}
	}
	return status, active, left, nil
}

// left reads what the file says of the owner having left: a departed
// column (yes/no, or a leaving date: departed once it has passed), an
// end date that has passed, or an employment status of Terminated.
func (rd *reader) left(row tabular.Row) (bool, error) {
	gone := false
	if v := rd.get(row, "departed"); v != "" {
		b, ok := parseBool(v)
		if !ok {
			t := rd.dates.parse(v)
			if t.IsZero() {
				return false, rd.bad(row, "departed", "%q is not yes/no, true/false or a date", v)
			}
			b = !t.After(rd.now)
		}
		gone = b
	}
	if v := rd.get(row, "end_date"); !noDate(v) {
		t := rd.dates.parse(v)
		if t.IsZero() {
			return false, rd.bad(row, "end_date", "%q is not a date", v)
		}
		gone = gone || !t.After(rd.now)
	}
	if word(rd.get(row, "employment_status")) == "terminated" {
		gone = true
	}
	return gone, nil
}

// lastLogin gives whole days since a sign-in, -1 when the cell is empty
// or says never.
func (rd *reader) lastLogin(s string) (int64, error) {
	if noDate(s) || never(s) {
		return -1, nil
	}
	t := rd.dates.parse(s)
	if t.IsZero() {
		if rd.dates.slashes {
			return 0, fmt.Errorf("last login %q is not a date", s)
		}
		return 0, fmt.Errorf("last login %q is not a date (use RFC 3339 or YYYY-MM-DD)", s)
	}
	return daysSince(t, rd.now), nil
}

// knownExports names the exports recognised by their header.
func knownExports() string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.short
	}
	return strings.Join(names, ", ")
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
