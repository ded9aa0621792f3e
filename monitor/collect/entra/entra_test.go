package entra

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/apiclient"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

const library = "../../../catalog/data/checks/entra.json"

var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

func collector(s *collecttest.Sleeps) *Collector {
	return &Collector{Clock: &assay.FixedClock{T: now}, Sleep: s.Sleep}
}

func config(f *fakeGraph) monitor.Config {
	return monitor.Config{Settings: map[string]string{SettingTenant: "tenant-1", SettingClientID: "app-1", SettingGraphURL: f.srv.URL,
		SettingTokenURL: f.srv.URL + "/tenant-1/oauth2/v2.0/token"}, Secrets: map[string]string{SecretClient: f.secret}}
}

func TestCollectsUsersMFAAndRolesThroughThrottlingAndRetries(t *testing.T) {
	f := example(t)
	f.then("/v1.0/users",
		graphFail(http.StatusTooManyRequests, "TooManyRequests", "Too many requests.", "Retry-After", "12"),
		graphFail(http.StatusServiceUnavailable, "serviceNotAvailable", "Service unavailable."))
	s := &collecttest.Sleeps{}
	var kept []byte
	cfg := config(f)
	cfg.Keep = func(_ context.Context, doc []byte) (string, error) { kept = doc; return "abc123", nil }
	ctx, notes := monitor.WithNotes(context.Background())
	res, err := collector(s).Collect(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if f.badAuth != 0 || f.count("POST /tenant-1/oauth2/v2.0/token") != 1 {
		t.Errorf("%d requests without the token; %d token requests", f.badAuth, f.count("POST"))
	}
	if len(s.All()) != 2 || s.All()[0] != 12*time.Second || s.All()[1] != time.Second {
		t.Errorf("waits %v, want 12s (Retry-After) then 1s", s.All())
	}
	if n := f.count("GET /v1.0/users?"); n != 4+2 {
		t.Errorf("%d requests for users, want 4 pages and 2 retries", n)
	}
	m := map[string]assay.Resource{}
	for _, r := range res {
		m[r.ID] = r
		collecttest.SameKeys(t, library, r)
	}
	if len(res) != 6+2 {
		t.Fatalf("%d resources, want 6 users and 2 roles", len(res))
	}
	if a := m["ada@contoso.com"].Attrs; a["mfa_registered"] != true || a["admin"] != true || a["last_login_days"] != int64(1) || a["roles"].([]any)[0] != "Global Administrator" {
		t.Errorf("ada: %v", a)
	}
	if a := m["new@contoso.com"].Attrs; a["never_logged_in"] != true || a["created_days"] != int64(40) || a["mfa_registered"] != false {
		t.Errorf("new (no registration details): %v", a)
	}
	if a := m["r-ga"].Attrs; a["members"] != int64(1) || a["global_admin"] != true {
		t.Errorf("global administrators (a service principal is not a person): %v", a)
	}
	if a := m["r-ua"].Attrs; a["members"] != int64(2) || a["active_members"] != int64(1) {
		t.Errorf("user administrators: %v", a)
	}
	note := strings.Join(notes.List(), "\n")
	if !strings.Contains(note, "abc123") || !strings.Contains(note, Version) || !strings.Contains(note, "8 resources") {
		t.Errorf("notes: %q", note)
	}
	var doc apiclient.Provenance
	if err := json.Unmarshal(kept, &doc); err != nil || doc.Requests != f.count("GET")-2 || strings.Contains(string(kept), f.access) || strings.Contains(string(kept), f.secret) {
		t.Errorf("provenance: %v, %d requests of %d", err, doc.Requests, f.count("GET")-2)
	}
}

func TestLibraryChecksJudgeTheCollectedTenant(t *testing.T) {
	collecttest.Library(t, library)
	f := example(t)
	res, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), config(f))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]assay.CheckStatus{}
	for _, r := range collecttest.RunLibrary(t, "entra-", res) {
		got[r.CheckID+" "+r.ResourceID] = r.Status
	}
	guest := "vendor_fabrikam.com#ext#@contoso.onmicrosoft.com"
	for key, want := range map[string]assay.CheckStatus{
		"entra-enabled-users-mfa-registered ada@contoso.com":  assay.CheckPass,
		"entra-enabled-users-mfa-registered bo@contoso.com":   assay.CheckFail,
		"entra-admins-mfa-capable ada@contoso.com":            assay.CheckPass,
		"entra-admins-mfa-capable " + guest:                   assay.CheckFail,
		"entra-no-dormant-users dormant@contoso.com":          assay.CheckFail,
		"entra-no-dormant-users ada@contoso.com":              assay.CheckPass,
		"entra-unused-accounts-removed new@contoso.com":       assay.CheckFail,
		"entra-unused-accounts-removed bo@contoso.com":        assay.CheckPass,
		"entra-disabled-users-hold-no-role gone@contoso.com":  assay.CheckFail,
		"entra-disabled-users-hold-no-role ada@contoso.com":   assay.CheckPass,
		"entra-guests-hold-no-directory-role " + guest:        assay.CheckFail,
		"entra-guests-hold-no-directory-role ada@contoso.com": assay.CheckPass,
		"entra-global-admins-between-2-and-4 r-ga":            assay.CheckFail,
		"entra-global-admins-between-2-and-4 r-ua":            assay.CheckPass,
	} {
		if got[key] != want {
			t.Errorf("%s: %s, want %s", key, got[key], want)
		}
	}
}

