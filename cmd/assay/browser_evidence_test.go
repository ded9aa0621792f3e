package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/assay-platform/assay"
)

// TestBrowserUploadEvidence uploads a file through the add-evidence form
// in a real browser: the browser sends the CSRF token as the first part
// and the file as the last, as the server requires.
func TestBrowserUploadEvidence(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, true)
	ctx := newBrowser(t)
	base := m.URL()
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	file := filepath.Join(t.TempDir(), "q4-access-review.csv")
	content := "system,user,decision\nprod,sam,keep\n"
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Do(ctx,
		signInAt(base+"/login", demoEmail),
		chromedp.WaitVisible(css(`[data-testid="readiness-overall"]`)),
		chromedp.Navigate(base+"/evidence/new?control=ACC-04"),
		chromedp.WaitVisible(css(`input[name="file"]`)),
		chromedp.SendKeys(css(`input[name="title"]`), "Q4 access review from the browser"),
		chromedp.SetUploadFiles(css(`input[name="file"]`), []string{file}),
		chromedp.Submit(css(`input[name="title"]`)),
		chromedp.WaitVisible(css(`[data-testid="evidence-digest"]`)),
	)
	if err != nil {
		t.Fatalf("upload through the form: %v", err)
	}
	digest, err := chromedp.Run(ctx, chromedp.Text(css(`[data-testid="evidence-digest"]`)))
	if err != nil || strings.TrimSpace(digest) != sha([]byte(content)) {
		t.Fatalf("digest on the page %q (%v), want %s", digest, err, sha([]byte(content)))
	}
	orgs, _ := m.Store.Organizations(context.Background())
	items, _ := m.Store.Org(orgs[0].ID).EvidenceList(context.Background(), assay.EvidenceFilter{ControlID: "ACC-04", Kind: assay.EvidenceFile})
	if len(items) != 1 || items[0].Title != "Q4 access review from the browser" || items[0].Filename != "q4-access-review.csv" || items[0].CreatedByName != "Dana Reyes" {
		t.Fatalf("ACC-04's files: %+v", items)
	}
}
