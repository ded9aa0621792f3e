package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/assay-platform/assay"
)

// TestBrowserAuditorWorkspace: in a real browser, the demo's invited
// auditor signs in and lands on their engagement, imports a request list
// that goes to the controls' owners, comments on a request, accepts an
// answer the owner submitted, draws a sample and asks for each sampled
// item's evidence, and downloads the workpaper; a control, an evidence
// item and an activity entry outside the engagement are not found.
func TestBrowserAuditorWorkspace(t *testing.T) {
	t.Parallel()
	m := startMainSeeding(t)
	ctx := newBrowser(t)
	if !strings.Contains(m.out.String(), demoEngagementAuditor) {
		t.Fatalf("the demo output does not name the invited auditor:\n%s", m.out)
	}
	base := m.URL()
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	bg := context.Background()
	orgs, err := m.Store.Organizations(bg)
	if err != nil || len(orgs) != 1 {
		t.Fatalf("demo organisations: %v %d", err, len(orgs))
	}
	org := m.Store.Org(orgs[0].ID)
	audits, err := org.Audits(bg)
	if err != nil || len(audits) == 0 {
		t.Fatalf("demo engagements: %v %d", err, len(audits))
	}
	a := audits[0]
	for _, x := range audits {
		if x.Type == assay.AuditType2 {
			a = x
		}
	}
	// Two in-scope controls with owners, and one control outside the scope.
	var owned []assay.Control
	var outside string
	controls, err := org.Controls(bg, assay.ControlFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range controls {
		switch {
		case !a.Scope.HasControl(c.ID) && outside == "":
			outside = c.ID
		case a.Scope.HasControl(c.ID) && c.OwnerID != 0 && len(owned) < 2:
			owned = append(owned, c)
		}
	}
	if len(owned) < 2 || outside == "" {
		t.Fatalf("the demo has no owned in-scope controls (%d) or no control outside the scope (%q)", len(owned), outside)
	}
	users, err := org.Users(bg)
	if err != nil {
		t.Fatal(err)
	}
	names := map[int64]string{}
	for _, u := range users {
		names[u.ID] = u.Name
	}
	// An item and an entry outside the engagement: evidence of the control
	// outside the scope.
	tok := m.userToken(t, orgs[0].ID, "records@northwind.example", assay.RoleAdmin)
	body, ct := multipartBody(t, field{"kind", "file", ""}, field{"title", "Privacy notice review", ""}, field{"controls", outside, ""},
		field{"file", "notice,reviewed\nv3,yes\n", "privacy-review.csv"})
	var hidden evidenceJSON
	if code := m.upload(t, tok, body, ct, int64(body.Len()), &hidden); code != 201 {
		t.Fatalf("upload the evidence outside the engagement: %d %+v", code, hidden)
	}
	if code, _, _ := m.get(t, tok, fmt.Sprintf("/api/v1/evidence/%d/content", hidden.ID)); code != 200 {
		t.Fatalf("an admin reads the file outside the engagement: %d", code)
	}
	entries, err := org.Activity(bg, assay.ActivityFilter{ObjectType: "evidence", ObjectID: fmt.Sprint(hidden.ID)})
	if err != nil || len(entries) == 0 {
		t.Fatalf("the hidden evidence's entry: %v %d", err, len(entries))
	}
	if code, _, _ := m.get(t, tok, fmt.Sprintf("/api/v1/ledger/entries/%d/proof", entries[0].Seq)); code != 200 {
		t.Fatalf("an admin reads the entry's proof: %d", code)
	}

	// refused fails the test when the page shows an error.
	refused := func(what string) {
		t.Helper()
		if alert, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('.alert-error, [role="alert"]') || {}).textContent || ''`)); alert != "" {
			t.Fatalf("%s was refused: %s", what, strings.TrimSpace(alert))
		}
	}

	// Sign in: the auditor lands on the engagement.
	err = chromedp.Do(ctx,
		signInAt(base+"/login", demoEngagementAuditor),
		chromedp.WaitVisible(css(`#requests-title`)),
	)
	if err != nil {
		t.Fatalf("auditor sign in: %v", err)
	}
	if path, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`)); path != fmt.Sprintf("/audits/%d", a.ID) {
		t.Fatalf("the auditor landed on %q", path)
	}

	// Import a request list as a tracker writes it.
	due := m.App.Now().AddDate(0, 1, 0)
	list := "\ufeffRequest #,Request Description,Control ID,Due Date\r\n" +
		fmt.Sprintf("PBC-10,Population of changes with approvals,%s,%s\r\n", owned[0].ID, due.Format("1/2/2006")) +
		fmt.Sprintf("PBC-11,Last quarter's review sign-off,%s,%s\r\n", owned[1].ID, due.Format("2006-01-02"))
	file := filepath.Join(t.TempDir(), "request-list.csv")
	if err := os.WriteFile(file, []byte(list), 0o600); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Evaluate[bool](`document.querySelectorAll('#requests details').forEach(d => d.open = true), true`)(ctx, t)
			return err
		}),
		chromedp.SetUploadFiles(css(`#rq-file`), []string{file}),
		clickAndLoad(`form[action$="/requests/import"] button[type="submit"]`),
		chromedp.WaitVisible(css(`.requests-table`)),
	)
	if err != nil {
		t.Fatalf("import the request list: %v", err)
	}
	table, _ := chromedp.Run(ctx, chromedp.Text(css(`.requests-table`)))
	refused("the import")
	for _, want := range []string{"PBC-10", "PBC-11", names[owned[0].OwnerID], names[owned[1].OwnerID]} {
		if !strings.Contains(table, want) {
			t.Fatalf("the request list does not show %q:\n%s", want, table)
		}
	}
	reqs, err := org.EvidenceRequests(bg, assay.EvidenceRequestFilter{AuditID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	var pbc10 assay.EvidenceRequest
	for _, r := range reqs {
		if r.Reference == "PBC-10" {
			pbc10 = r
		}
	}
	if pbc10.ID == 0 || pbc10.AssigneeID != owned[0].OwnerID {
		t.Fatalf("PBC-10 is not assigned to the control's owner: %+v", pbc10)
	}

	// A comment on PBC-10.
	err = chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/evidence-requests/%d", base, pbc10.ID)),
		chromedp.WaitVisible(css(`#rq-comment`)),
		chromedp.SendKeys(css(`#rq-comment`), "Include the approver's name for each change."),
		clickAndLoad(`form[action$="/comments"] button[type="submit"]`),
		chromedp.WaitVisible(css(`ol.thread`)),
	)
	if err != nil {
		t.Fatalf("comment: %v", err)
	}
	refused("the comment")
	if thread, _ := chromedp.Run(ctx, chromedp.Text(css(`ol.thread`))); !strings.Contains(thread, "approver's name") || !strings.Contains(thread, "Riley") {
		t.Fatalf("the thread reads %q", thread)
	}

	// The owner answers (as they would on their own page); the auditor accepts.
	var owner assay.User
	for _, u := range users {
		if u.ID == pbc10.AssigneeID {
			owner = u
		}
	}
	ev, err := org.CreateEvidence(bg, assay.ActorFor(owner, "web"), assay.NewEvidence{Kind: assay.EvidenceNote, Title: "Change approvals export",
		NoteText: "Every change with its approver.", Controls: []string{pbc10.ControlID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := org.SubmitEvidenceRequest(bg, assay.ActorFor(owner, "web"), pbc10.ID, []int64{ev.ID}, "Export attached."); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/evidence-requests/%d", base, pbc10.ID)),
		chromedp.WaitVisible(css(`#rq-reason`)),
		chromedp.SendKeys(css(`#rq-reason`), "Complete, with approvers."),
		clickAndLoad(`button[name="decision"][value="accept"]`),
		chromedp.WaitVisible(css(`.object-status`)),
	)
	if err != nil {
		t.Fatalf("accept: %v", err)
	}
	if got, err := org.EvidenceRequest(bg, pbc10.ID); err != nil || got.Status != assay.RequestAccepted {
		t.Fatalf("PBC-10 after accepting: %v %+v", err, got)
	}

	// Draw a sample of ACC-02's changes (the demo's MFA incident changed it), and ask for each item's evidence.
	err = chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/audits/%d", base, a.ID)),
		chromedp.WaitVisible(css(`#sm-population`)),
		chromedp.SetValue(css(`#sm-population`), assay.PopulationControlChanges),
		chromedp.SetValue(css(`#sm-control`), "ACC-02"),
		clickAndLoad(`form[action$="/samples"] button[type="submit"]`),
		chromedp.WaitVisible(css(`.samples-table`)),
	)
	if err != nil {
		t.Fatalf("draw a sample: %v", err)
	}
	refused("drawing the sample")
	samples, err := org.AuditSamples(bg, a.ID)
	if err != nil || len(samples) < 2 {
		t.Fatalf("samples after drawing: %v %d", err, len(samples))
	}
	drawn := samples[len(samples)-1]
	for _, s := range samples {
		if s.Population == assay.PopulationControlChanges {
			drawn = s
		}
	}
	form := fmt.Sprintf(`form[action$="/samples/%d/requests"]`, drawn.ID)
	if drawn.ControlID != "ACC-02" { // the form offers a control only for a sample without one
		t.Fatalf("the sample drawn: %+v", drawn)
	}
	err = chromedp.Do(ctx,
		chromedp.SetValue(css(form+` input[name="due_date"]`), due.Format("2006-01-02")),
		clickAndLoad(form+` button[type="submit"]`),
		chromedp.WaitVisible(css(`.requests-table`)),
	)
	if err != nil {
		t.Fatalf("ask for the sampled items: %v", err)
	}
	refused("asking for the sampled items")
	reqs, err = org.EvidenceRequests(bg, assay.EvidenceRequestFilter{AuditID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	lines := 0
	for _, r := range reqs {
		if r.SampleID == drawn.ID {
			lines++
		}
	}
	if lines != len(drawn.Keys) {
		t.Fatalf("%d request lines for %d sampled items", lines, len(drawn.Keys))
	}

	// The workpaper downloads as a workbook; outside the engagement is not found.
	fetch := func(path string) string {
		t.Helper()
		js := fmt.Sprintf(`fetch(%q).then(async r => r.status + ' ' + new Uint8Array(await r.arrayBuffer()).slice(0, 2).join(','))`, path)
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("fetch %s: %v", path, err)
		}
		return got
	}
	if got := fetch(fmt.Sprintf("/api/v1/audits/%d/exports/workpaper.xlsx", a.ID)); got != "200 80,75" { // "PK"
		t.Fatalf("the workpaper: %s", got)
	}
	for _, path := range []string{"/controls/" + outside, fmt.Sprintf("/evidence/%d", hidden.ID), fmt.Sprintf("/api/v1/evidence/%d/content", hidden.ID),
		fmt.Sprintf("/api/v1/ledger/entries/%d/proof", entries[0].Seq), fmt.Sprintf("/api/v1/activity?type=evidence&object=%d", hidden.ID)} {
		got := fetch(path)
		if strings.HasPrefix(path, "/api/v1/activity") {
			body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`fetch(%q).then(r => r.text())`, path), chromedp.EvalAwaitPromise))
			if strings.Contains(body, "Privacy notice review") {
				t.Fatalf("the activity trail shows the entry outside the engagement: %.300s", body)
			}
			continue
		}
		if !strings.HasPrefix(got, "404 ") {
			t.Fatalf("GET %s as the invited auditor: %s", path, got)
		}
	}
}
