package assay

import (
	"strings"
	"testing"
)

// The drafts say what the engagement and the scope pages hold, in order,
// and the same inputs give the same digest; a change to the scope pages
// changes the description's digest.
func TestDraftReportTexts(t *testing.T) {
	org := Organization{Name: "Example Inc", System: SystemDescription{
		Services: "Payroll.", Commitments: "99.9% uptime.", Boundaries: "The payroll app.", Infrastructure: "One cloud region.",
		Subservices:        []SubserviceOrg{{Name: "Cloud Host", Services: "Compute", Method: "carve_out", Controls: "Physical security"}},
		UserEntityControls: "Customers manage their own users.",
	}}
	a := Audit{ID: 3, Type: AuditType1, Name: "T1", Firm: "F LLP", AsOf: date(2027, 12, 31),
		Scope: AuditScope{Categories: []string{CategorySecurity, CategoryAvailability, CategoryConfidentiality}}}
	as := DraftAssertion(org, a)
	for _, want := range []string{"as of 31 December 2027", "Security, Availability and Confidentiality", "Type I", "F LLP", "complementary user entity controls", "carved out"} {
		if !strings.Contains(as.Markdown, want) {
			t.Errorf("assertion lacks %q:\n%s", want, as.Markdown)
		}
	}
	if strings.Contains(as.Markdown, "operated effectively") {
		t.Errorf("a Type I assertion speaks of operating effectiveness")
	}
	d := DraftDescription(org, a)
	order := []string{"## Services provided", "Payroll.", "## Principal service commitments and system requirements", "99.9% uptime.",
		"## System boundaries", "## Components of the system", "### Infrastructure", "### Software", "*Not yet written on the scope page.*",
		"## Subservice organisations", "**Cloud Host** (carved out", "## Complementary subservice organisation controls", "Physical security",
		"## Complementary user entity controls", "Customers manage their own users."}
	at := 0
	for _, w := range order {
		i := strings.Index(d.Markdown[at:], w)
		if i < 0 {
			t.Fatalf("description lacks %q after offset %d:\n%s", w, at, d.Markdown)
		}
		at += i
	}
	if again := DraftDescription(org, a); again.Digest != d.Digest || d.Digest != TextDigest(d.Markdown) {
		t.Fatal("the same inputs gave another digest")
	}
	org.System.Services = "Payroll and HR."
	if DraftDescription(org, a).Digest == d.Digest {
		t.Fatal("a changed scope page kept the digest")
	}
}
