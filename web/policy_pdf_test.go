package web

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
)

func TestPolicyPDFRendersEveryTemplate(t *testing.T) {
	tpls, err := catalog.PolicyTemplates()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, tp := range tpls {
		body := assay.FillEffectiveDate(assay.FillPolicyTemplate(tp.Body, assay.PolicyVars("Northwind Ledger", "Dana Reyes", 12)), at)
		v := assay.PolicyVersion{PolicyTitle: tp.Title, Version: "1.0", Status: assay.PolicyPublished, Body: body,
			ApprovedByName: "Sam Okafor", ApprovedAt: &at, PublishedAt: &at}
		pdf, err := policyPDF("Northwind Ledger", v)
		if err != nil {
			t.Fatalf("%s: %v", tp.ID, err)
		}
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte(tp.Title)) || len(pdf) < 3000 {
			t.Fatalf("%s: %d bytes, title missing or not a PDF", tp.ID, len(pdf))
		}
	}
}

func TestPolicyPDFOddText(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	body := "# Über (policy) \\ test\n\n> quoted *em* **strong** `code`\n\n- a\n  - nested\n- b\n\n```\nfenced\n```\n\n---\n\n日本語 and emoji 🙂 and “quotes” – dash\n"
	v := assay.PolicyVersion{PolicyTitle: "Odd (text)", Version: "2.3", Status: assay.PolicyPublished, Body: body, PublishedAt: &at}
	pdf, err := policyPDF("Org", v)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("pdf: %v", err)
	}
	// Parentheses and backslashes are escaped in PDF strings.
	if !bytes.Contains(pdf, []byte(`Odd \(text\)`)) {
		t.Error("title not escaped as a PDF string")
	}
	// Where poppler's pdftotext is installed, it must read the text back.
	if path, err := exec.LookPath("pdftotext"); err == nil {
		cmd := exec.Command(path, "-", "-")
		cmd.Stdin = bytes.NewReader(pdf)
		out, err := cmd.Output()
		if err != nil || !strings.Contains(string(out), "nested") || !strings.Contains(string(out), "fenced") {
			t.Errorf("pdftotext: %v\n%s", err, out)
		}
	}
}
