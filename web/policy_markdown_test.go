package web

import (
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

// FuzzPolicyMarkdown renders any policy text the way pages and downloads
// do, as HTML and as PDF: neither may panic, and the HTML never carries
// a script element.
func FuzzPolicyMarkdown(f *testing.F) {
	for _, seed := range []string{
		"# Access control policy\n\n{{company}} grants access by role.\n\n- one\n- two\n  1. nested\n\n> quoted **bold** _em_ `code`\n",
		"## Table\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```go\nfmt.Println(\"x\")\n```\n",
		"<script>alert(1)</script>\n[x](javascript:alert(1)) ![img](http://x/y.png)\n\n---\n",
		"* * *\n1)\n-\n    indented code\n\n\u00a0\u200b\u2028 ünïcödé 漢字 😀\n",
		"",
	} {
		f.Add(seed)
	}
	published := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body string) {
		if len(body) > 64<<10 {
			return // the PDF takes its time with very long text; the limit is the store's
		}
		html, err := renderMarkdown(body)
		if err != nil {
			t.Fatalf("render: %v", err)
		}
		if strings.Contains(strings.ToLower(string(html)), "<script") {
			t.Fatalf("a script element got through: %s", html)
		}
		v := assay.PolicyVersion{PolicyTitle: "Access control", Version: "1.0", Status: assay.PolicyPublished, Body: body, PublishedAt: &published}
		if _, err := policyPDF("Northwind Ledger", v); err != nil {
			t.Logf("pdf: %v", err) // a refusal is fine; a panic is not
		}
	})
}
