package assay

import (
	"fmt"
	"strings"
)

// The drafts below are Assay's own wording, written from what Assay holds:
// the engagement (type, date or period, the categories frozen in its
// scope) and the system description on the scope pages. They carry no
// date of drafting, so the same inputs always give the same text and the
// same digest.

const reportDate = "2 January 2006"

// reportSubject is "as of D" (Type I) or "throughout the period A to B".
func reportSubject(a Audit) string {
	if a.Type == AuditType1 && a.AsOf != nil {
		return "as of " + a.AsOf.Format(reportDate)
	}
	if a.PeriodStart != nil && a.PeriodEnd != nil {
		return fmt.Sprintf("throughout the period %s to %s", a.PeriodStart.Format(reportDate), a.PeriodEnd.Format(reportDate))
	}
	return ""
}

func categoryList(cats []string) string {
	names := make([]string, 0, len(cats))
	for _, c := range cats {
		names = append(names, CategoryName(c))
	}
	switch len(names) {
	case 0:
		return CategoryName(CategorySecurity)
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func systemName(org Organization) string {
	return org.Name + "'s system"
}

// DraftAssertion is management's assertion for the engagement.
func DraftAssertion(org Organization, a Audit) ReportText {
	var b strings.Builder
	subject := reportSubject(a)
	cats := categoryList(a.Scope.Categories)
	kind := "Type I"
	if a.Type == AuditType2 {
		kind = "Type II"
	}
	fmt.Fprintf(&b, "# Management's assertion\n\n")
	fmt.Fprintf(&b, "**%s**, for the %s SOC 2 examination \"%s\" by %s.\n\n", org.Name, kind, a.Name, a.Firm)
	fmt.Fprintf(&b, "We have prepared the accompanying description of %s (the description) %s, "+
		"for the customers of the system and their auditors who understand it well enough to use the description. "+
		"The description sets out the system's boundaries, its components, the principal service commitments and "+
		"system requirements we make and rely on, the subservice organisations it uses, and the controls our "+
		"customers are expected to operate themselves.\n\n", systemName(org), subject)
	b.WriteString("We confirm, to the best of our knowledge and belief, that:\n\n")
	fmt.Fprintf(&b, "1. The description presents the system as it was designed and implemented %s, and it does not leave out or distort information relevant to the system.\n", subject)
	if a.Type == AuditType2 {
		fmt.Fprintf(&b, "2. The controls set out in the description were suitably designed %s to give reasonable assurance that our service commitments and system requirements would be met, according to the trust services criteria for %s, had they operated as described.\n", subject, cats)
		fmt.Fprintf(&b, "3. Those controls operated effectively %s to give reasonable assurance that our service commitments and system requirements were met, according to the trust services criteria for %s.\n\n", subject, cats)
	} else {
		fmt.Fprintf(&b, "2. The controls set out in the description were suitably designed %s to give reasonable assurance that our service commitments and system requirements would be met, according to the trust services criteria for %s, had they operated as described.\n\n", subject, cats)
	}
	if len(org.System.Subservices) > 0 {
		b.WriteString("Where a subservice organisation is carved out, the statements above assume that it operated the controls we expect of it; where it is included, its controls are part of the description.\n\n")
	}
	if strings.TrimSpace(org.System.UserEntityControls) != "" {
		b.WriteString("The statements above also assume that our customers operated the complementary user entity controls listed in the description.\n\n")
	}
	fmt.Fprintf(&b, "Trust services categories in scope: %s. Controls in the engagement's frozen scope: %d.\n\n", cats, len(a.Scope.Controls))
	b.WriteString("Signed for management:\n\n")
	b.WriteString("Name: ____________________  Title: ____________________  Date: __________\n")
	md := b.String()
	return ReportText{AuditID: a.ID, Document: ReportAssertion, Title: ReportAssertion.Title(), Markdown: md, Digest: TextDigest(md)}
}

// DraftDescription is section III: the system description from the scope
// pages, with the engagement's date or period and categories.
func DraftDescription(org Organization, a Audit) ReportText {
	var b strings.Builder
	d := org.System
	fmt.Fprintf(&b, "# Description of %s\n\n", systemName(org))
	fmt.Fprintf(&b, "Section III of the SOC 2 report for \"%s\", %s. Trust services categories in scope: %s.\n\n", a.Name, reportSubject(a), categoryList(a.Scope.Categories))
	section := func(title, text string) {
		fmt.Fprintf(&b, "## %s\n\n", title)
		if t := strings.TrimSpace(text); t != "" {
			b.WriteString(t + "\n\n")
		} else {
			b.WriteString("*Not yet written on the scope page.*\n\n")
		}
	}
	section("Services provided", d.Services)
	section("Principal service commitments and system requirements", d.Commitments)
	section("System boundaries", d.Boundaries)
	b.WriteString("## Components of the system\n\n")
	for _, c := range []struct{ title, text string }{
		{"Infrastructure", d.Infrastructure}, {"Software", d.Software}, {"People", d.People},
		{"Procedures", d.Procedures}, {"Data", d.Data},
	} {
		fmt.Fprintf(&b, "### %s\n\n", c.title)
		if t := strings.TrimSpace(c.text); t != "" {
			b.WriteString(t + "\n\n")
		} else {
			b.WriteString("*Not yet written on the scope page.*\n\n")
		}
	}
	b.WriteString("## Subservice organisations\n\n")
	if len(d.Subservices) == 0 {
		b.WriteString("The system uses no subservice organisations.\n\n")
	}
	for _, s := range d.Subservices {
		method := "carved out: this report relies on the organisation's own report"
		if s.Method == "inclusive" {
			method = "included: its controls are part of this description"
		}
		fmt.Fprintf(&b, "- **%s** (%s)", strings.TrimSpace(s.Name), method)
		if t := strings.TrimSpace(s.Services); t != "" {
			fmt.Fprintf(&b, ": %s", strings.Join(strings.Fields(t), " "))
		}
		b.WriteString("\n")
	}
	if len(d.Subservices) > 0 {
		b.WriteString("\n## Complementary subservice organisation controls\n\n")
		b.WriteString("The controls above work only if the subservice organisations operate the following.\n\n")
		for _, s := range d.Subservices {
			t := strings.Join(strings.Fields(s.Controls), " ")
			if t == "" {
				t = "*Not yet written on the scope page.*"
			}
			fmt.Fprintf(&b, "- **%s**: %s\n", strings.TrimSpace(s.Name), t)
		}
		b.WriteString("\n")
	}
	section("Complementary user entity controls", d.UserEntityControls)
	md := b.String()
	return ReportText{AuditID: a.ID, Document: ReportDescription, Title: ReportDescription.Title(), Markdown: md, Digest: TextDigest(md)}
}

// DraftReportText drafts one document.
func DraftReportText(d ReportDocument, org Organization, a Audit) ReportText {
	if d == ReportAssertion {
		return DraftAssertion(org, a)
	}
	return DraftDescription(org, a)
}
