package main

import (
	"context"
	"fmt"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/store"
)

// seedScaleRegisters adds generated vendors and risks until the registers
// hold the size's counts, each register in one write.
func seedScaleRegisters(ctx context.Context, os store.OrgStore, clock assay.Clock, people map[string]assay.User, size DemoSize) error {
	now := clock.Now()
	admin := people[demoEmail]
	actor := assay.ActorFor(admin, "web")
	owners := []int64{admin.ID, people["sam@northwind.example"].ID, people["priya@northwind.example"].ID, people["lena@northwind.example"].ID}

	vendors, err := os.Vendors(ctx)
	if err != nil {
		return err
	}
	classes := []assay.DataClass{assay.DataInternal, assay.DataConfidential, assay.DataRestricted}
	tiers := []string{assay.TierLow, assay.TierMedium, assay.TierHigh}
	var nv []assay.Vendor
	for i := len(vendors); i < size.Vendors; i++ {
		start := assay.Day(now).AddDate(0, -(i*5)%48-1, 0)
		v := assay.Vendor{Name: fmt.Sprintf("Supplier %03d", i+1), Services: "SaaS tool used by " + demoScaleDepartments[i%len(demoScaleDepartments)],
			DataShared: "Staff names and work emails", Classification: classes[i%len(classes)], Criticality: tiers[(i/3)%len(tiers)],
			OwnerID: owners[i%len(owners)], ContractStart: &start, Subprocessor: i%7 == 0, Clauses: []string{"security"}}
		if i%4 == 0 {
			end := assay.Day(now).AddDate(0, -(i % 11), 0)
			v.SOC2PeriodEnd = &end
		}
		nv = append(nv, v)
	}
	if len(nv) > 0 {
		if _, err := os.CreateVendors(ctx, actor, nv); err != nil {
			return fmt.Errorf("vendors: %w", err)
		}
	}

	risks, err := os.Risks(ctx)
	if err != nil {
		return err
	}
	templates, err := catalog.RiskTemplates()
	if err != nil {
		return err
	}
	var nr []assay.Risk
	for i := len(risks); i < size.Risks; i++ {
		r := templates[i%len(templates)].Risk()
		r.Title = fmt.Sprintf("%s (%s)", r.Title, demoScaleDepartments[i%len(demoScaleDepartments)])
		r.OwnerID = owners[i%len(owners)]
		r.ResidualLikelihood, r.ResidualImpact = max(1, r.Likelihood-1), max(1, r.Impact-i%2)
		review := now.AddDate(0, 1+i%11, 0)
		r.ReviewDate = &review
		if i%3 == 0 {
			r.Status = assay.RiskTreated
		}
		nr = append(nr, r)
	}
	if len(nr) > 0 {
		if _, err := os.CreateRisks(ctx, actor, nr); err != nil {
			return fmt.Errorf("risks: %w", err)
		}
	}
	return nil
}
