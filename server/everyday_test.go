package server

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// checkboxOutsideRow finds a checkbox that is not the first child of a
// check-row, where it would sit above its label.
var checkboxRE = regexp.MustCompile(`(?s)(<div class="check-row">\s*)?<input id="([^"]+)"[^>]*type="checkbox"`)

func checkboxesInRows(t *testing.T, path, body string, ids ...string) {
	t.Helper()
	rowed := map[string]bool{}
	for _, m := range checkboxRE.FindAllStringSubmatch(body, -1) {
		rowed[m[2]] = m[1] != ""
	}
	for _, id := range ids {
		in, seen := rowed[id]
		if !seen {
			t.Errorf("%s has no checkbox %s", path, id)
		} else if !in {
			t.Errorf("%s: checkbox %s is not in a check-row, so it sits above its label", path, id)
		}
	}
}

// TestCheckboxesShareARowWithTheirLabels covers the incident, training and
// policy-settings forms.
func TestCheckboxesShareARowWithTheirLabels(t *testing.T) {
	s := newSite(t)
	_, body := s.get("/incidents")
	checkboxesInRows(t, "/incidents", body, "in-personal", "in-customer", "in-exercise")
	_, body = s.get("/training")
	checkboxesInRows(t, "/training", body, "c-hire", "c-sec")
	code, body, loc := s.post("/policies", url.Values{"csrf": {s.csrf()}, "template_id": {"acceptable-use"}, "owner_id": {itoa(s.admin.ID)}, "review_months": {"12"}})
	if code != http.StatusSeeOther {
		t.Fatalf("adopt: %d\n%s", code, body)
	}
	path := strings.Split(loc, "?")[0]
	_, body = s.get(path)
	checkboxesInRows(t, path, body, "ps-type-employee", "ps-type-contractor")
}

// TestVendorDueNowIsOverdueOnUpcoming: a vendor /vendors calls "Due now"
// (never reviewed, added today) is overdue on Upcoming, not due soon.
func TestVendorDueNowIsOverdueOnUpcoming(t *testing.T) {
	s := newSite(t)
	code, body, _ := s.post("/vendors", url.Values{"csrf": {s.csrf()}, "name": {"Cloud Host"}, "classification": {"restricted"},
		"criticality": {"high"}, "owner_id": {itoa(s.admin.ID)}})
	if code != http.StatusSeeOther {
		t.Fatalf("add vendor: %d\n%s", code, body)
	}
	if _, body := s.get("/vendors"); !strings.Contains(body, "Due now") {
		t.Fatalf("/vendors does not say the review is due now")
	}
	_, body = s.get("/upcoming")
	overdue, soon, ok := strings.Cut(body, `id="soon-title"`)
	if !ok {
		t.Fatalf("/upcoming has no due-soon section\n%s", body)
	}
	if !strings.Contains(overdue, "Vendor review: Cloud Host") || strings.Contains(soon, "Vendor review: Cloud Host") {
		t.Error("a vendor review due now is not listed as overdue on /upcoming")
	}
}

var countRE = regexp.MustCompile(`<strong class="tabular">(\d+)</strong> control`)

func controlCount(t *testing.T, s *site, path string) (int, string) {
	t.Helper()
	code, body := s.get(path)
	m := countRE.FindStringSubmatch(body)
	if code != http.StatusOK || m == nil {
		t.Fatalf("GET %s: %d, no count\n%s", path, code, body)
	}
	n, _ := strconv.Atoi(m[1])
	return n, body
}

