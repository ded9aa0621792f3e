package server

import (
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/internal/smtptest"
	"github.com/assay-platform/assay/monitor/alert"
)

// digestSite is a site whose services send reminder digests through a
// real SMTP server; two App values over one database stand for two servers.
type digestSite struct {
	*site
	smtp   *smtptest.Server
	app    *app.App
	second *app.App
}

func newDigestSite(t *testing.T) *digestSite {
	s := newSite(t)
	ctx := context.Background()
	box := testSecrets(t)
	cat := catalog.MustDefault()
	mk := func() *app.App {
		n := &alert.Notifier{Store: s.db, Box: box, Clock: s.clock, BaseURL: "https://assay.example.test", Backoff: func(int) time.Duration { return time.Millisecond }}
		a, err := app.New(app.Config{Store: s.db, Clock: s.clock, Criteria: cat.DomainCriteria(), Checks: catalog.LibraryCheckList, PasswordParams: fastParams})
		if err != nil {
			t.Fatal(err)
		}
		return a.WithSecrets(box).WithAlerts(n)
	}
	mail := smtptest.Start(t)
	n := &alert.Notifier{Store: s.db, Box: box, Clock: s.clock}
	if _, err := n.CreateChannel(ctx, s.db.Org(s.org.ID), assay.Actor{Name: "test", Via: "system"}, assay.NewAlertChannel{
		Kind: assay.AlertEmail, Name: "Mail", Enabled: true,
		Settings: map[string]string{"host": mail.Host, "port": mail.Port, "tls": "none", "from": "assay@example.test", "to": "security@example.test"},
	}, nil); err != nil {
		t.Fatal(err)
	}
	a := mk()
	srv, err := New(Config{Store: s.db, Criteria: cat.DomainCriteria(), Clock: s.clock, NewOrgControls: cat.LibraryControls,
		PasswordParams: fastParams, Blobs: testBlobs(t), Secrets: box, App: a})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	s.srv = hs
	jar, _ := cookiejar.New(nil)
	s.client = &http.Client{Jar: jar, CheckRedirect: s.client.CheckRedirect}
	return &digestSite{site: s, smtp: mail, app: a, second: mk()}
}

// digestMail is one received digest, decoded.
type digestMail struct {
	to, subject, text, html string
	header                  mail.Header
}

func readDigest(t *testing.T, raw []byte) digestMail {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("content type %q: %v", m.Header.Get("Content-Type"), err)
	}
	out := digestMail{to: m.Header.Get("To"), subject: m.Header.Get("Subject"), header: m.Header}
	r := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p) // multipart decodes quoted-printable
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
			out.html = string(b)
		} else {
			out.text = string(b)
		}
	}
	return out
}

var unsubRE = regexp.MustCompile(`Stop reminders about Training: (https://assay\.example\.test(/unsubscribe\?t=[^\s]+))`)

