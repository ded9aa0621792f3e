package okta

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/apiclient"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

const library = "../../../catalog/data/checks/okta.json"

var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

func collector(s *collecttest.Sleeps) *Collector {
	return &Collector{Clock: &assay.FixedClock{T: now}, Sleep: s.Sleep}
}

func config(f *fakeOkta) monitor.Config {
	return monitor.Config{Settings: map[string]string{SettingOrgURL: f.srv.URL}, Secrets: map[string]string{SecretToken: f.token}}
}

func TestCollectsUsersAndPoliciesThroughRateLimitsAndRetries(t *testing.T) {
	f := example(t)
	f.then("/api/v1/users",
		oktaError(http.StatusTooManyRequests, "E0000047", "API call exceeded rate limit due to too many requests.",
			map[string]string{"X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": strconv.FormatInt(now.Add(30*time.Second).Unix(), 10)}),
		oktaError(http.StatusInternalServerError, "E0000009", "Internal Server Error", nil))
	s := &collecttest.Sleeps{}
	var kept []byte
	cfg := config(f)
	cfg.Keep = func(_ context.Context, doc []byte) (string, error) { kept = doc; return "abc123", nil }
	ctx, notes := monitor.WithNotes(context.Background())
	res, err := collector(s).Collect(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if f.badAuth != 0 {
		t.Errorf("%d requests without the SSWS token", f.badAuth)
	}
	if len(s.All()) != 2 || s.All()[0] != 31*time.Second || s.All()[1] != time.Second {
		t.Errorf("waits %v, want 31s (the reset) then 1s", s.All())
	}
	// Six users not deprovisioned, two a page: three pages (and the two
	// refusals), then the deprovisioned users' one page.
	if n := f.count("GET /api/v1/users?"); n != 3+2+1 {
		t.Errorf("%d requests for the user lists, want 3 pages, 2 retries and 1 page of deprovisioned users", n)
	}
	if n := f.count("GET /api/v1/users?after="); n != 2 {
		t.Errorf("%d requests followed a next link, want 2", n)
	}
	if len(res) != 7+2 {
		t.Fatalf("%d resources, want 9", len(res))
	}
	m := map[string]assay.Resource{}
	for _, r := range res {
		m[r.ID] = r
		collecttest.SameKeys(t, library, r)
	}
	if a := m["alice@example.com"].Attrs; a["mfa"] != true || a["admin"] != true || a["last_login_days"] != int64(1) || a["active"] != true {
		t.Errorf("alice: %v", a)
	}
	if a := m["bob@example.com"].Attrs; a["mfa"] != false || len(a["factors"].([]any)) != 1 {
		t.Errorf("bob (a security question and a pending SMS): %v", a)
	}
	if a := m["new@example.com"].Attrs; a["never_logged_in"] != true || a["last_login_days"] != int64(10) || a["active"] != false {
		t.Errorf("new: %v", a)
	}
	if a := m["eve@example.com"].Attrs; a["status"] != "DEPROVISIONED" || a["admin"] != true {
		t.Errorf("eve: %v", a)
	}
	if f.count("GET /api/v1/users/00u7/factors") != 0 {
		t.Error("a deprovisioned user's factors were read")
	}
	if a := m["00pcon"].Attrs; a["min_length"] != int64(8) || a["max_attempts"] != int64(0) {
		t.Errorf("contractors policy: %v", a)
	}
	note := strings.Join(notes.List(), "\n")
	if !strings.Contains(note, "abc123") || !strings.Contains(note, Version) || !strings.Contains(note, "9 resources") {
		t.Errorf("notes: %q", note)
	}
	var doc apiclient.Provenance
	if err := json.Unmarshal(kept, &doc); err != nil || doc.Requests != f.count("GET")-2 || strings.Contains(string(kept), f.token) {
		t.Errorf("provenance: %v, %d requests of %d", err, doc.Requests, f.count("GET")-2)
	}
}

func TestLibraryChecksJudgeTheCollectedUsers(t *testing.T) {
	collecttest.Library(t, library)
	f := example(t)
	res, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), config(f))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]assay.CheckStatus{}
	for _, r := range collecttest.RunLibrary(t, "okta-", res) {
		got[r.CheckID+" "+r.ResourceID] = r.Status
	}
	for key, want := range map[string]assay.CheckStatus{
		"okta-active-users-have-mfa alice@example.com":             assay.CheckPass,
		"okta-active-users-have-mfa bob@example.com":               assay.CheckFail,
		"okta-active-users-have-mfa sam@example.com":               assay.CheckPass,
		"okta-admins-have-mfa alice@example.com":                   assay.CheckPass,
		"okta-admins-have-mfa root@example.com":                    assay.CheckFail,
		"okta-no-dormant-users alice@example.com":                  assay.CheckPass,
		"okta-no-dormant-users dan@example.com":                    assay.CheckFail,
		"okta-no-dormant-users sam@example.com":                    assay.CheckPass,
		"okta-password-min-length-12 00pdef":                       assay.CheckPass,
		"okta-password-min-length-12 00pcon":                       assay.CheckFail,
		"okta-lockout-after-10-attempts 00pdef":                    assay.CheckPass,
		"okta-lockout-after-10-attempts 00pcon":                    assay.CheckFail,
		"okta-inactive-users-hold-no-admin-role eve@example.com":   assay.CheckFail,
		"okta-inactive-users-hold-no-admin-role alice@example.com": assay.CheckPass,
		"okta-inactive-users-hold-no-admin-role sam@example.com":   assay.CheckPass,
	} {
		if got[key] != want {
			t.Errorf("%s: %s, want %s", key, got[key], want)
		}
	}
}

