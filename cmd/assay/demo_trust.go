package main

import (
	"bytes"
	"context"
	"fmt"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/mdpdf"
	"github.com/assay-platform/assay/store"
)

// demoNDA is the demo's click-through agreement.
const demoNDA = "By asking for this document you agree, for your company, to keep it confidential: to use it only to assess Northwind Ledger's security as a customer or prospective customer, to share it only with those of your colleagues and advisers who need it for that purpose and are bound to the same confidence, and not to publish it. The obligation lasts three years from the day you receive it. Your name, e-mail address, company, the time and your network address are recorded with your acceptance."

// seedDemoTrust publishes the demo's trust center: every tile, three
// subprocessors, the published policies, a resolved incident with its
// public summary, approved answers and one report under NDA.
func seedDemoTrust(ctx context.Context, os store.OrgStore, blobs evidence.Store, people map[string]assay.User) error {
	actor := assay.ActorFor(people[demoEmail], "web")
	tiles, err := catalog.TrustTiles()
	if err != nil {
		return err
	}
	t := assay.TrustSettings{Enabled: true, CompanyName: "Northwind Ledger", Contact: "security@northwind.example", NDA: demoNDA, LinkDays: 7,
		Description: "Northwind Ledger runs its invoicing platform on a SOC 2 program tested continuously by Assay. The figures below are measured, not declared: each says what it was computed from and when.",
		FAQ: []assay.TrustFAQ{
			{Question: "Is customer data encrypted?", Answer: "Yes: at rest with AES-256 on every database, bucket and volume, and in transit with TLS 1.2 or later. The Encryption tile shows the checks that test it."},
			{Question: "Who can reach production?", Answer: "Only on-call engineers, through single sign-on with multi-factor authentication; access is reviewed every quarter."},
			{Question: "How do you report incidents to customers?", Answer: "Within 72 hours of confirming an incident that affects customer data, by e-mail to each customer's security contact."},
		},
		AutoApproveDomains: []string{}, Policies: []int64{}, Incidents: []assay.TrustIncident{}, Subprocessors: []assay.TrustSubprocessor{}}
	for _, d := range tiles {
		t.Tiles = append(t.Tiles, d.ID)
	}
	vendors, err := os.Vendors(ctx)
	if err != nil {
		return err
	}
	for _, v := range vendors {
		if v.Subprocessor && len(t.Subprocessors) < 3 {
			t.Subprocessors = append(t.Subprocessors, assay.TrustSubprocessor{VendorID: v.ID, Purpose: v.Services, Location: "European Union"})
		}
	}
	pols, err := os.Policies(ctx)
	if err != nil {
		return err
	}
	for _, p := range pols {
		if p.Published != nil && len(t.Policies) < 3 {
			t.Policies = append(t.Policies, p.ID)
		}
	}
	incs, err := os.Incidents(ctx, assay.IncidentFilter{})
	if err != nil {
		return err
	}
	for _, inc := range incs {
		if !inc.Exercise && inc.ResolvedAt != nil && len(t.Incidents) == 0 {
			t.Incidents = append(t.Incidents, assay.TrustIncident{IncidentID: inc.ID,
				Summary: "A configuration change briefly allowed sign-in to an internal tool without a second factor. No customer data was reached; the setting was restored the same day and is now checked continuously."})
		}
	}
	if err := t.Normalize(tiles); err != nil {
		return err
	}
	report, err := mdpdf.Render(mdpdf.Doc{Author: "Northwind", Header: "Northwind · confidential", Title: "SOC 2 Type II report (sample)",
		Footer: "Northwind SOC 2 Type II report", Markdown: "# Independent service auditor's report\n\nThis sample stands in for the report " +
			"an auditor issues at the end of a Type II engagement: the opinion, management's assertion, the system description and the tests of controls with their results.\n"})
	if err != nil {
		return err
	}
	b, err := blobs.Put(bytes.NewReader(report), 0)
	if err != nil {
		return err
	}
	if _, err := os.CreateTrustDocument(ctx, actor, assay.NewTrustDocument{Title: "SOC 2 Type II report", Filename: "northwind-soc2-type2.pdf",
		ContentType: "application/pdf", Size: b.Size, SHA256: b.SHA256, NDA: true,
		Description: "The independent auditor's report on Northwind's controls over the last period."}); err != nil {
		return fmt.Errorf("trust document: %w", err)
	}
	_, err = os.UpdateTrustSettings(ctx, actor, t)
	return err
}
