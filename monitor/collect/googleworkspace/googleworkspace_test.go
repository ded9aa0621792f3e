package googleworkspace

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	admin "google.golang.org/api/admin/directory/v1"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/apiclient"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

const library = "../../../catalog/data/checks/google-workspace.json"

var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

func collector(s *collecttest.Sleeps) *Collector {
	return &Collector{Clock: &assay.FixedClock{T: now}, Sleep: s.Sleep}
}

func config(f *fakeGoogle) monitor.Config {
	return monitor.Config{Settings: map[string]string{SettingAPIURL: f.srv.URL, SettingSubject: f.subject},
		Secrets: map[string]string{SecretKey: f.keyJSON}}
}

func TestCollectsUsersAndRolesThroughTheSDKWithQuotaAndRetries(t *testing.T) {
	f := example(t)
	f.then("/admin/directory/v1/users",
		googleError(http.StatusTooManyRequests, "rateLimitExceeded", "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user'", "Retry-After", "7"),
		googleError(http.StatusServiceUnavailable, "backendError", "Backend Error"))
	s := &collecttest.Sleeps{}
	var kept []byte
	cfg := config(f)
	cfg.Keep = func(_ context.Context, doc []byte) (string, error) { kept = doc; return "abc123", nil }
	ctx, notes := monitor.WithNotes(context.Background())
	res, err := collector(s).Collect(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if f.badAuth != 0 || f.tokens != 1 {
		t.Errorf("%d requests without the bearer token, %d token requests (want 0 and 1)", f.badAuth, f.tokens)
	}
	if len(s.All()) != 2 || s.All()[0] != 7*time.Second || s.All()[1] != time.Second {
		t.Errorf("waits %v, want 7s (Retry-After) then 1s", s.All())
	}
	// Seven users two a page: four pages, and the two refusals.
	if n := f.count("GET /admin/directory/v1/users?"); n != 4+2 {
		t.Errorf("%d requests for the user list, want 4 pages and 2 retries", n)
	}
	if n := f.count("GET /admin/directory/v1/users?") - f.count("GET /admin/directory/v1/users?alt=json&customer=my_customer&maxResults=500&orderBy=email&prettyPrint=false"); n != 3 {
		t.Errorf("%d requests followed a pageToken, want 3", n)
	}
	m := map[string]assay.Resource{}
	for _, r := range res {
		m[r.ID] = r
		collecttest.SameKeys(t, library, r)
	}
	if len(res) != 6+3 {
		t.Fatalf("%d resources, want 6 users (one repeated) and 3 roles: %v", len(res), m)
	}
	if a := m["alice@example.com"].Attrs; a["enrolled_2sv"] != true || a["super_admin"] != true || a["admin"] != true || a["last_login_days"] != int64(1) ||
		len(a["roles"].([]any)) != 1 || a["roles"].([]any)[0] != "_SEED_ADMIN_ROLE" {
		t.Errorf("alice: %v", a)
	}
	if a := m["new@example.com"].Attrs; a["never_logged_in"] != true || a["last_login_days"] != int64(40) || a["created_days"] != int64(40) {
		t.Errorf("new: %v", a)
	}
	if a := m["eve@example.com"].Attrs; a["active"] != false || a["status"] != "suspended" || a["admin"] != true {
		t.Errorf("eve: %v", a)
	}
	if a := m["9001"].Attrs; a["members"] != int64(2) || a["active_members"] != int64(2) || a["super_admin"] != true {
		t.Errorf("super admin role: %v", a)
	}
	if a := m["9003"].Attrs; a["members"] != int64(0) {
		t.Errorf("a group's assignment counted as a user: %v", a)
	}
	note := strings.Join(notes.List(), "\n")
	if !strings.Contains(note, "abc123") || !strings.Contains(note, Version) || !strings.Contains(note, "9 resources") {
		t.Errorf("notes: %q", note)
	}
	var doc apiclient.Provenance
	if err := json.Unmarshal(kept, &doc); err != nil || doc.Requests != f.count("GET")-2 || strings.Contains(string(kept), f.access) || strings.Contains(string(kept), "PRIVATE KEY") {
		t.Errorf("provenance: %v, %d requests of %d", err, doc.Requests, f.count("GET")-2)
	}
}

func TestLibraryChecksJudgeTheCollectedAccount(t *testing.T) {
	collecttest.Library(t, library)
	f := example(t)
	res, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), config(f))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]assay.CheckStatus{}
	for _, r := range collecttest.RunLibrary(t, "gws-", res) {
		got[r.CheckID+" "+r.ResourceID] = r.Status
	}
	for key, want := range map[string]assay.CheckStatus{
		"gws-active-users-2sv-enrolled alice@example.com":        assay.CheckPass,
		"gws-active-users-2sv-enrolled bob@example.com":          assay.CheckFail,
		"gws-active-users-2sv-enrolled eve@example.com":          assay.CheckPass,
		"gws-active-users-2sv-enforced bob@example.com":          assay.CheckFail,
		"gws-active-users-2sv-enforced dan@example.com":          assay.CheckPass,
		"gws-admins-2sv-enrolled alice@example.com":              assay.CheckPass,
		"gws-admins-2sv-enrolled root@example.com":               assay.CheckFail,
		"gws-no-dormant-users dan@example.com":                   assay.CheckFail,
		"gws-no-dormant-users alice@example.com":                 assay.CheckPass,
		"gws-unused-accounts-removed new@example.com":            assay.CheckFail,
		"gws-unused-accounts-removed alice@example.com":          assay.CheckPass,
		"gws-suspended-users-hold-no-admin-role eve@example.com": assay.CheckFail,
		"gws-suspended-users-hold-no-admin-role bob@example.com": assay.CheckPass,
		"gws-super-admins-between-2-and-4 9001":                  assay.CheckPass,
		"gws-super-admins-between-2-and-4 9002":                  assay.CheckPass,
	} {
		if got[key] != want {
			t.Errorf("%s: %s, want %s", key, got[key], want)
		}
	}
}

