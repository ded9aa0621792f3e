package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// clickAndLoad clicks sel and waits until a fresh, fully loaded page has
// replaced the current one (forms post and the browser loads a new page).
func clickAndLoad(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Evaluate[bool](`window.__leaving = true`)(ctx, t)
			return err
		}),
		chromedp.Click(chromedp.CSS(sel)),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			deadline := time.Now().Add(20 * time.Second)
			for time.Now().Before(deadline) {
				fresh, err := chromedp.Evaluate[bool](`!window.__leaving && document.readyState === 'complete'`)(ctx, t)
				if err == nil && fresh {
					return nil
				}
				time.Sleep(50 * time.Millisecond)
			}
			return fmt.Errorf("no new page after clicking %s", sel)
		}),
	)
}

// demoPolicyFor makes sure a published policy waits for the person: the
// demo's own when it has one, else one adopted, approved by a second
// admin-side user and published here. It returns the policy's title.
func demoPolicyFor(t *testing.T, os store.OrgStore, person assay.Person) string {
	t.Helper()
	ctx := context.Background()
	todo, err := os.PoliciesToAccept(ctx, person.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(todo) > 0 {
		return todo[0].PolicyTitle
	}
	users, err := os.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var dana, sam assay.User
	for _, u := range users {
		switch u.Email {
		case demoEmail:
			dana = u
		case "sam@northwind.example":
			sam = u
		}
	}
	pol, err := os.AdoptPolicy(ctx, assay.ActorFor(dana, "web"), assay.NewPolicy{Title: "Acceptable use", OwnerID: dana.ID, ReviewMonths: 12,
		Body: "# Acceptable use\n\nUse company systems for company work, protect your credentials and report anything suspicious."})
	if err != nil {
		t.Fatalf("adopt policy: %v", err)
	}
	v := pol.Latest
	if v == nil {
		t.Fatalf("adopted policy has no version: %+v", pol)
	}
	for _, step := range []struct {
		who assay.User
		to  assay.PolicyStatus
	}{{dana, assay.PolicyInReview}, {sam, assay.PolicyApproved}, {dana, assay.PolicyPublished}} {
		if _, err := os.MovePolicyVersion(ctx, assay.ActorFor(step.who, "web"), v.ID, step.to); err != nil {
			t.Fatalf("move policy to %s: %v", step.to, err)
		}
	}
	return pol.Title
}

// TestBrowserEmployeePortal: in a real browser, the demo's employee signs
// in, lands on their portal, completes a training with its attestation and
// accepts a policy; the admin then sees the training completion figure on
// /training and the acceptance figure on /policies change.
func TestBrowserEmployeePortal(t *testing.T) {
	t.Parallel()
	m := startMainSeeding(t)
	ctx := newBrowser(t)
	if !strings.Contains(m.out.String(), demoEmployeeEmail) {
		t.Fatalf("the demo output does not name the employee login:\n%s", m.out)
	}
	base := m.URL()
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	bg := context.Background()
	orgs, err := m.Store.Organizations(bg)
	if err != nil || len(orgs) != 1 {
		t.Fatalf("demo organisations: %v %d", err, len(orgs))
	}
	os := m.Store.Org(orgs[0].ID)
	ella, err := os.PersonByEmail(bg, demoEmployeeEmail)
	if err != nil {
		t.Fatalf("the employee is not on the roster: %v", err)
	}
	policy := demoPolicyFor(t, os, ella)
	const course = "Security awareness 2026"

	signIn := func(email, landing string) error {
		return chromedp.Do(ctx,
			signInAt(base+"/login", email),
			chromedp.WaitVisible(css(landing)),
		)
	}
	signOut := func() error {
		return chromedp.Do(ctx, clickAndLoad(`form[action="/logout"] button`), chromedp.WaitVisible(css(`input[name="email"]`)))
	}
	completed := `document.querySelector('tr[data-course="` + course + `"] .course-completed').textContent.trim()`
	accepted := `(() => { for (const tr of document.querySelectorAll('.policies-table tbody tr')) {
		if (tr.querySelector('a').textContent.trim() === ` + strconv.Quote(policy) + `) return tr.cells[3].textContent.trim(); } return 'missing'; })()`
	figures := func() (string, string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/training"), chromedp.WaitVisible(css(`.course-figures`))); err != nil {
			t.Fatalf("open /training: %v", err)
		}
		c, err := chromedp.Run(ctx, chromedp.Evaluate[string](completed))
		if err != nil {
			t.Fatalf("read the completion figure: %v", err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/policies"), chromedp.WaitVisible(css(`.policies-table`))); err != nil {
			t.Fatalf("open /policies: %v", err)
		}
		a, err := chromedp.Run(ctx, chromedp.Evaluate[string](accepted))
		if err != nil {
			t.Fatalf("read the acceptance figure: %v", err)
		}
		return c, a
	}

	// The admin's figures before.
	if err := signIn(demoEmail, `[data-testid="readiness-overall"]`); err != nil {
		t.Fatalf("admin sign in: %v", err)
	}
	completedBefore, acceptedBefore := figures()
	if err := signOut(); err != nil {
		t.Fatalf("sign out: %v", err)
	}

	// The employee lands on their own tasks and sees nothing else.
	if err := signIn(demoEmployeeEmail, `.portal-training`); err != nil {
		t.Fatalf("employee sign in: %v", err)
	}
	url, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	nav, _ := chromedp.Run(ctx, chromedp.Text(css(`nav.nav`)))
	if url != "/portal" || strings.Contains(nav, "Controls") || !strings.Contains(nav, "My tasks") {
		t.Fatalf("employee landed on %q with nav %q", url, nav)
	}
	item := `li[data-course="` + course + `"]`
	err = chromedp.Do(ctx,
		clickAndLoad(item+` .portal-start`),
		chromedp.WaitVisible(css(item+` .portal-attest`)),
		chromedp.Click(css(item+` input[name="attest"]`)),
		clickAndLoad(item+` .portal-complete`),
		chromedp.WaitVisible(css(`.banner-ok`)),
	)
	if err != nil {
		t.Fatalf("complete the training: %v", err)
	}
	status, _ := chromedp.Run(ctx, chromedp.Text(css(item)))
	if !strings.Contains(status, "Completed") {
		t.Fatalf("the course is not shown completed: %q", status)
	}
	err = chromedp.Do(ctx,
		clickAndLoad(`.portal-policy a`),
		chromedp.WaitVisible(css(`form[action$="/accept"] button`)),
		clickAndLoad(`form[action$="/accept"] button`),
		chromedp.WaitVisible(css(`.banner-ok`)),
	)
	if err != nil {
		t.Fatalf("accept the policy: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/controls"), chromedp.WaitVisible(css(`main`))); err != nil {
		t.Fatal(err)
	}
	if page, _ := chromedp.Run(ctx, chromedp.Text(css(`main`))); !strings.Contains(page, "does not allow") {
		t.Fatalf("an employee opened /controls: %q", page)
	}
	if err := signOut(); err != nil {
		t.Fatalf("sign out: %v", err)
	}

	// The admin sees both figures move.
	if err := signIn(demoEmail, `[data-testid="readiness-overall"]`); err != nil {
		t.Fatalf("admin sign in again: %v", err)
	}
	completedAfter, acceptedAfter := figures()
	b, _ := strconv.Atoi(completedBefore)
	a, _ := strconv.Atoi(completedAfter)
	if a != b+1 {
		t.Fatalf("completions of %s: %s before, %s after", course, completedBefore, completedAfter)
	}
	if acceptedAfter == acceptedBefore || acceptedAfter == "missing" {
		t.Fatalf("acceptances of %s: %q before, %q after", policy, acceptedBefore, acceptedAfter)
	}
	t.Logf("training completions %s -> %s; policy acceptances %s -> %s", completedBefore, completedAfter, acceptedBefore, acceptedAfter)
}
