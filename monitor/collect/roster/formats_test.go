package roster

import (
	"context"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

// exportCase is a user list as a tool writes it and what the roster
// must make of it.
type exportCase struct {
	file   string
	data   []byte // instead of file
	format string
	notes  []string
	attrs  map[string]map[string]any // by account id: attributes to check (nil: the attribute must be absent)
	fails  []string                  // "check-id account" of every failing idp- check
}

func (tc exportCase) run(t *testing.T) {
	t.Helper()
	data := tc.data
	if tc.file != "" {
		var err error
		if data, err = os.ReadFile(tc.file); err != nil {
			t.Fatal(err)
		}
	}
	c := NewWithClock(&assay.FixedClock{T: now}).(collector)
	res, notes, err := c.CollectNotes(context.Background(), monitor.Config{Input: data})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := Read(data, nil, now)
	if r.Format != tc.format {
		t.Errorf("read as %s, want %s", r.Format, tc.format)
	}
	if !slices.Equal(notes, tc.notes) {
		t.Errorf("notes:\n got %s\nwant %s", strings.Join(notes, "\n     "), strings.Join(tc.notes, "\n     "))
	}
	byID := map[string]assay.Resource{}
	for _, r := range res {
		byID[r.ID] = r
		if r.Attrs["format"] != tc.format {
			t.Errorf("%s: format %v", r.ID, r.Attrs["format"])
		}
	}
	for id, want := range tc.attrs {
		got, ok := byID[id]
		if !ok {
			t.Errorf("%s not read", id)
			continue
		}
		for k, v := range want {
			if g, has := got.Attrs[k]; (v == nil && has) || (v != nil && g != v) {
				t.Errorf("%s: %s = %#v, want %#v", id, k, g, v)
			}
		}
	}
	var fails []string
	for _, r := range collecttest.RunLibrary(t, "idp-", res) {
		if r.Status == assay.CheckFail {
			fails = append(fails, r.CheckID+" "+r.ResourceID)
			if !strings.Contains(r.Reason, r.ResourceID) {
				t.Errorf("%s reason %q", r.CheckID, r.Reason)
			}
		}
	}
	sort.Strings(fails)
	if !slices.Equal(fails, tc.fails) {
		t.Errorf("failures:\n got %s\nwant %s", strings.Join(fails, "\n     "), strings.Join(tc.fails, "\n     "))
	}
}

// Google Workspace's user download: bracketed headers, year-first dates
// with slashes, "Never logged in", 2-step verification columns.
func TestGoogleWorkspaceExport(t *testing.T) {
	exportCase{
		file: "testdata/google-workspace-users.csv", format: "google_workspace",
		notes: []string{
			"Read as a Google Workspace user export: 6 users.",
			"2 users are not counted as active: archived 1, suspended 1.",
			"1 active user has never signed in.",
		},
		attrs: map[string]map[string]any{
			"alice@acme.example": {"user": "Alice Ng", "status": "active", "active": true, "mfa": true, "admin": false, "last_login_days": int64(1), "created_days": nil},
			"bob@acme.example":   {"active": true, "mfa": false, "last_login_days": int64(-1)},
			"carol@acme.example": {"status": "suspended", "active": false, "last_login_days": int64(318)},
			"erin@acme.example":  {"status": "archived", "active": false},
			"zoe@acme.example":   {"user": "Zoë Lefèvre", "mfa": true, "last_login_days": int64(0)},
		},
		fails: []string{
			"idp-active-accounts-have-mfa bob@acme.example",
			"idp-no-dormant-accounts bob@acme.example",
			"idp-no-dormant-accounts dave@acme.example",
		},
	}.run(t)
}

// Okta's password health report: User and Login (not two user columns),
// Okta's statuses, ISO timestamps, an empty Last Login for never, and no
// MFA column.
func TestOktaExport(t *testing.T) {
	exportCase{
		file: "testdata/okta-password-health.csv", format: "okta",
		notes: []string{
			"Read as an Okta user report: 7 users.",
			"3 users are not counted as active: deprovisioned 1, staged 1, suspended 1.",
			"1 active user has never signed in.",
			"This user list does not say who has MFA: idp-active-accounts-have-mfa and idp-admins-have-mfa fail on its 4 active users until one with MFA status is imported.",
		},
		attrs: map[string]map[string]any{
			"alice@acme.example": {"user": "Alice Ng", "active": true, "mfa": nil, "last_login_days": int64(1), "created_days": int64(1016)},
			"bob@acme.example":   {"status": "password_expired", "active": true, "last_login_days": int64(24)},
			"dave@acme.example":  {"status": "deprovisioned", "active": false},
			"frank@acme.example": {"status": "provisioned", "active": true, "last_login_days": int64(-1), "created_days": int64(4)},
			"heidi@acme.example": {"status": "staged", "active": false, "created_days": nil},
		},
		fails: []string{
			"idp-active-accounts-have-mfa alice@acme.example",
			"idp-active-accounts-have-mfa bob@acme.example",
			"idp-active-accounts-have-mfa frank@acme.example",
			"idp-active-accounts-have-mfa grace@acme.example",
			"idp-no-dormant-accounts grace@acme.example",
		},
	}.run(t)
}

// Entra ID's user download: a byte order mark, accountEnabled instead of
// a status, guests' #EXT# principal names, no sign-in or MFA columns.
func TestEntraExport(t *testing.T) {
	guest := "partner_example.org#ext#@acme.onmicrosoft.com"
	exportCase{
		file: "testdata/entra-users.csv", format: "entra_id",
		notes: []string{
			"Read as a Microsoft Entra ID user download: 4 users.",
			"1 user is not counted as active: disabled 1.",
			"This user list does not say who has MFA: idp-active-accounts-have-mfa and idp-admins-have-mfa fail on its 3 active users until one with MFA status is imported.",
			"This user list gives no last sign-in: idp-no-dormant-accounts fails on its 3 active users until one with sign-in dates is imported.",
		},
		attrs: map[string]map[string]any{
			"alice@acme.example": {"user": "Alice Ng", "active": true, "status": "active", "created_days": int64(2091), "last_login_days": nil},
			"bob@acme.example":   {"active": false, "status": "disabled"},
			guest:                {"user": "Pat Partner", "active": true, "created_days": int64(13)},
		},
		fails: []string{
			"idp-active-accounts-have-mfa alice@acme.example",
			"idp-active-accounts-have-mfa " + guest,
			"idp-active-accounts-have-mfa svc-backup@acme.onmicrosoft.com",
			"idp-no-dormant-accounts alice@acme.example",
			"idp-no-dormant-accounts " + guest,
			"idp-no-dormant-accounts svc-backup@acme.onmicrosoft.com",
		},
	}.run(t)
}

// JumpCloud through PowerShell's Export-Csv: a #TYPE line above the
// header, every cell quoted, nested objects written as @{...}.
func TestJumpCloudExport(t *testing.T) {
	exportCase{
		file: "testdata/jumpcloud-users.csv", format: "jumpcloud",
		notes: []string{
			"Read as a JumpCloud user export: 5 users.",
			"2 users are not counted as active: staged 1, suspended 1.",
			"This user list gives no last sign-in: idp-no-dormant-accounts fails on its 3 active users until one with sign-in dates is imported.",
		},
		attrs: map[string]map[string]any{
			"alice@acme.example": {"user": "alice", "status": "activated", "active": true, "mfa": true, "created_days": int64(1016)},
			"bob@acme.example":   {"active": true, "mfa": false},
			"carol@acme.example": {"status": "suspended", "active": false},
			"dave@acme.example":  {"active": true, "mfa": true},
			"frank@acme.example": {"status": "staged", "active": false, "mfa": false},
		},
		fails: []string{
			"idp-active-accounts-have-mfa bob@acme.example",
			"idp-no-dormant-accounts alice@acme.example",
			"idp-no-dormant-accounts bob@acme.example",
			"idp-no-dormant-accounts dave@acme.example",
		},
	}.run(t)
}

// A BambooHR report saved from Excel as Unicode text: UTF-16, tabs,
// month-first dates, a termination date that has passed on an employee
// still Active, and someone without a work email.
func TestBambooHRExport(t *testing.T) {
	exportCase{
		file: "testdata/bamboohr-report.txt", format: "bamboohr",
		notes: []string{
			"Read as a BambooHR employee export: 4 people.",
			"1 person is not counted as active: inactive 1.",
			"2 people have left the organisation (by the file or the departed setting).",
			"This user list does not say who has MFA: idp-active-accounts-have-mfa and idp-admins-have-mfa fail on its 3 active people until one with MFA status is imported.",
			"This user list gives no last sign-in: idp-no-dormant-accounts fails on its 3 active people until one with sign-in dates is imported.",
			"Skipped 1 person without a work email (line 6): they have no account to judge.",
		},
		attrs: map[string]map[string]any{
			"alice@acme.example": {"user": "Alice Ng", "active": true, "departed": false, "created_days": int64(1016)},
			"bob@acme.example":   {"active": true, "departed": true},
			"carol@acme.example": {"status": "inactive", "active": false, "departed": true},
			"dave@acme.example":  {"active": true, "departed": false},
		},
		fails: []string{
			"idp-active-accounts-have-mfa alice@acme.example",
			"idp-active-accounts-have-mfa bob@acme.example",
			"idp-active-accounts-have-mfa dave@acme.example",
			"idp-no-active-departed-accounts bob@acme.example",
			"idp-no-dormant-accounts alice@acme.example",
			"idp-no-dormant-accounts bob@acme.example",
			"idp-no-dormant-accounts dave@acme.example",
		},
	}.run(t)
}

// BambooHR's API field names, and its 0000-00-00 for an empty date.
func TestBambooHRFieldNames(t *testing.T) {
	r, err := Read(mustRead(t, "testdata/bamboohr-api-fields.csv"), nil, now)
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != "bamboohr" || len(r.Resources) != 3 {
		t.Fatalf("%s: %+v", r.Format, r.Resources)
	}
	for i, want := range []map[string]any{
		{"user": "Alice Ng", "active": true, "departed": false},
		{"status": "inactive", "active": false, "departed": true},
		{"status": "active", "active": true, "departed": true}, // Terminated, still Active
	} {
		for k, v := range want {
			if r.Resources[i].Attrs[k] != v {
				t.Errorf("%s: %s = %v, want %v", r.Resources[i].ID, k, r.Resources[i].Attrs[k], v)
			}
		}
	}
}

// A Rippling report downloaded as a workbook: date cells (read as
// 11-14-26), statuses Active, Terminated, Hired and Accepted.
func TestRipplingWorkbook(t *testing.T) {
	f := excelize.NewFile()
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	rows := [][]any{
		{"Employee name", "Work email", "Title", "Department", "Manager - Work email", "Employment status", "Start date", "End date"},
		{"Alice Ng", "alice@acme.example", "CTO", "Engineering", "", "Active", day(2024, 2, 12), nil},
		{"Bob Ruiz", "bob@acme.example", "Account Executive", "Sales", "alice@acme.example", "Terminated", day(2025, 6, 3), day(2026, 11, 14)},
		{"Carol Ives", "carol@acme.example", "Support Lead", "Support", "alice@acme.example", "Active", day(2023, 1, 10), day(2026, 11, 20)},
		{"Dan New", "dan@acme.example", "Engineer", "Engineering", "alice@acme.example", "Hired", day(2026, 12, 1), nil},
		{"Eve Offer", "eve@acme.example", "Designer", "Product", "alice@acme.example", "Accepted", day(2026, 12, 15), nil},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	// Date cells in Excel's built-in short date format (14), as a
	// spreadsheet writer stores them.
	short, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle("Sheet1", "G2", "H6", short); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	exportCase{
		data: buf.Bytes(), format: "rippling",
		notes: []string{
			"Read as a Rippling people export: 5 people.",
			"3 people are not counted as active: accepted 1, hired 1, terminated 1.",
			"2 people have left the organisation (by the file or the departed setting).",
			"This user list does not say who has MFA: idp-active-accounts-have-mfa and idp-admins-have-mfa fail on its 2 active people until one with MFA status is imported.",
			"This user list gives no last sign-in: idp-no-dormant-accounts fails on its 2 active people until one with sign-in dates is imported.",
		},
		attrs: map[string]map[string]any{
			"alice@acme.example": {"user": "Alice Ng", "active": true, "departed": false, "created_days": int64(1016)},
			"bob@acme.example":   {"status": "terminated", "active": false, "departed": true},
			"carol@acme.example": {"active": true, "departed": true},
			"dan@acme.example":   {"status": "hired", "active": false, "departed": false, "created_days": int64(0)},
		},
		fails: []string{
			"idp-active-accounts-have-mfa alice@acme.example",
			"idp-active-accounts-have-mfa carol@acme.example",
			"idp-no-active-departed-accounts carol@acme.example",
			"idp-no-dormant-accounts alice@acme.example",
			"idp-no-dormant-accounts carol@acme.example",
		},
	}.run(t)
}

func mustRead(t *testing.T, file string) []byte {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Each export is known by its header alone, whatever order its columns
// come in; anything else is the generic roster.
func TestDetect(t *testing.T) {
	for header, want := range map[string]string{
		"First Name [Required],Last Name [Required],Email Address [Required],Status [READ ONLY],Last Sign In [READ ONLY],2sv Enrolled [READ ONLY]": "google_workspace",
		"Email Address,2sv Enrolled [READ ONLY]": "google_workspace",
		"User,Login,Status,Last Login":           "okta",
		"User,Login,Status,Activation date,Authentication Source,Last Login,Last Password Change": "okta",
		"userPrincipalName,displayName,accountEnabled,userType,createdDateTime":                   "entra_id",
		"username,email,firstname,lastname,activated,suspended":                                   "jumpcloud",
		"email,username,totp_enabled":                                                             "jumpcloud",
		"Employee name,Work email,Employment status,Start date,End date":                          "rippling",
		"Employee #,First Name,Last Name,Work Email,Status,Hire Date":                             "bamboohr",
		"workEmail,status,terminationDate":                                                        "bamboohr",
		"Username,Email Address,MFA Enabled,Is Admin,Last Login,Status,Departed":                  "generic",
		"email,mfa,status": "generic",
		"Work Email,MFA":   "generic",
	} {
		f, err := detect([]byte(header + "\n"))
		if err != nil || f.id != want {
			t.Errorf("%s: %s %v, want %s", header, f.id, err, want)
		}
	}
}

// An export's bad cells are refused naming the line and the column as the
// export writes it; nothing is read.
func TestBadExports(t *testing.T) {
	google := "Email Address [Required],Status [READ ONLY],Last Sign In [READ ONLY],2sv Enrolled [READ ONLY]\n"
	for _, tc := range []struct{ name, in, want string }{
		{"bad 2sv", google + "a@x.io,Active,Never logged in,Perhaps\n", `line 2, column "2sv Enrolled [READ ONLY]": "Perhaps" is not yes/no`},
		{"bad sign-in", google + "a@x.io,Active,2026/13/45 10:00:00,True\n", `line 2, column "Last Sign In [READ ONLY]": last login "2026/13/45 10:00:00" is not a date`},
		{"bad status", google + "a@x.io,On leave,,True\n", `line 2, column "Status [READ ONLY]": unknown status "On leave"`},
		{"no email", "First Name [Required],2sv Enrolled [READ ONLY]\nA,True\n", `no "email (Google Workspace)" column (or a header such as "Email Address [Required]", "Email Address")`},
		{"entra enabled", "userPrincipalName,accountEnabled\na@x.io,sometimes\n", `line 2, column "accountEnabled": "sometimes" is not true or false`},
		{"jumpcloud hash", "username,email,mfa,suspended,activated\na,a@x.io,@{exclusion=False},False,True\n", `line 2, column "mfa": "@{exclusion=False}"`},
		{"dates both ways", "User,Login,Status,Last Login\nA,a@x.io,ACTIVE,11/24/2026\nB,b@x.io,ACTIVE,24/11/2026\n",
			`the dates mix orders: "24/11/2026" puts the day first, "11/24/2026" the month`},
		{"bamboohr date", "Employee #,Work Email,Status,Termination Date\n1,a@x.io,Active,soon\n", `line 2, column "Termination Date": "soon" is not a date`},
		{"okta duplicate", "User,Login,Status,Last Login\nA,a@x.io,ACTIVE,\nA2,A@x.io,ACTIVE,\n", `line 3, column "Login": a@x.io is listed again (first on line 2)`},
		{"not an export", "name,mail address\nann,ann@x.io\n", `no "email" column`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read([]byte(tc.in), nil, now)
			if err == nil || !strings.Contains(assay.ErrorMessage(err), tc.want) || assay.ErrorCode(err) != assay.EINVALID {
				t.Fatalf("err = %v, want EINVALID containing %q", err, tc.want)
			}
		})
	}
	_, err := Read([]byte("name,mail address\nann,ann@x.io\n"), nil, now)
	if msg := assay.ErrorMessage(err); !strings.Contains(msg, "Google Workspace, Okta, Entra ID, JumpCloud, Rippling, BambooHR") {
		t.Errorf("the refusal does not name the exports recognised: %s", msg)
	}
}

// Slash dates: the file settles day or month first; when nothing does,
// month first is assumed and said.
func TestSlashDates(t *testing.T) {
	head := "User,Login,Status,Last Login\n"
	r, err := Read([]byte(head+"A,a@x.io,ACTIVE,24/10/2026 09:15\nB,b@x.io,ACTIVE,05/11/2026\n"), nil, now)
	if err != nil {
		t.Fatal(err)
	}
	if d := r.Resources[1].Attrs["last_login_days"]; d != int64(19) { // 5 November, day first
		t.Errorf("day first: %v", d)
	}
	r, err = Read([]byte(head+"B,b@x.io,ACTIVE,05/11/2026 3:04 PM\n"), nil, now)
	if err != nil {
		t.Fatal(err)
	}
	if d := r.Resources[0].Attrs["last_login_days"]; d != int64(196) { // 11 May, month first
		t.Errorf("month first: %v", d)
	}
	if !slices.Contains(r.Notes, "Dates such as 05/11/2026 were read month first (MM/DD/YYYY): no date in the file has a day above 12 to tell.") {
		t.Errorf("notes %q", r.Notes)
	}
	// The generic roster takes no slash dates with the day or month first.
	if _, err := Read([]byte("email,mfa,last_login\na@x.io,yes,05/11/2026\n"), nil, now); err == nil {
		t.Error("a generic roster read an ambiguous date")
	}
}

// The departed setting matches an account's other address too (Entra
// ID's mail beside its user principal name).
func TestDepartedByOtherAddress(t *testing.T) {
	r, err := Read(mustRead(t, "testdata/entra-users.csv"), map[string]bool{"bob.ruiz@acme.example": true}, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range r.Resources {
		if (res.ID == "bob@acme.example") != (res.Attrs["departed"] == true) {
			t.Errorf("%s departed %v", res.ID, res.Attrs["departed"])
		}
	}
}

func TestParseMFA(t *testing.T) {
	for in, want := range map[string]bool{
		"True": true, "FALSE": false, "Enrolled": true, "Not enrolled": false, "NOT_ENROLLED": false, "PENDING_ACTIVATION": false,
		"@{configured=True; exclusion=False; exclusionUntil=}": true, "@{configured=False; exclusion=True}": false,
		"@{overallStatus=ENROLLED; pushStatus=ENROLLED; totpStatus=NOT_ENROLLED}": true, "": false,
	} {
		if got, ok := parseMFA(in); !ok || got != want {
			t.Errorf("parseMFA(%q) = %v, %v", in, got, ok)
		}
	}
	for _, in := range []string{"maybe", "@{exclusion=False}"} {
		if _, ok := parseMFA(in); ok {
			t.Errorf("parseMFA(%q) accepted", in)
		}
	}
}

// Line numbers count PowerShell's #TYPE line.
func TestTypeLineKeepsLineNumbers(t *testing.T) {
	in := "#TYPE System.Management.Automation.PSCustomObject\r\n\"username\",\"email\",\"totp_enabled\"\r\n\"a\",\"a@x.io\",\"True\"\r\n\"b\",\"b@x.io\",\"Perhaps\"\r\n"
	_, err := Read([]byte(in), nil, now)
	if err == nil || !strings.Contains(assay.ErrorMessage(err), `line 4, column "totp_enabled"`) {
		t.Fatalf("%v", err)
	}
}
