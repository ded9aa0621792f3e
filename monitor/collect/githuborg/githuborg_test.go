package githuborg

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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

const library = "../../../catalog/data/checks/github.json"

var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

func ts(days int) string { return now.AddDate(0, 0, -days).Format(time.RFC3339) }

// acme is an organisation with something for every check to say.
func acme(t *testing.T) *fakeGitHub {
	f := newFakeGitHub(t, now)
	f.members = []string{"alice", "bob", "carol", "dave", "erin"} // 3 pages of 2
	f.owners = []string{"alice"}
	f.no2fa = []string{"bob", "contractor-cy"}
	f.outside = []string{"contractor-ann", "contractor-cy"}
	f.repos = []map[string]any{
		{"name": "api", "full_name": "acme/api", "private": true, "visibility": "private", "archived": false, "default_branch": "main"},
		{"name": "web", "full_name": "acme/web", "private": false, "visibility": "public", "archived": false, "default_branch": "main"},
		{"name": "sdk", "full_name": "acme/sdk", "private": false, "visibility": "public", "archived": false, "default_branch": "trunk"},
		{"name": "old", "full_name": "acme/old", "private": true, "visibility": "private", "archived": true, "default_branch": "master"},
		{"name": "infra", "full_name": "acme/infra", "private": true, "visibility": "internal", "archived": false, "default_branch": "main"},
	}
	f.protection["api"] = map[string]any{
		"url":                           f.srv.URL + "/repos/acme/api/branches/main/protection",
		"required_status_checks":        map[string]any{"strict": true, "contexts": []string{"ci"}},
		"required_pull_request_reviews": map[string]any{"required_approving_review_count": 2, "dismiss_stale_reviews": true},
		"allow_force_pushes":            map[string]any{"enabled": false},
		"allow_deletions":               map[string]any{"enabled": false},
	}
	f.protection["sdk"] = map[string]any{
		"required_pull_request_reviews": map[string]any{"required_approving_review_count": 0},
		"allow_force_pushes":            map[string]any{"enabled": true},
		"allow_deletions":               map[string]any{"enabled": false},
	}
	f.protection["infra"] = map[string]any{
		"required_status_checks":        map[string]any{"strict": false, "contexts": []string{}},
		"required_pull_request_reviews": map[string]any{"required_approving_review_count": 1},
		"allow_force_pushes":            map[string]any{"enabled": false},
		"allow_deletions":               map[string]any{"enabled": false},
	}
	alert := func(n int, repo, sev string, days int) map[string]any {
		return map[string]any{"number": n, "state": "open", "created_at": ts(days),
			"security_advisory":      map[string]any{"severity": sev, "ghsa_id": "GHSA-xxxx-" + strconv.Itoa(n)},
			"security_vulnerability": map[string]any{"severity": sev, "package": map[string]any{"ecosystem": "npm", "name": "left-pad"}},
			"repository":             map[string]any{"name": repo, "full_name": "acme/" + repo}}
	}
	f.dependabot = []map[string]any{
		alert(1, "api", "critical", 3), alert(2, "web", "critical", 20), alert(3, "web", "high", 10),
		alert(4, "infra", "high", 45), alert(5, "infra", "medium", 200),
	}
	f.secretAlerts = []map[string]any{
		{"number": 1, "state": "open", "secret_type": "aws_access_key_id", "created_at": ts(2), "repository": map[string]any{"name": "web", "full_name": "acme/web"}},
	}
	return f
}

func collector(f *fakeGitHub, s *collecttest.Sleeps) *Collector {
	return &Collector{Clock: &assay.FixedClock{T: now}, Sleep: s.Sleep}
}

func config(f *fakeGitHub) monitor.Config {
	return monitor.Config{
		Settings: map[string]string{SettingOrg: "acme", SettingAPIURL: f.srv.URL + "/", SettingPublicAllowed: "sdk", SettingApprovedOutside: "contractor-ann"},
		Secrets:  map[string]string{SecretToken: f.token},
	}
}

func byID(res []assay.Resource) map[string]assay.Resource {
	out := map[string]assay.Resource{}
	for _, r := range res {
		out[r.Kind+" "+r.ID] = r
	}
	return out
}