func TestAMissingScopeOrPrivilegeIsNamed(t *testing.T) {
	for path, want := range map[string]string{
		"/admin/directory/v1/users":                                "admin.directory.user.readonly",
		"/admin/directory/v1/customer/my_customer/roles":           "admin.directory.rolemanagement.readonly",
		"/admin/directory/v1/customer/my_customer/roleassignments": "Roles → Read",
	} {
		f := example(t)
		f.then(path, googleError(http.StatusForbidden, "forbidden", "Not Authorized to access this resource/api"))
		res, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), config(f))
		if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, apiclient.ErrPartial) || res != nil {
			t.Errorf("%s refused: %v, %d resources; want an error naming %s", path, err, len(res), want)
		}
	}
}

func TestATokenRefusedNamesTheDelegation(t *testing.T) {
	f := example(t)
	cfg := config(f)
	cfg.Settings[SettingSubject] = "someone-else@example.com"
	res, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), cfg)
	if err == nil || res != nil || !strings.Contains(err.Error(), "invalid_grant") || !strings.Contains(err.Error(), "domain-wide delegation") {
		t.Fatalf("%v, %d resources", err, len(res))
	}
	if strings.Contains(err.Error(), "PRIVATE KEY") || f.count("GET") != 0 {
		t.Errorf("key in the error, or %d reads without a token", f.count("GET"))
	}
}

func TestAPageThatKeepsFailingFailsTheCollection(t *testing.T) {
	f := example(t)
	fail := googleError(http.StatusInternalServerError, "backendError", "Backend Error")
	f.then("/admin/directory/v1/users", func(w http.ResponseWriter) {
		w.Write([]byte(`{"kind":"admin#directory#users","users":[],"nextPageToken":"b2Zmc2V0OjI"}`))
	},
		fail, fail, fail, fail, fail)
	res, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), config(f))
	if err == nil || !errors.Is(err, apiclient.ErrPartial) || res != nil {
		t.Fatalf("got %d resources, %v; want the collection to fail", len(res), err)
	}
}

// A sign-in later than the collector's clock (clocks disagree) counts as
// today, never as a negative age; a creation time Google leaves out counts
// as zero days.
func TestAwkwardTimes(t *testing.T) {
	r := userResource(&admin.User{PrimaryEmail: "Late@Example.com", LastLoginTime: now.Add(36 * time.Hour).Format(time.RFC3339)}, nil, now)
	if r.ID != "late@example.com" || r.Attrs["last_login_days"] != int64(0) || r.Attrs["never_logged_in"] != false || r.Attrs["created_days"] != int64(0) {
		t.Errorf("%v", r.Attrs)
	}
	r = userResource(&admin.User{PrimaryEmail: "x@example.com", LastLoginTime: "not a time", CreationTime: now.AddDate(0, 0, -3).Format(time.RFC3339)}, nil, now)
	if r.Attrs["never_logged_in"] != true || r.Attrs["last_login_days"] != int64(3) {
		t.Errorf("%v", r.Attrs)
	}
}

func TestValidateAndPlan(t *testing.T) {
	f := newFakeGoogle(t)
	c := NewWithClock(&assay.FixedClock{T: now})
	if err := c.Validate(config(f)); err != nil {
		t.Fatal(err)
	}
	for field, cfg := range map[string]monitor.Config{
		SettingSubject: {Settings: map[string]string{}, Secrets: map[string]string{SecretKey: f.keyJSON}},
		SecretKey:      {Settings: map[string]string{SettingSubject: "a@example.com"}, Secrets: map[string]string{SecretKey: `{"type":"authorized_user"}`}},
		SettingAPIURL:  {Settings: map[string]string{SettingSubject: "a@example.com", SettingAPIURL: "admin.googleapis.com"}, Secrets: map[string]string{SecretKey: f.keyJSON}},
	} {
		var e *assay.Error
		if err := c.Validate(cfg); !errors.As(err, &e) || e.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	lines, err := c.(monitor.Planner).Plan(monitor.Config{Settings: map[string]string{SettingSubject: "a@example.com"}})
	if err != nil || !strings.Contains(strings.Join(lines, "\n"), "https://admin.googleapis.com/admin/directory/v1/users?customer=my_customer") {
		t.Errorf("plan: %v %q", err, lines)
	}
}
