package main

import (
	"context"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/store"
)

// seedDemoRegisters adopts a share of the template risks with scores and
// owners, records this year's risk assessment, and lists the vendors a
// company like Northwind relies on, the critical ones reviewed.
func seedDemoRegisters(ctx context.Context, os store.OrgStore, clock assay.Clock, people map[string]assay.User) error {
	now := clock.Now()
	admin := people[demoEmail]
	actor := assay.ActorFor(admin, "web")
	owners := []int64{admin.ID, people["sam@northwind.example"].ID, people["priya@northwind.example"].ID, people["lena@northwind.example"].ID}

	templates, err := catalog.RiskTemplates()
	if err != nil {
		return err
	}
	var risks []assay.Risk
	for i, t := range templates {
		if i%2 == 1 { // adopt half: a register a company grew into, not every template
			continue
		}
		r := t.Risk()
		r.OwnerID = owners[i%len(owners)]
		// Controls bring most risks down by one or two steps.
		r.ResidualLikelihood = max(1, r.Likelihood-1-i%2)
		r.ResidualImpact = max(1, r.Impact-(i/2)%2)
		review := now.AddDate(0, 3+i%9, 0)
		r.ReviewDate = &review
		switch {
		case i%10 == 4:
			r.Treatment = assay.TreatAccept
			r.ApproverID = admin.ID
			exp := now.AddDate(0, 6, 0)
			r.AcceptExpires = &exp
			r.Status = assay.RiskTreated
		case i%6 == 0:
			r.Treatment = assay.TreatTransfer
			r.Status = assay.RiskTreated
		case i%3 == 0:
			r.Status = assay.RiskTreated
		}
		risks = append(risks, r)
	}
	if _, err := os.CreateRisks(ctx, actor, risks); err != nil {
		return fmt.Errorf("risks: %w", err)
	}
	if _, err := os.CreateRiskAssessment(ctx, actor, assay.RiskAssessment{Date: now.AddDate(0, -2, 0), ApproverID: admin.ID,
		Summary: "Annual assessment with engineering, support and finance leads. Two new risks from the move to a second region; " +
			"payment-file tampering remains the highest residual risk and gets a reconciliation control this year."}); err != nil {
		return fmt.Errorf("risk assessment: %w", err)
	}

	day := func(y int, m time.Month, d int) *time.Time { t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC); return &t }
	y := now.Year()
	all := assay.ContractClauses
	vendors := []assay.Vendor{
		{Name: "Cloud infrastructure provider", Services: "Hosting, managed Kubernetes, PostgreSQL and object storage", DataShared: "All production data, including invoices and bank details",
			Classification: assay.DataRestricted, Criticality: assay.TierHigh, OwnerID: owners[1], Subprocessor: true,
			ContractStart: day(y-3, 1, 1), SOC2PeriodEnd: day(y, 3, 31), Clauses: all},
		{Name: "Identity provider", Services: "Workforce single sign-on and MFA", DataShared: "Staff names, emails and group membership",
			Classification: assay.DataConfidential, Criticality: assay.TierHigh, OwnerID: owners[2],
			ContractStart: day(y-2, 6, 1), SOC2PeriodEnd: day(y-1, 12, 31), Clauses: all},
		{Name: "OCR engine vendor", Services: "Text extraction from invoice images", DataShared: "Invoice images",
			Classification: assay.DataRestricted, Criticality: assay.TierMedium, OwnerID: owners[1], Subprocessor: true,
			ContractStart: day(y-1, 9, 1), Clauses: []string{"security", "confidentiality", "data_processing"}},
		{Name: "Support desk software", Services: "Customer support tickets and chat", DataShared: "Customer contact details and ticket contents",
			Classification: assay.DataConfidential, Criticality: assay.TierMedium, OwnerID: owners[3], Subprocessor: true,
			ContractStart: day(y-2, 2, 1), Clauses: all},
		{Name: "Payroll provider", Services: "Staff payroll", DataShared: "Staff bank and tax details",
			Classification: assay.DataConfidential, Criticality: assay.TierLow, OwnerID: admin.ID,
			ContractStart: day(y-4, 1, 1), Clauses: []string{"security", "confidentiality"}},
		{Name: "Team chat", Services: "Internal messaging", DataShared: "Internal discussions",
			Classification: assay.DataInternal, Criticality: assay.TierLow, OwnerID: owners[2], Clauses: []string{"security"}},
	}
	created, err := os.CreateVendors(ctx, actor, vendors)
	if err != nil {
		return fmt.Errorf("vendors: %w", err)
	}
	questions, err := catalog.VendorQuestions()
	if err != nil {
		return err
	}
	// Review the critical vendors: mostly yes, a few gaps worth a note.
	for _, v := range created {
		if v.Criticality != assay.TierHigh && v.Name != "OCR engine vendor" {
			continue
		}
		answers := map[string]string{}
		for i, q := range questions {
			answers[q.ID] = "yes"
			if i%9 == 4 {
				answers[q.ID] = "no"
			}
		}
		if _, err := os.RecordVendorReview(ctx, actor, v.ID, questions, answers); err != nil {
			return fmt.Errorf("vendor review %s: %w", v.Name, err)
		}
	}
	return nil
}