// TestControlsListInScopeStatesAndBulkOwner: "All in scope" lists only the
// controls the dashboard counts, each row shows its checks and evidence,
// and ticking controls and choosing an owner sets it on each, one ledgered
// update per control.
func TestControlsListInScopeStatesAndBulkOwner(t *testing.T) {
	s := newSite(t)
	inScope, body := controlCount(t, s, "/controls?q=privacy+notice")
	all, allBody := controlCount(t, s, "/controls?q=privacy+notice&category=all")
	if strings.Contains(body, `href="/controls/PRV-01"`) || !strings.Contains(allBody, `href="/controls/PRV-01"`) || inScope >= all {
		t.Errorf("Privacy is out of scope: PRV-01 in scope list %v, in the whole list %v (%d, %d)",
			strings.Contains(body, "PRV-01"), strings.Contains(allBody, "PRV-01"), inScope, all)
	}
	if !strings.Contains(allBody, `<option value="all" selected>`) {
		t.Error("the category select does not keep \"all\"")
	}
	n, body := controlCount(t, s, "/controls")
	for _, w := range []string{">Tests</th>", ">Evidence</th>", "No checks", `name="ids" value="ACC-01"`, `action="/controls/owner"`} {
		if !strings.Contains(body, w) {
			t.Errorf("/controls lacks %q", w)
		}
	}
	checkA11y(t, "/controls", body)
	checkCSP(t, "/controls", body)
	// The in-scope count is the dashboard's: the controls mapped to a criterion in scope.
	ctx := context.Background()
	os := s.db.Org(s.org.ID)
	every, err := os.Controls(ctx, assay.ControlFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, c := range every {
		for _, cr := range c.Criteria {
			if !strings.HasPrefix(cr, "P") && !strings.HasPrefix(cr, "C1") && !strings.HasPrefix(cr, "PI") {
				want++
				break
			}
		}
	}
	if n != want || n >= len(every) {
		t.Errorf("/controls lists %d controls; %d of %d are in scope", n, want, len(every))
	}

	// Evidence shows as current once attached.
	code, body, _ := s.upload("/evidence", part{"csrf", s.csrf(), ""}, part{"kind", "file", ""}, part{"title", "MFA export", ""},
		part{"controls", "ACC-01", ""}, part{"file", "user,mfa\nsam,on\n", "mfa.csv"})
	if code != http.StatusSeeOther {
		t.Fatalf("add evidence: %d\n%s", code, body)
	}
	if _, body := controlCount(t, s, "/controls?q=ACC-01"); !strings.Contains(body, `state-current`) && !strings.Contains(body, `state-expiring`) {
		t.Error("ACC-01's evidence is not shown as current")
	}

	before, _ := os.Activity(ctx, assay.ActivityFilter{Action: "control.update"})
	code, body, loc := s.post("/controls/owner", url.Values{"csrf": {s.csrf()}, "ids": {"ACC-01", "ACC-02"}, "owner_id": {itoa(s.member.ID)}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/controls") {
		t.Fatalf("bulk owner: %d %q\n%s", code, loc, body)
	}
	for _, id := range []string{"ACC-01", "ACC-02"} {
		c, err := os.Control(ctx, id)
		if err != nil || c.OwnerID != s.member.ID {
			t.Errorf("%s owner %d after the bulk form, want %d (%v)", id, c.OwnerID, s.member.ID, err)
		}
	}
	after, _ := os.Activity(ctx, assay.ActivityFilter{Action: "control.update"})
	if len(after)-len(before) != 2 {
		t.Errorf("the bulk form wrote %d control updates, want 2", len(after)-len(before))
	}
	// An unknown control changes nothing: not even the known one.
	code, _, _ = s.post("/controls/owner", url.Values{"csrf": {s.csrf()}, "ids": {"ACC-03", "NOPE-99"}, "owner_id": {itoa(s.member.ID)}})
	if c, _ := os.Control(ctx, "ACC-03"); code < 400 || c.OwnerID == s.member.ID {
		t.Errorf("bulk owner with an unknown control: %d, ACC-03 owner %d", code, c.OwnerID)
	}
	if code, _, _ := s.post("/controls/owner", url.Values{"csrf": {s.csrf()}, "owner_id": {itoa(s.member.ID)}}); code != http.StatusBadRequest {
		t.Errorf("bulk owner with no control ticked: %d, want 400", code)
	}
}

// TestCorrectiveActionsSourcesAndForm: the Source column names where an
// action came from and links to it, never an internal key, and the status
// form has room for its values.
func TestCorrectiveActionsSourcesAndForm(t *testing.T) {
	s := newSite(t)
	code, body, _ := s.post("/corrective-actions/import", url.Values{"csrf": {s.csrf()}, "csv": {"title,action,due_date,owner_email,source,source_ref\n" +
		"Remove Max,Remove the account,2026-05-01,sam@example.com,access_review,access-review:1/Okta/Max Weber\n" +
		"Fix TLS,Raise the minimum,2026-05-01,sam@example.com,failing_check,finding:2\n" +
		"Exception,Fix the gap,2026-05-01,sam@example.com,audit_exception,Audit 3 (SOC 2) / ACC-01\n"}})
	if code != http.StatusSeeOther {
		t.Fatalf("import: %d\n%s", code, body)
	}
	code, body = s.get("/corrective-actions")
	if code != http.StatusOK {
		t.Fatalf("corrective actions: %d", code)
	}
	for _, w := range []string{`<a href="/access-reviews/1">Access review 1: Okta, Max Weber</a>`, "A monitoring finding", `<a href="/audits/3">Audit 3 (SOC 2) / ACC-01</a>`,
		`class="ca-form"`, `class="col-ca-status"`} {
		if !strings.Contains(body, w) {
			t.Errorf("/corrective-actions lacks %q", w)
		}
	}
	for _, w := range []string{"access-review:1/", "finding:2"} {
		if strings.Contains(body, w) {
			t.Errorf("/corrective-actions shows the internal key %q", w)
		}
	}
	checkA11y(t, "/corrective-actions", body)
	checkCSP(t, "/corrective-actions", body)
}

// TestIncidentFormDefaultsAndSteps: the report form starts at now (the
// clock's), and the Step select offers only the moves the incident's state
// allows: none once resolved.
func TestIncidentFormDefaultsAndSteps(t *testing.T) {
	s := newSite(t)
	_, body := s.get("/incidents")
	for _, w := range []string{`name="occurred_at" type="datetime-local" required value="2026-03-02T09:30"`, `name="detected_at" type="datetime-local" required value="2026-03-02T09:30"`} {
		if !strings.Contains(body, w) {
			t.Errorf("/incidents lacks %s", w)
		}
	}
	csrf := s.csrf()
	code, body, loc := s.post("/incidents", url.Values{"csrf": {csrf}, "title": {"Lost laptop"}, "occurred_at": {"2026-03-01T08:00"}, "detected_at": {"2026-03-01T09:00"}})
	if code != http.StatusSeeOther {
		t.Fatalf("report: %d\n%s", code, body)
	}
	path := strings.Split(loc, "?")[0]
	steps := func() []string {
		_, body := s.get(path)
		sel, _, _ := strings.Cut(body[max(strings.Index(body, `id="mv-status"`), 0):], "</select>")
		var out []string
		for _, m := range regexp.MustCompile(`<option value="([a-z]+)"`).FindAllStringSubmatch(sel, -1) {
			out = append(out, m[1])
		}
		return out
	}
	for _, c := range []struct {
		move url.Values
		want string
	}{
		{nil, "triaged"},
		{url.Values{"status": {"triaged"}, "severity": {"SEV3"}}, "triaged contained"},
		{url.Values{"status": {"contained"}}, "triaged resolved"},
		{url.Values{"status": {"resolved"}}, ""},
	} {
		if c.move != nil {
			c.move.Set("csrf", csrf)
			if code, body, _ := s.post(path+"/move", c.move); code != http.StatusSeeOther {
				t.Fatalf("move %v: %d\n%s", c.move, code, body)
			}
		}
		if got := strings.Join(steps(), " "); got != c.want {
			t.Errorf("after %v the Step select offers %q, want %q", c.move.Get("status"), got, c.want)
		}
	}
	if _, body := s.get(path); !strings.Contains(body, "record the post-incident review to close it") {
		t.Error("a resolved incident's page does not say what comes next")
	}
}

// TestPolicyDraftPreviewSaysWhenItTakesEffect: a draft's page and preview
// say "the date it is published", never the literal placeholder.
func TestPolicyDraftPreviewSaysWhenItTakesEffect(t *testing.T) {
	s := newSite(t)
	csrf := s.csrf()
	code, body, loc := s.post("/policies", url.Values{"csrf": {csrf}, "template_id": {"acceptable-use"}, "owner_id": {itoa(s.admin.ID)}, "review_months": {"12"}})
	if code != http.StatusSeeOther {
		t.Fatalf("adopt: %d\n%s", code, body)
	}
	path := strings.Split(loc, "?")[0]
	_, page := s.get(path)
	_, preview, _ := s.post(path+"/preview", url.Values{"csrf": {csrf}, "body": {"Effective {{effective_date}} at {{company}}."}})
	_, preview, _ = strings.Cut(preview, `id="policy-preview"`) // the form above keeps the text as typed
	_, page, _ = strings.Cut(page, "</form>")                   // the settings form precedes the body
	for name, body := range map[string]string{"draft page": page, "preview": preview} {
		if strings.Contains(body, "{{effective_date}}") || !strings.Contains(body, "the date it is published") {
			t.Errorf("the %s shows the placeholder rather than when the policy takes effect", name)
		}
	}
}

// TestAuditFormLabelsEachTypesDates: without scripts both sets of dates
// show, each labelled with the type it is for, and marked for app.js to
// show only the chosen type's.
func TestAuditFormLabelsEachTypesDates(t *testing.T) {
	s := newSite(t)
	_, body := s.get("/audits")
	for _, w := range []string{"data-audit-type-select", `data-audit-type="type_1"`, `data-audit-type="type_2"`, "As of (Type I only)", "Period start (Type II only)", "Period end (Type II only)"} {
		if !strings.Contains(body, w) {
			t.Errorf("/audits lacks %q", w)
		}
	}
}

// TestMonitoringListsChecksWithDataFirst: the checks the configured sources
// feed are listed; those without data wait behind the Show filter; the
// search box says what it searches.
func TestMonitoringListsChecksWithDataFirst(t *testing.T) {
	s := newMonitorSite(t)
	src := s.history()
	_, body := s.get("/monitoring")
	if !strings.Contains(body, "tf-s3-bucket-encrypted") || strings.Contains(body, `href="/monitoring/checks/http-hsts-enabled"`) {
		t.Error("/monitoring does not list the checks with data alone")
	}
	for _, w := range []string{"without data from your sources are hidden", `<option value="all">Every check, without data too</option>`, "by id, title or resource kind"} {
		if !strings.Contains(body, w) {
			t.Errorf("/monitoring lacks %q", w)
		}
	}
	for _, path := range []string{"/monitoring?show=all&q=hsts", "/monitoring?status=no_data&q=hsts"} {
		if _, body := s.get(path); !strings.Contains(body, `href="/monitoring/checks/http-hsts-enabled"`) || strings.Contains(body, "are hidden") {
			t.Errorf("%s does not list the check without data", path)
		}
	}
	// The controls list shows what those checks say of each control.
	if _, body := s.get("/controls?q=CRY-01"); !strings.Contains(body, `<span class="badge badge-met">Passing</span>`) {
		t.Errorf("/controls does not show CRY-01's checks passing:\n%s", grepLines(body, "col-tests"))
	}
	// A failing run now makes the control's checks failing.
	s.clock.Set(s.clock.T.Add(time.Hour))
	run := assay.MonitorRun{SourceID: src.ID, Trigger: assay.TriggerImport, StartedAt: s.clock.T, EndedAt: s.clock.T, Status: assay.RunOK}
	res := assay.CheckResult{CheckID: "tf-s3-bucket-encrypted", ResourceKind: "terraform.aws_s3_bucket", ResourceID: "aws_s3_bucket.logs",
		ResourceName: "aws_s3_bucket.logs", Status: assay.CheckFail, Reason: "Bucket aws_s3_bucket.logs stores objects unencrypted"}
	meta := map[string]store.CheckMeta{"tf-s3-bucket-encrypted": {Severity: assay.SeverityHigh, Controls: []string{"CRY-01"}}}
	if _, _, err := s.os.RecordRun(context.Background(), assay.SystemActor, run, []assay.CheckResult{res}, meta); err != nil {
		t.Fatal(err)
	}
	if _, body := s.get("/controls?q=CRY-01"); !regexp.MustCompile(`<span class="badge badge-unmet">1 of \d+ failing</span>`).MatchString(body) {
		t.Errorf("/controls does not show CRY-01's check failing:\n%s", grepLines(body, "col-tests"))
	}
	_, every := s.get("/monitoring?show=all")
	if h := strings.Index(every, "http-hsts-enabled"); strings.Index(every, "tf-s3-bucket-encrypted") < 0 || (h >= 0 && h < strings.Index(every, "tf-s3-bucket-encrypted")) {
		t.Error("with every check shown, those with data do not come first")
	}
}

// TestEmployeeReportsAnIncidentFromThePortal: the portal has a small
// report form; what an employee sends is an incident the admins see.
func TestEmployeeReportsAnIncidentFromThePortal(t *testing.T) {
	s := newSite(t)
	if code, body, _ := s.post("/settings/users", url.Values{"csrf": {s.csrf()}, "email": {"ella@example.com"}, "name": {"Ella"},
		"role": {"employee"}, "password": {adminPassword}}); code != http.StatusSeeOther {
		t.Fatalf("add employee: %d\n%s", code, body)
	}
	if code, body, _ := s.post("/people", url.Values{"csrf": {s.csrf()}, "name": {"Ella"}, "email": {"ella@example.com"}, "start_date": {"2026-01-05"}}); code != http.StatusSeeOther {
		t.Fatalf("add Ella to the roster: %d\n%s", code, body)
	}
	admin := s.client
	jar, _ := cookiejar.New(nil)
	s.client = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if code, _, _ := s.post("/login", url.Values{"email": {"ella@example.com"}, "password": {adminPassword}}); code != http.StatusSeeOther {
		t.Fatalf("employee sign in: %d", code)
	}
	_, body := s.get("/portal")
	m := csrfRE.FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, `action="/portal/incidents"`) || !strings.Contains(body, `value="2026-03-02T09:30"`) {
		t.Fatalf("the portal has no incident form starting at now\n%s", body)
	}
	checkA11y(t, "/portal", body)
	if code, body, _ := s.post("/portal/incidents", url.Values{"csrf": {m[1]}, "title": {""}}); code != http.StatusBadRequest || !strings.Contains(body, "Give the incident a title") {
		t.Errorf("a report without a title: %d", code)
	}
	code, body, loc := s.post("/portal/incidents", url.Values{"csrf": {m[1]}, "title": {"Phishing email clicked"}, "description": {"I entered my password."},
		"noticed_at": {"2026-03-02T08:15"}})
	if code != http.StatusSeeOther || loc != "/portal?flash=incident" {
		t.Fatalf("report from the portal: %d %q\n%s", code, loc, body)
	}
	if _, body := s.get(loc); !strings.Contains(body, "Incident reported") {
		t.Error("the portal does not confirm the report")
	}
	s.client = admin
	if _, body := s.get("/incidents"); !strings.Contains(body, "Phishing email clicked") {
		t.Error("the admin does not see the incident reported from the portal")
	}
}

// TestIncidentOwner: an admin gives an incident an owner (an admin or
// member), ledgered, shown on its page and in the list; nobody else may.
func TestIncidentOwner(t *testing.T) {
	s := newSite(t)
	csrf := s.csrf()
	code, body, loc := s.post("/incidents", url.Values{"csrf": {csrf}, "title": {"Lost laptop"}, "occurred_at": {"2026-03-01T08:00"}, "detected_at": {"2026-03-01T09:00"}})
	if code != http.StatusSeeOther {
		t.Fatalf("report: %d\n%s", code, body)
	}
	path := strings.Split(loc, "?")[0]
	if _, body := s.get(path); !strings.Contains(body, `action="`+path+`/owner"`) || !strings.Contains(body, "Nobody yet") {
		t.Fatal("the incident page has no owner form")
	}
	if code, body, _ := s.post(path+"/owner", url.Values{"csrf": {csrf}, "owner_id": {itoa(s.member.ID)}}); code != http.StatusSeeOther {
		t.Fatalf("set owner: %d\n%s", code, body)
	}
	_, body = s.get(path)
	if !regexp.MustCompile(`<option value="` + itoa(s.member.ID) + `" selected>Sam Okafor</option>`).MatchString(body) {
		t.Error("the incident page does not show its owner")
	}
	if _, list := s.get("/incidents"); !strings.Contains(list, "Sam Okafor") {
		t.Error("the incident list does not show the owner")
	}
	acts, err := s.db.Org(s.org.ID).Activity(context.Background(), assay.ActivityFilter{Action: "incident.owner"})
	if err != nil || len(acts) != 1 || !strings.Contains(acts[0].Summary, "owner → Sam Okafor") {
		t.Errorf("the owner change is not in the trail: %+v %v", acts, err)
	}
	if code, _, _ := s.post(path+"/owner", url.Values{"csrf": {csrf}, "owner_id": {"999"}}); code != http.StatusBadRequest {
		t.Errorf("an unknown owner: %d, want 400", code)
	}
	// The API sets and clears it too.
	api := "/api/v1" + path + "/owner"
	if code, body := s.apiCall(http.MethodPost, api, "application/json", `{"owner_id": 0}`); code != http.StatusOK || strings.Contains(body, `"owner_name"`) {
		t.Errorf("clear the owner through the API: %d %s", code, body)
	}
	if code, body := s.apiCall(http.MethodPost, api, "application/json", `{"owner_id": `+itoa(s.admin.ID)+`}`); code != http.StatusOK || !strings.Contains(body, `"owner_name": "Dana Reyes"`) {
		t.Errorf("set the owner through the API: %d %s", code, body)
	}
	if code, _ := s.apiCall(http.MethodPost, api, "application/json", `{}`); code != http.StatusBadRequest {
		t.Errorf("an API call without owner_id: %d, want 400", code)
	}
}