func TestAMissingPermissionIsNamed(t *testing.T) {
	for path, want := range map[string]string{
		"/v1.0/users": "User.Read.All",
		"/v1.0/reports/authenticationMethods/userRegistrationDetails": "AuditLog.Read.All",
		"/v1.0/directoryRoles/r-ua/members":                           "RoleManagement.Read.Directory",
	} {
		f := example(t)
		f.then(path, graphFail(http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."))
		res, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), config(f))
		if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, apiclient.ErrPartial) || res != nil {
			t.Errorf("%s refused: %v, %d resources; want an error naming %s", path, err, len(res), want)
		}
	}
}

func TestAWrongSecretIsRefusedWithoutShowingIt(t *testing.T) {
	f := example(t)
	cfg := config(f)
	cfg.Secrets[SecretClient] = "wrong-secret-value"
	res, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), cfg)
	if err == nil || res != nil || !strings.Contains(err.Error(), "AADSTS7000215") || strings.Contains(err.Error(), "wrong-secret-value") || f.count("GET") != 0 {
		t.Fatalf("%v, %d resources, %d reads", err, len(res), f.count("GET"))
	}
}

func TestTheTokenGoesOnlyToGraph(t *testing.T) {
	other := example(t)
	f := example(t)
	f.nextHost = other.srv.URL
	res, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), config(f))
	if err == nil || res != nil || other.count("GET") != 0 || !errors.Is(err, apiclient.ErrPartial) {
		t.Errorf("a next link to another host: %v, %d resources, %d requests there", err, len(res), other.count("GET"))
	}
}

func TestValidateAndPlan(t *testing.T) {
	c := NewWithClock(&assay.FixedClock{T: now})
	ok := monitor.Config{Settings: map[string]string{SettingTenant: "contoso.onmicrosoft.com", SettingClientID: "app"}, Secrets: map[string]string{SecretClient: "x"}}
	if err := c.Validate(ok); err != nil {
		t.Fatal(err)
	}
	for field, cfg := range map[string]monitor.Config{
		SettingTenant:   {Settings: map[string]string{SettingClientID: "app"}, Secrets: map[string]string{SecretClient: "x"}},
		SettingClientID: {Settings: map[string]string{SettingTenant: "t"}, Secrets: map[string]string{SecretClient: "x"}},
		SecretClient:    {Settings: map[string]string{SettingTenant: "t", SettingClientID: "app"}},
		SettingGraphURL: {Settings: map[string]string{SettingTenant: "t", SettingClientID: "app", SettingGraphURL: "graph.microsoft.us"}, Secrets: map[string]string{SecretClient: "x"}},
	} {
		var e *assay.Error
		if err := c.Validate(cfg); !errors.As(err, &e) || e.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	lines, err := c.(monitor.Planner).Plan(monitor.Config{Settings: ok.Settings})
	all := strings.Join(lines, "\n")
	if err != nil || !strings.Contains(all, "POST https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token") ||
		!strings.Contains(all, "GET https://graph.microsoft.com/v1.0/reports/authenticationMethods/userRegistrationDetails") {
		t.Errorf("plan: %v\n%s", err, all)
	}
}