func TestAMissingPermissionIsNamed(t *testing.T) {
	for path, want := range map[string]string{
		"/api/v1/users/00u1/roles": "okta.roles.read",
		"/api/v1/policies":         "okta.policies.read",
		"/api/v1/users":            "okta.users.read",
	} {
		f := example(t)
		f.then(path, oktaError(http.StatusForbidden, "E0000006", "You do not have permission to perform the requested action", nil))
		res, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), config(f))
		if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, apiclient.ErrPartial) || res != nil {
			t.Errorf("%s refused: %v, %d resources; want an error naming %s", path, err, len(res), want)
		}
	}
}

func TestAPageThatKeepsFailingFailsTheCollection(t *testing.T) {
	f := example(t)
	f.always["/api/v1/users?after=00u2&limit=200"] = oktaError(http.StatusServiceUnavailable, "E0000009", "Service unavailable", nil)
	res, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), config(f))
	if err == nil || !errors.Is(err, apiclient.ErrPartial) || res != nil {
		t.Fatalf("got %d resources, %v; want the collection to fail", len(res), err)
	}
	if n := f.count("GET /api/v1/users?after=00u2"); n != 5 {
		t.Errorf("page 2 asked %d times, want 5 attempts", n)
	}
}

func TestTheTokenGoesOnlyToTheOrganisation(t *testing.T) {
	other := example(t)
	f := example(t)
	f.nextHost = other.srv.URL
	res, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), config(f))
	if err == nil || res != nil || other.count("GET") != 0 {
		t.Errorf("a next link to another host: %v, %d resources, %d requests there", err, len(res), other.count("GET"))
	}
	if err != nil && strings.Contains(err.Error(), f.token) {
		t.Error("the token is in the error")
	}
}

func TestValidate(t *testing.T) {
	c := NewWithClock(&assay.FixedClock{T: now})
	if err := c.Validate(monitor.Config{Settings: map[string]string{SettingOrgURL: "https://example.okta.com"}, Secrets: map[string]string{SecretToken: "x"}}); err != nil {
		t.Fatal(err)
	}
	for field, cfg := range map[string]monitor.Config{
		SettingOrgURL: {Settings: map[string]string{SettingOrgURL: "example.okta.com"}, Secrets: map[string]string{SecretToken: "x"}},
		SecretToken:   {Settings: map[string]string{SettingOrgURL: "https://example.okta.com"}},
	} {
		var e *assay.Error
		if err := c.Validate(cfg); !errors.As(err, &e) || e.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
}