// TestReminderDigestEndToEnd: at the organisation's local hour each person
// gets one multipart e-mail of their own items (an employee their
// training, an owner their corrective actions and evidence; an auditor
// nothing), once per period even with two schedulers on one database; the
// per-kind link unsubscribes without signing in (GET asks, POST does) and
// a tampered link changes nothing.
func TestReminderDigestEndToEnd(t *testing.T) {
	d := newDigestSite(t)
	ctx := context.Background()
	os := d.db.Org(d.org.ID)
	sys := assay.Actor{Name: "test", Via: "system"}
	hash, _ := auth.HashPassword(adminPassword, fastParams)
	erin, err := os.CreateUser(ctx, sys, assay.NewUser{Email: "erin@example.com", Name: "Erin Voss", Role: assay.RoleEmployee, Password: adminPassword}, hash)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.CreateUser(ctx, sys, assay.NewUser{Email: "audra@example.com", Name: "Audra Kim", Role: assay.RoleAuditor, Password: adminPassword}, hash); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	person, err := os.CreatePerson(ctx, sys, assay.NewPerson{Name: "Erin Voss", Email: "erin@example.com", StartDate: &start})
	if err != nil {
		t.Fatal(err)
	}
	gone := time.Date(2026, 1, 30, 0, 0, 0, 0, time.UTC)
	if _, err := os.CreateUser(ctx, sys, assay.NewUser{Email: "olaf@example.com", Name: "Olaf Left", Role: assay.RoleEmployee, Password: adminPassword}, hash); err != nil {
		t.Fatal(err)
	}
	olaf, err := os.CreatePerson(ctx, sys, assay.NewPerson{Name: "Olaf Left", Email: "olaf@example.com", StartDate: &start, EndDate: &gone})
	if err != nil {
		t.Fatal(err)
	}
	course, err := os.CreateCourse(ctx, sys, assay.NewCourse{Name: "Security awareness 2026", Attestation: "I completed it."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.AssignTraining(ctx, sys, assay.NewAssignment{CourseID: course.ID, PersonIDs: []int64{person.ID, olaf.ID}, Due: time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.CreateCorrectiveAction(ctx, sys, assay.NewCorrectiveAction{Source: assay.SourceManual, Title: "Rotate the deploy key", Action: "Rotate it.",
		OwnerID: d.member.ID, DueDate: time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	ctl := "ACC-01"
	owner := d.member.ID
	if _, err := os.UpdateControl(ctx, sys, ctl, assay.ControlPatch{OwnerID: &owner}); err != nil {
		t.Fatal(err)
	}
	collected := time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)
	if _, err := os.CreateEvidence(ctx, sys, assay.NewEvidence{Kind: assay.EvidenceNote, Title: "MFA enforcement screenshot", NoteText: "All accounts use MFA.",
		CollectedAt: &collected, ValidDays: 365, Controls: []string{ctl}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.UpdateDigestSettings(ctx, sys, assay.DigestSettings{Frequency: assay.DigestDaily, Hour: 8, Timezone: "America/New_York"}); err != nil {
		t.Fatal(err)
	}

	// 2026-03-02 09:30 UTC is 04:30 in New York: not yet.
	if run, err := d.app.SendDueDigests(ctx); err != nil || run.Sent != 0 || len(d.smtp.Mails()) != 0 {
		t.Fatalf("before the hour: %+v, %v, %d mails", run, err, len(d.smtp.Mails()))
	}
	d.clock.T = time.Date(2026, 3, 2, 13, 5, 0, 0, time.UTC) // 08:05 EST
	done := make(chan app.DigestRun, 2)
	for _, a := range []*app.App{d.app, d.second} {
		go func() {
			run, err := a.SendDueDigests(ctx)
			if err != nil {
				t.Errorf("send: %v", err)
			}
			done <- run
		}()
	}
	r1, r2 := <-done, <-done
	if r1.Sent+r2.Sent != 2 {
		t.Fatalf("two schedulers sent %d and %d digests, want 2 in all", r1.Sent, r2.Sent)
	}
	mails := map[string]digestMail{}
	for _, raw := range d.smtp.Mails() {
		m := readDigest(t, raw.Data)
		if _, dup := mails[m.to]; dup {
			t.Fatalf("%s got two digests", m.to)
		}
		mails[m.to] = m
	}
	if len(mails) != 2 {
		t.Fatalf("mails to %v, want Erin and Sam (not the admin with nothing, the auditor, or Olaf who left)", mails)
	}
	var erinMail, samMail digestMail
	for to, m := range mails {
		switch {
		case strings.Contains(to, "erin@example.com"):
			erinMail = m
		case strings.Contains(to, "sam@example.com"):
			samMail = m
		default:
			t.Fatalf("unexpected digest to %s", to)
		}
	}
	if !strings.Contains(erinMail.text, "Training: Security awareness 2026 (due Tue 10 Mar 2026)") || strings.Contains(erinMail.text, "Rotate the deploy key") ||
		!strings.Contains(erinMail.html, `<a href="https://assay.example.test/portal">Training: Security awareness 2026</a>`) {
		t.Fatalf("Erin's digest:\n%s\n%s", erinMail.text, erinMail.html)
	}
	ca := strings.Index(samMail.text, "Corrective actions")
	ev := strings.Index(samMail.text, "Evidence to renew: MFA enforcement screenshot (ACC-01) (due Tue 10 Mar 2026)")
	if ca < 0 || ev < 0 || ev > ca || !strings.Contains(samMail.text, "Corrective action: Rotate the deploy key (overdue since 20 Feb 2026)") ||
		strings.Contains(samMail.text, "Security awareness") || samMail.subject != "Your reminders: 1 overdue, 1 due" {
		t.Fatalf("Sam's digest (%q):\n%s", samMail.subject, samMail.text)
	}
	lu := erinMail.header.Get("List-Unsubscribe")
	if !strings.HasPrefix(lu, "<https://assay.example.test/unsubscribe?t=") || erinMail.header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Fatalf("headers: %v", erinMail.header)
	}
	// Later that day, and on a restart, nothing is sent again.
	d.clock.T = d.clock.T.Add(3 * time.Hour)
	if run, err := d.second.SendDueDigests(ctx); err != nil || run.Sent != 0 || len(d.smtp.Mails()) != 2 {
		t.Fatalf("second pass: %+v, %v", run, err)
	}

	// Erin's training link: GET asks, changes nothing; a tampered link is refused.
	m := unsubRE.FindStringSubmatch(erinMail.text)
	if m == nil {
		t.Fatalf("no training unsubscribe link:\n%s", erinMail.text)
	}
	anon := *d.site
	jar, _ := cookiejar.New(nil)
	anon.client = &http.Client{Jar: jar, CheckRedirect: d.client.CheckRedirect}
	code, body := anon.get(m[2])
	if code != 200 || !strings.Contains(body, "Stop reminders about training for <strong>erin@example.com</strong>?") {
		t.Fatalf("GET unsubscribe: %d\n%s", code, body)
	}
	if p, _ := os.DigestPrefs(ctx, erin.ID); p.UpdatedAt != nil {
		t.Fatalf("GET changed the preferences: %+v", p)
	}
	tok, _ := url.QueryUnescape(strings.TrimPrefix(m[2], "/unsubscribe?t="))
	payload, sig, _ := strings.Cut(tok, ".")
	for _, bad := range []string{payload + "." + sig[:len(sig)-2] + "AA", "MS4xLmFsbA." + sig, "garbage", ""} {
		code, body, _ := anon.post("/unsubscribe?t="+url.QueryEscape(bad), url.Values{"List-Unsubscribe": {"One-Click"}})
		if code != http.StatusBadRequest || !strings.Contains(body, "This unsubscribe link is not valid") {
			t.Fatalf("tampered link %q: %d\n%s", bad, code, body)
		}
	}
	if p, _ := os.DigestPrefs(ctx, erin.ID); p.UpdatedAt != nil {
		t.Fatalf("a tampered link changed the preferences: %+v", p)
	}
	code, body, _ = anon.post(m[2], url.Values{"List-Unsubscribe": {"One-Click"}})
	if code != 200 || !strings.Contains(body, "erin@example.com no longer gets reminders about training") {
		t.Fatalf("POST unsubscribe: %d\n%s", code, body)
	}
	if p, _ := os.DigestPrefs(ctx, erin.ID); len(p.OptOut) != 1 || p.OptOut[0] != assay.DigestTraining || p.Frequency != "" {
		t.Fatalf("after unsubscribing: %+v", p)
	}
	acts, _ := os.Activity(ctx, assay.ActivityFilter{})
	found := false
	for _, a := range acts {
		found = found || (a.Action == "digest_prefs.update" && a.Actor.Name == "Erin Voss")
	}
	if !found {
		t.Fatal("the unsubscribe is not in the trail as Erin's change")
	}
	// The next day Erin has nothing left to be reminded of; Sam still does.
	d.clock.T = time.Date(2026, 3, 3, 13, 5, 0, 0, time.UTC)
	if run, err := d.app.SendDueDigests(ctx); err != nil || run.Sent != 1 {
		t.Fatalf("next day: %+v, %v", run, err)
	}
	if last := readDigest(t, d.smtp.Mails()[2].Data); !strings.Contains(last.to, "sam@example.com") {
		t.Fatalf("next day's digest went to %s", last.to)
	}

	// One's own choices, on their page; the organisation's defaults are an admin's.
	if code, body, _ := d.post("/login", url.Values{"email": {"erin@example.com"}, "password": {adminPassword}}); code != http.StatusSeeOther {
		t.Fatalf("sign in as Erin: %d\n%s", code, body)
	}
	code, body = d.get("/account/reminders")
	if code != 200 || !strings.Contains(body, `id="want-training" type="checkbox" name="want" value="training">`) {
		t.Fatalf("own reminders page: %d\n%s", code, body)
	}
	code, body, _ = d.post("/account/reminders", url.Values{"csrf": {csrfRE.FindStringSubmatch(body)[1]}, "frequency": {"weekly"}, "weekday": {"5"}, "want": {"training", "policies"}})
	if code != http.StatusSeeOther {
		t.Fatalf("save own reminders: %d\n%s", code, body)
	}
	if p, _ := os.DigestPrefs(ctx, erin.ID); p.Frequency != assay.DigestWeekly || p.Weekday == nil || *p.Weekday != time.Friday || len(p.OptOut) != len(assay.DigestKinds)-2 {
		t.Fatalf("saved: %+v", p)
	}
	if code, _ := d.get("/settings/reminders"); code != http.StatusForbidden {
		t.Fatalf("an employee reached the defaults: %d", code)
	}
	// The API changes one's own choices only, whatever user id the body names.
	_, page := d.get("/account/reminders")
	put := func(body string) (int, string) {
		req, _ := http.NewRequest(http.MethodPut, d.srv.URL+"/api/v1/me/digest", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", csrfRE.FindStringSubmatch(page)[1])
		resp, err := d.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := put(`{"frequency": "hourly"}`); code != http.StatusBadRequest || !strings.Contains(body, "daily, weekly or off") {
		t.Fatalf("bad frequency: %d %s", code, body)
	}
	if code, body := put(`{"user_id": ` + strconv.FormatInt(d.member.ID, 10) + `, "frequency": "off", "opt_out": []}`); code != 200 || !strings.Contains(body, `"frequency": "off"`) {
		t.Fatalf("PUT /api/v1/me/digest: %d %s", code, body)
	}
	if p, _ := os.DigestPrefs(ctx, d.member.ID); p.UpdatedAt != nil {
		t.Fatalf("Erin changed Sam's choices: %+v", p)
	}
	if p, _ := os.DigestPrefs(ctx, erin.ID); p.Frequency != assay.DigestOff {
		t.Fatalf("Erin's choices: %+v", p)
	}
	// A mail client's one-click request to Sam's List-Unsubscribe address
	// (RFC 8058) turns his digest off, without a session.
	oneClick := strings.TrimSuffix(strings.TrimPrefix(samMail.header.Get("List-Unsubscribe"), "<"), ">")
	oneClick = strings.Replace(oneClick, "https://assay.example.test", d.srv.URL, 1) // the test server stands for the public address
	resp, err := http.Post(oneClick, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if p, _ := os.DigestPrefs(ctx, d.member.ID); resp.StatusCode != 200 || p.Frequency != assay.DigestOff {
		t.Fatalf("one-click unsubscribe: %d, %+v", resp.StatusCode, p)
	}
}
