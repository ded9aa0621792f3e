package server

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestAuditPages(t *testing.T) {
	s := newSite(t)
	csrf := s.csrf()

	code, body := s.get("/audits")
	if code != http.StatusOK || !strings.Contains(body, "No audit engagements yet") || !strings.Contains(body, `action="/audits"`) || !strings.Contains(body, `href="/audits"`) {
		t.Fatalf("empty audits page: %d\n%s", code, body)
	}
	checkCSP(t, "/audits", body)
	checkA11y(t, "/audits", body)

	// End before start: refused, with what was typed kept.
	code, body, _ = s.post("/audits", url.Values{"csrf": {csrf}, "type": {"type_2"}, "name": {"Backwards"}, "firm": {"Example LLP"},
		"period_start": {"2026-06-01"}, "period_end": {"2026-05-01"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "ends before it starts") || !strings.Contains(body, `value="Backwards"`) {
		t.Fatalf("backwards period: %d\n%s", code, body)
	}
	// A short Type II period is accepted with a warning.
	code, _, loc := s.post("/audits", url.Values{"csrf": {csrf}, "type": {"type_2"}, "name": {"SOC 2 Type II 2026"}, "firm": {"Example LLP"},
		"period_start": {"2026-02-01"}, "period_end": {"2026-03-31"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/audits/") {
		t.Fatalf("create: %d %q", code, loc)
	}
	page := strings.SplitN(loc, "?", 2)[0]
	code, body = s.get(loc)
	for _, w := range []string{"Period view", "SOC 2 Type II 2026", "Example LLP", "6 to 12", `action="` + page + `/samples"`, `action="` + page + `/auditors"`,
		"Where the engagement stands", "controls in scope", `href="` + page + `/period"`} {
		if !strings.Contains(body, w) {
			t.Errorf("engagement page lacks %q", w)
		}
	}
	if code != http.StatusOK {
		t.Fatalf("engagement page: %d", code)
	}
	checkCSP(t, page, body)
	checkA11y(t, page, body)

	// The period view is its own page: every control in scope, paged, or
	// one control, or only those with exceptions.
	code, body = s.get(page + "/period")
	for _, w := range []string{"Criteria and their controls", "ACC-02", "Exceptions", `<details class="period-control" id="ctl-ACC-02"`, `href="` + page + `/period?control=ACC-02"`} {
		if !strings.Contains(body, w) {
			t.Errorf("period view lacks %q", w)
		}
	}
	if code != http.StatusOK {
		t.Fatalf("period view: %d", code)
	}
	checkCSP(t, page+"/period", body)
	checkA11y(t, page+"/period", body)
	if _, one := s.get(page + "/period?control=ACC-02"); strings.Count(one, `<details class="period-control"`) != 1 || !strings.Contains(one, `id="ctl-ACC-02"`) {
		t.Errorf("one control: %d controls shown", strings.Count(one, `<details class="period-control"`))
	}
	if code, _ := s.get(page + "/period?control=NOPE-99"); code != http.StatusNotFound {
		t.Errorf("a control outside the scope: %d", code)
	}
	_, only := s.get(page + "/period?only=exceptions")
	if n := strings.Count(only, `<details class="period-control"`); n == 0 {
		t.Errorf("only the controls with exceptions: %d shown", n)
	}
	if strings.Contains(only, `<span class="badge badge-met">no exceptions</span>`) {
		t.Errorf("only the controls with exceptions lists one without")
	}

	// An exception's button names it by control and position; the text of
	// the corrective action is read again from the period, and a position
	// the period does not have is refused.
	button := regexp.MustCompile(`form="ca-new" name="exception" value="([A-Z0-9-]+)#0"`).FindStringSubmatch(body)
	if button == nil {
		t.Fatalf("no exception button on the period view")
	}
	if code, body, loc := s.post(page+"/corrective-actions", url.Values{"csrf": {csrf}, "exception": {button[1] + "#0"}}); code != http.StatusSeeOther || !strings.Contains(loc, "flash=created") {
		t.Fatalf("corrective action from an exception: %d %q\n%s", code, loc, body)
	}
	if _, list := s.get("/corrective-actions"); !strings.Contains(list, " from ") || !strings.Contains(list, button[1]) {
		t.Errorf("the corrective action does not carry the exception")
	}
	if code, _, _ := s.post(page+"/corrective-actions", url.Values{"csrf": {csrf}, "exception": {button[1] + "#999"}}); code != http.StatusBadRequest {
		t.Errorf("a position the period does not have: %d", code)
	}

	// Draw a sample through the form.
	if code, body, _ := s.post(page+"/samples", url.Values{"csrf": {csrf}, "population": {"changes"}, "size": {"2"}, "seed": {"42"}}); code != http.StatusSeeOther {
		t.Fatalf("sample: %d\n%s", code, body)
	}
	if code, body, _ := s.post(page+"/samples", url.Values{"csrf": {csrf}, "population": {"changes"}, "size": {"0"}}); code != http.StatusBadRequest || !strings.Contains(body, "sample size") {
		t.Fatalf("bad sample: %d", code)
	}
	// No size: the usual size for the population.
	if code, body, _ := s.post(page+"/samples", url.Values{"csrf": {csrf}, "population": {"changes"}, "size": {""}}); code != http.StatusSeeOther {
		t.Fatalf("sample of the usual size: %d\n%s", code, body)
	}
	if _, body := s.get(page); !regexp.MustCompile(`<strong class="tabular">2</strong> samples drawn`).MatchString(body) {
		t.Errorf("the summary does not count the two samples")
	}
	// Invite an auditor until 10 March.
	if code, body, _ := s.post(page+"/auditors", url.Values{"csrf": {csrf}, "email": {"ann@audit.example"}, "name": {"Ann Auditor"},
		"password": {adminPassword}, "expires_at": {"2026-03-10"}}); code != http.StatusSeeOther {
		t.Fatalf("invite: %d\n%s", code, body)
	}
	code, body = s.get(page)
	if !strings.Contains(body, "Ann Auditor") || !strings.Contains(body, "seed") || !strings.Contains(body, "42") {
		t.Errorf("engagement page after sample and invitation: %d\n%s", code, body)
	}
	checkA11y(t, page+" (with samples)", body)

	// The auditor signs in and reaches only the engagement and what it links to.
	s.post("/logout", url.Values{"csrf": {csrf}})
	if code, body, _ := s.post("/login", url.Values{"email": {"ann@audit.example"}, "password": {adminPassword}}); code != http.StatusSeeOther {
		t.Fatalf("auditor sign in: %d\n%s", code, body)
	}
	// Signing in leads to the engagement; what lies outside it is not there.
	if code, _ := s.get("/"); code != http.StatusSeeOther {
		t.Errorf("limited auditor GET /: %d, want a redirect to the engagement", code)
	}
	if resp, err := s.client.Get(s.srv.URL + "/"); err != nil {
		t.Fatal(err)
	} else if resp.Body.Close(); resp.Header.Get("Location") != page {
		t.Errorf("limited auditor GET / leads to %q, want %s", resp.Header.Get("Location"), page)
	}
	for path, want := range map[string]int{page: 200, "/controls/ACC-02": 200, "/criteria/CC6.1": 200, "/audits": 200, "/controls": 200,
		"/scope": 404, "/settings/users": 404, "/audits/999": 404, "/people": 404, "/upcoming": 404} {
		code, body := s.get(path)
		if code != want {
			t.Errorf("limited auditor GET %s: %d, want %d", path, code, want)
		}
		if code == 404 && strings.Contains(body, "limited to audit engagement") {
			t.Errorf("limited auditor GET %s: the 404 confirms a limit", path)
		}
	}
	if _, body := s.get(page); !strings.Contains(body, `href="`+page+`"`) {
		t.Errorf("the auditor's Audits link does not lead to their engagement")
	}
}