func TestCollectsAnOrganisationThroughRateLimitsAndRetries(t *testing.T) {
	f := acme(t)
	// Members: a 429 with Retry-After, then a 500, then the answer.
	f.then("/orgs/acme/members",
		status(http.StatusTooManyRequests, map[string]string{"Retry-After": "7"}, "API rate limit exceeded"),
		status(http.StatusInternalServerError, nil, "Server Error"))
	// Repositories: a secondary rate limit (403 with Retry-After).
	f.then("/orgs/acme/repos", status(http.StatusForbidden, map[string]string{"Retry-After": "60"},
		"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."))
	// Dependabot: the primary limit spent, reset 90 seconds from now.
	f.then("/orgs/acme/dependabot/alerts", status(http.StatusForbidden, map[string]string{
		"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(now.Add(90*time.Second).Unix(), 10)}, "API rate limit exceeded for user ID 1."))
	s := &collecttest.Sleeps{}
	var kept []byte
	cfg := config(f)
	cfg.Keep = func(_ context.Context, doc []byte) (string, error) {
		kept = doc
		sum := sha256.Sum256(doc)
		return hex.EncodeToString(sum[:]), nil
	}
	ctx, notes := monitor.WithNotes(context.Background())
	res, err := collector(f, s).Collect(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if f.badAuth != 0 {
		t.Errorf("%d requests without the bearer token", f.badAuth)
	}
	want := []time.Duration{7 * time.Second, time.Second, 60 * time.Second, 91 * time.Second}
	got := s.All()
	if len(got) != len(want) {
		t.Fatalf("waits %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("wait %d = %s, want %s (all %v)", i, got[i], want[i], got)
		}
	}
	// 5 members at 2 a page: three pages, and the 429 and 500 before the first.
	if n := f.count("GET /orgs/acme/members?per_page=100&role=all"); n != 3 {
		t.Errorf("%d requests for the member list's first page, want 3 (a 429, a 500, the answer)", n)
	}
	for _, page := range []string{"page=2", "page=3"} {
		if n := f.count("GET /orgs/acme/members?" + page + "&per_page=100&role=all"); n != 1 {
			t.Errorf("the member list's %s asked %d times, want once", page, n)
		}
	}
	if n := f.count("GET /orgs/acme/dependabot/alerts?after=cur4"); n != 1 {
		t.Errorf("the Dependabot alerts' third page (cursor) asked %d times, want once", n)
	}
	m := byID(res)
	if len(m) != 1+5+2+5 {
		t.Errorf("%d resources, want 13: %v", len(m), m)
	}
	org := m["github.org acme"]
	if org.Attrs["owners"] != int64(1) || org.Attrs["members"] != int64(5) || org.Attrs["members_without_2fa"] != int64(1) ||
		org.Attrs["two_factor_required"] != false || org.Attrs["outside_collaborators_count"] != int64(2) {
		t.Errorf("org: %v", org.Attrs)
	}
	if a := m["github.member bob"].Attrs; a["two_factor"] != false || a["role"] != "member" {
		t.Errorf("bob: %v", a)
	}
	if a := m["github.member alice"].Attrs; a["two_factor"] != true || a["role"] != "owner" || a["owner"] != true {
		t.Errorf("alice: %v", a)
	}
	if a := m["github.member contractor-cy"].Attrs; a["outside"] != true || a["approved"] != false || a["two_factor"] != false {
		t.Errorf("contractor-cy: %v", a)
	}
	api := m["github.repository acme/api"].Attrs
	if api["protected"] != true || api["required_reviews"] != int64(2) || api["required_status_checks"] != true ||
		api["allow_force_pushes"] != false || api["dependabot_critical"] != int64(1) || api["dependabot_critical_oldest_days"] != int64(3) {
		t.Errorf("api: %v", api)
	}
	web := m["github.repository acme/web"].Attrs
	if web["protected"] != false || web["allow_force_pushes"] != true || web["allow_deletions"] != true ||
		web["dependabot_critical_oldest_days"] != int64(20) || web["secret_scanning_open"] != int64(1) || web["public_allowed"] != false {
		t.Errorf("web: %v", web)
	}
	if f.count("GET /repos/acme/old/") != 0 {
		t.Error("the archived repository's protection was read")
	}
	for _, kind := range []string{KindOrg, KindMember, KindRepository} {
		for _, r := range res {
			if r.Kind == kind {
				collecttest.SameKeys(t, library, r)
				break
			}
		}
	}
	// Provenance: a note naming the endpoint, the API version, the collector
	// and the blob; the blob holds every response.
	sum := sha256.Sum256(kept)
	note := strings.Join(notes.List(), "\n")
	for _, w := range []string{f.srv.URL, "X-GitHub-Api-Version: 2022-11-28", Version, "13 resources", hex.EncodeToString(sum[:])} {
		if !strings.Contains(note, w) {
			t.Errorf("notes %q do not say %q", note, w)
		}
	}
	var doc apiclient.Provenance
	if err := json.Unmarshal(kept, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Requests != len(doc.Responses) || doc.Requests != f.count("GET")-4 || doc.Rows != 13 {
		t.Errorf("provenance: %d requests, %d responses, %d rows", doc.Requests, len(doc.Responses), doc.Rows)
	}
	if strings.Contains(string(kept), f.token) || strings.Contains(note, f.token) {
		t.Error("the token is in the evidence")
	}
}

func TestLibraryChecksJudgeTheCollectedOrganisation(t *testing.T) {
	collecttest.Library(t, library)
	f := acme(t)
	res, err := collector(f, &collecttest.Sleeps{}).Collect(context.Background(), config(f))
	if err != nil {
		t.Fatal(err)
	}
	results := collecttest.RunLibrary(t, "github-", res)
	got := map[string]assay.CheckStatus{}
	for _, r := range results {
		got[r.CheckID+" "+r.ResourceID] = r.Status
	}
	for key, want := range map[string]assay.CheckStatus{
		"github-members-have-2fa alice":                        assay.CheckPass,
		"github-members-have-2fa bob":                          assay.CheckFail,
		"github-members-have-2fa contractor-cy":                assay.CheckFail,
		"github-org-requires-2fa acme":                         assay.CheckFail,
		"github-owners-between-2-and-max acme":                 assay.CheckFail,
		"github-default-branch-reviewed acme/api":              assay.CheckPass,
		"github-default-branch-reviewed acme/web":              assay.CheckFail,
		"github-default-branch-reviewed acme/sdk":              assay.CheckFail,
		"github-default-branch-reviewed acme/old":              assay.CheckPass,
		"github-status-checks-required acme/infra":             assay.CheckPass,
		"github-status-checks-required acme/sdk":               assay.CheckFail,
		"github-force-pushes-blocked acme/api":                 assay.CheckPass,
		"github-force-pushes-blocked acme/sdk":                 assay.CheckFail,
		"github-branch-deletion-blocked acme/sdk":              assay.CheckPass,
		"github-branch-deletion-blocked acme/web":              assay.CheckFail,
		"github-no-unapproved-public-repos acme/sdk":           assay.CheckPass,
		"github-no-unapproved-public-repos acme/web":           assay.CheckFail,
		"github-no-unapproved-public-repos acme/infra":         assay.CheckPass,
		"github-dependabot-critical-15-days acme/api":          assay.CheckPass,
		"github-dependabot-critical-15-days acme/web":          assay.CheckFail,
		"github-dependabot-high-30-days acme/web":              assay.CheckPass,
		"github-dependabot-high-30-days acme/infra":            assay.CheckFail,
		"github-no-secret-scanning-alerts acme/api":            assay.CheckPass,
		"github-no-secret-scanning-alerts acme/web":            assay.CheckFail,
		"github-outside-collaborators-approved contractor-ann": assay.CheckPass,
		"github-outside-collaborators-approved contractor-cy":  assay.CheckFail,
	} {
		if got[key] != want {
			t.Errorf("%s: %s, want %s", key, got[key], want)
		}
	}
	f2 := acme(t)
	f2.twoFactorRequired, f2.owners = true, []string{"alice", "bob"}
	res, err = collector(f2, &collecttest.Sleeps{}).Collect(context.Background(), config(f2))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range collecttest.RunLibrary(t, "github-", res) {
		if r.ResourceKind == KindOrg && r.Status != assay.CheckPass {
			t.Errorf("%s: %s %s", r.CheckID, r.Status, r.Reason)
		}
	}
}

func TestAMissingPermissionIsNamed(t *testing.T) {
	for _, tc := range []struct {
		path, want string
	}{
		{"/orgs/acme/dependabot/alerts", `"Dependabot alerts" repository permission`},
		{"/orgs/acme/secret-scanning/alerts", `"Secret scanning alerts" repository permission`},
		{"/orgs/acme/outside_collaborators", `"Members" organization permission`},
		{"/repos/acme/api/branches/main/protection", `"Administration" repository permission`},
	} {
		f := acme(t)
		f.then(tc.path, status(http.StatusForbidden, nil, "Resource not accessible by personal access token"))
		res, err := collector(f, &collecttest.Sleeps{}).Collect(context.Background(), config(f))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, apiclient.ErrPartial) || res != nil {
			t.Errorf("%s refused: %v, %d resources; want an error naming %s", tc.path, err, len(res), tc.want)
		}
		if err != nil && strings.Contains(err.Error(), f.token) {
			t.Error("the token is in the error")
		}
	}
}

func TestAPageThatKeepsFailingFailsTheCollection(t *testing.T) {
	f := acme(t)
	f.always["/orgs/acme/repos?page=2&per_page=100&type=all"] = status(http.StatusBadGateway, nil, "Bad Gateway")
	s := &collecttest.Sleeps{}
	res, err := collector(f, s).Collect(context.Background(), config(f))
	if err == nil || !errors.Is(err, apiclient.ErrPartial) || !strings.Contains(err.Error(), "list repositories") || res != nil {
		t.Fatalf("got %d resources, %v; want the collection to fail", len(res), err)
	}
	if n := f.count("GET /orgs/acme/repos?page=2"); n != 5 {
		t.Errorf("page 2 asked %d times, want 5 attempts", n)
	}
	if got := s.All(); len(got) != 4 || got[0] != time.Second || got[3] != 8*time.Second {
		t.Errorf("backoff %v, want 1s 2s 4s 8s", got)
	}
}

func TestValidate(t *testing.T) {
	c := NewWithClock(&assay.FixedClock{T: now})
	ok := monitor.Config{Settings: map[string]string{SettingOrg: "acme"}, Secrets: map[string]string{SecretToken: "t"}}
	if err := c.Validate(ok); err != nil {
		t.Fatal(err)
	}
	for field, cfg := range map[string]monitor.Config{
		SettingOrg:       {Settings: map[string]string{}, Secrets: map[string]string{SecretToken: "t"}},
		SecretToken:      {Settings: map[string]string{SettingOrg: "acme"}},
		SettingAPIURL:    {Settings: map[string]string{SettingOrg: "acme", SettingAPIURL: "ftp://x"}, Secrets: map[string]string{SecretToken: "t"}},
		SettingMaxOwners: {Settings: map[string]string{SettingOrg: "acme", SettingMaxOwners: "1"}, Secrets: map[string]string{SecretToken: "t"}},
	} {
		var e *assay.Error
		if err := c.Validate(cfg); !errors.As(err, &e) || e.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
}

// The dry run's plan lists the requests a collection really makes.
func TestPlanNamesTheRequestsMade(t *testing.T) {
	f := acme(t)
	if _, err := collector(f, &collecttest.Sleeps{}).Collect(context.Background(), config(f)); err != nil {
		t.Fatal(err)
	}
	plan, err := collector(f, &collecttest.Sleeps{}).Plan(config(f))
	if err != nil {
		t.Fatal(err)
	}
	gets := 0
	for _, line := range plan {
		target, ok := strings.CutPrefix(line, "GET "+f.srv.URL+"/api/v3")
		if !ok {
			continue
		}
		gets++
		target, _, _ = strings.Cut(target, " ")
		target = strings.NewReplacer("REPOSITORY", "api", "DEFAULT_BRANCH", "main").Replace(target)
		if f.count("GET "+target) == 0 {
			t.Errorf("the plan names %s, which the collection never asked for", target)
		}
	}
	if gets != 10 || strings.Contains(strings.Join(plan, "\n"), f.token) {
		t.Errorf("plan: %q", plan)
	}
}

// An api_url of a GitHub Enterprise Server alone leads to its /api/v3/;
// github.com's API and a full path are taken as given.
func TestAPIURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                                    "https://api.github.com/",
		"https://ghe.example.com":             "https://ghe.example.com/api/v3/",
		"https://ghe.example.com/api/v3":      "https://ghe.example.com/api/v3/",
		"https://ghe.example.com/custom/api/": "https://ghe.example.com/custom/api/",
	} {
		s, err := read(monitor.Config{Settings: map[string]string{SettingOrg: "acme", SettingAPIURL: in}}, false)
		if err != nil || s.api.String() != want {
			t.Errorf("api_url %q: %v %v, want %s", in, s.api, err, want)
		}
	}
}
