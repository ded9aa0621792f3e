package roster

import (
	"context"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

var now = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func TestRoster(t *testing.T) {
	data, err := os.ReadFile("testdata/okta.csv")
	if err != nil {
		t.Fatal(err)
	}
	c := NewWithClock(&assay.FixedClock{T: now})
	cfg := monitor.Config{Input: data, Settings: map[string]string{SettingDeparted: "Bob@example.com;\nnobody@example.com"}}
	if err := c.Validate(cfg); err != nil {
		t.Fatal(err)
	}
	res, err := c.Collect(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 8 {
		t.Fatalf("%d accounts, want 8", len(res))
	}
	byID := map[string]assay.Resource{}
	for _, r := range res {
		byID[r.ID] = r
	}
	alice := byID["alice@example.com"]
	want := map[string]any{"email": "alice@example.com", "user": "alice", "status": "active", "active": true,
		"mfa": true, "admin": true, "departed": false, "last_login_days": int64(1)}
	for k, v := range want {
		if alice.Attrs[k] != v {
			t.Errorf("alice %s = %v, want %v", k, alice.Attrs[k], v)
		}
	}
	if alice.Kind != KindAccount || alice.Name != "alice@example.com" {
		t.Errorf("alice: %+v", alice)
	}
	for id, days := range map[string]int64{"carol@example.com": -1, "dave@example.com": 207, "erin@example.com": 0, "grace@example.com": 2} {
		if got := byID[id].Attrs["last_login_days"]; got != days {
			t.Errorf("%s last_login_days = %v, want %d", id, got, days)
		}
	}
	if byID["grace@example.com"].Attrs["active"] != true || byID["grace@example.com"].Attrs["mfa"] != false {
		t.Errorf("grace: %v", byID["grace@example.com"].Attrs)
	}
	if byID["bob@example.com"].Attrs["departed"] != true {
		t.Error("the departed setting must mark bob")
	}

	var fails []string
	for _, r := range collecttest.RunLibrary(t, "idp-", res) {
		if r.Status == assay.CheckFail {
			fails = append(fails, r.CheckID+" "+r.ResourceID)
			if r.ResourceID == "carol@example.com" && !strings.Contains(r.Reason, "never signed in") {
				t.Errorf("carol's reason: %q", r.Reason)
			}
		}
	}
	sort.Strings(fails)
	wantFails := []string{
		"idp-active-accounts-have-mfa bob@example.com",
		"idp-active-accounts-have-mfa erin@example.com",
		"idp-active-accounts-have-mfa grace@example.com",
		"idp-admins-have-mfa erin@example.com",
		"idp-no-active-departed-accounts bob@example.com",
		"idp-no-active-departed-accounts heidi@example.com",
		"idp-no-dormant-accounts carol@example.com",
		"idp-no-dormant-accounts dave@example.com",
	}
	if !slices.Equal(fails, wantFails) {
		t.Errorf("failures:\n got %s\nwant %s", strings.Join(fails, "\n     "), strings.Join(wantFails, "\n     "))
	}
}

func TestMinimalColumns(t *testing.T) {
	res, err := Parse([]byte("e-mail,2FA\nA@x.io,on\n\nb@x.io,\n"), nil, now)
	if err != nil {
		t.Fatal(err)
	}
	// Without a last-login column the roster does not know: the attribute
	// is left out (and idp-no-dormant-accounts says so), not "never".
	if len(res) != 2 || res[0].Attrs["active"] != true || res[0].Attrs["mfa"] != true || res[1].Attrs["mfa"] != false || res[0].Attrs["last_login_days"] != nil {
		t.Errorf("%+v", res)
	}
}

// A departed column may hold leaving dates: past dates count, future ones
// not yet.
func TestDepartedDates(t *testing.T) {
	res, err := Parse([]byte("email,mfa,terminated\na@x.io,yes,2026-11-01\nb@x.io,yes,2026-12-31\nc@x.io,yes,\n"), nil, now)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, false, false} {
		if res[i].Attrs["departed"] != want {
			t.Errorf("%s departed = %v, want %v", res[i].ID, res[i].Attrs["departed"], want)
		}
	}
}

func TestBadRoster(t *testing.T) {
	head := "user,email,mfa,admin,last_login,status\n"
	for _, tc := range []struct{ name, in, settings, want string }{
		{"empty", "", "", "no roster CSV"},
		{"blank", "\n", "", "the roster CSV is empty"},
		{"no email column", "user,mfa\nann,yes\n", "", `line 1: no "email" column`},
		{"no mfa column", "email,admin\nann@x.io,yes\n", "", `line 1: no "mfa" column`},
		{"two email columns", "email,mail,mfa\n", "", `columns "email" and "mail" both give email`},
		{"bad email", head + "ann,ann@x.io,yes,no,,active\nbob,bob,yes,no,,active\n", "", `line 3, column "email": "bob" is not an email address`},
		{"duplicate", head + "ann,ann@x.io,yes,no,,active\nann2,ANN@x.io,yes,no,,active\n", "", `line 3, column "email": ann@x.io is listed again (first on line 2)`},
		{"bad mfa", head + "ann,ann@x.io,maybe,no,,active\n", "", `line 2, column "mfa": "maybe"`},
		{"bad admin", head + "ann,ann@x.io,yes,sometimes,,active\n", "", `line 2, column "admin": "sometimes"`},
		{"bad date", head + "ann,ann@x.io,yes,no,24/11/2026,active\n", "", `line 2, column "last_login": last login "24/11/2026" is not a date`},
		{"bad departed", "email,mfa,departed\na@x.io,yes,soon\n", "", `line 2, column "departed": "soon" is not yes/no, true/false or a date`},
		{"bad status", head + "ann,ann@x.io,yes,no,,on holiday\n", "", `line 2, column "status": unknown status "on holiday"`},
		{"quote", head + "ann,\"ann@x.io,yes\n", "", "line 2"},
		{"bad setting", head, "not-an-email", `departed: "not-an-email" is not an email address`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := monitor.Config{Input: []byte(tc.in), Settings: map[string]string{SettingDeparted: tc.settings}}
			_, err := NewWithClock(&assay.FixedClock{T: now}).Collect(context.Background(), cfg)
			if err == nil || !strings.Contains(assay.ErrorMessage(err), tc.want) || assay.ErrorCode(err) != assay.EINVALID {
				t.Fatalf("err = %v, want EINVALID containing %q", err, tc.want)
			}
		})
	}
	if err := New().Validate(monitor.Config{Settings: map[string]string{SettingDeparted: "x"}}); err == nil || assay.ErrorCode(err) != assay.EINVALID {
		t.Errorf("Validate accepted a bad departed setting: %v", err)
	}
}

// The generic roster says how it was read too.
func TestGenericNotes(t *testing.T) {
	data, err := os.ReadFile("testdata/okta.csv")
	if err != nil {
		t.Fatal(err)
	}
	cfg := monitor.Config{Input: data, Settings: map[string]string{SettingDeparted: "bob@example.com"}}
	_, notes, err := NewWithClock(&assay.FixedClock{T: now}).(collector).CollectNotes(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Read as a roster CSV: 8 accounts.",
		"1 account is not counted as active: suspended 1.",
		"1 active account has never signed in.",
		"3 accounts have left the organisation (by the file or the departed setting).",
	}
	if !slices.Equal(notes, want) {
		t.Errorf("notes %q", notes)
	}
}
