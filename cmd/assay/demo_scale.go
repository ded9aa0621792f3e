package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/store/sqlstore"
)

// demoScaleControls generates the controls a larger organisation adds to
// the library, until there are n in all: copies of library controls run
// per site or business unit, mapped to the same criteria.
func demoScaleControls(library []assay.Control, n int) []assay.Control {
	var out []assay.Control
	for i := 0; len(library)+len(out) < n; i++ {
		t := library[i%len(library)]
		c := t
		c.ID = fmt.Sprintf("NW-%04d", i+1)
		c.Name = fmt.Sprintf("%s (unit %d)", t.Name, i/len(library)+2)
		c.Custom = true
		c.Criteria = append([]string(nil), t.Criteria...)
		out = append(out, c)
	}
	return out
}

var demoScaleDepartments = []string{"Engineering", "Support", "Sales", "Finance", "Operations", "People", "Security", "Product"}

var demoScaleFirst = []string{"Ada", "Ben", "Cleo", "Dev", "Eli", "Faye", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lia", "Max", "Nia", "Oli", "Pia", "Raj", "Sol", "Tess", "Uma"}
var demoScaleLast = []string{"Arden", "Brook", "Castro", "Dunn", "Ellis", "Flores", "Grant", "Hale", "Ito", "Jensen", "Khan", "Lowe", "Mendes", "Nakamura", "Ortiz"}

// demoScalePeople generates n people: most long-standing employees, some
// contractors and interns, a few who left (5%) or start soon (2%).
func demoScalePeople(now time.Time, n int) []assay.NewPerson {
	out := make([]assay.NewPerson, 0, n)
	day := func(d int) *time.Time { t := assay.Day(now).AddDate(0, 0, d); return &t }
	for i := range n {
		first, last := demoScaleFirst[i%len(demoScaleFirst)], demoScaleLast[(i/len(demoScaleFirst))%len(demoScaleLast)]
		p := assay.NewPerson{Name: fmt.Sprintf("%s %s %d", first, last, i+1), Email: fmt.Sprintf("%s.%s.%d@northwind.example", strings.ToLower(first), strings.ToLower(last), i+1),
			Title: "Staff", Department: demoScaleDepartments[i%len(demoScaleDepartments)], ManagerEmail: demoEmail,
			StartDate: day(-30 - (i*37)%1500), EmploymentType: assay.EmploymentEmployee}
		switch {
		case i%20 == 7:
			p.EndDate = day(-1 - i%60)
		case i%50 == 11:
			p.StartDate = day(1 + i%14)
		}
		switch i % 10 {
		case 3:
			p.EmploymentType = assay.EmploymentContractor
		case 8:
			if i%30 == 8 {
				p.EmploymentType = assay.EmploymentIntern
			}
		}
		out = append(out, p)
	}
	return out
}

// seedDemoScale adds the generated records of a larger size to the seeded
// demo: evidence, policy acceptances of the generated people, vendors,
// risks and a large Terraform source with hourly history.
func seedDemoScale(ctx context.Context, db store.Store, batch demoBatcher, os store.OrgStore, clock assay.Clock, people map[string]assay.User, size DemoSize) error {
	steps := []struct {
		name string
		fn   func() error
	}{
		{"evidence", func() error { return seedScaleEvidence(ctx, os, batch, clock, people, size.Evidence) }},
		{"acceptances", func() error { return seedScaleAcceptances(ctx, os, batch, clock, people) }},
		{"registers", func() error { return seedScaleRegisters(ctx, os, clock, people, size) }},
		{"terraform", func() error { return seedScaleTerraform(ctx, db, os, clock, people, size) }},
	}
	for _, st := range steps {
		start := time.Now()
		if err := st.fn(); err != nil {
			return fmt.Errorf("%s: %w", st.name, err)
		}
		slog.Info("demo seeded", "size", size.Name, "part", st.name, "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// seedScaleEvidence adds links and notes to the implemented controls until
// the organisation holds n items, collected over the past year.
func seedScaleEvidence(ctx context.Context, os store.OrgStore, batch demoBatcher, clock assay.Clock, people map[string]assay.User, n int) error {
	controls, err := os.Controls(ctx, assay.ControlFilter{Status: assay.StatusImplemented})
	if err != nil {
		return err
	}
	have, err := os.EvidenceList(ctx, assay.EvidenceFilter{})
	if err != nil {
		return err
	}
	if len(controls) == 0 {
		return nil
	}
	now := clock.Now()
	actor := assay.ActorFor(people[demoEmail], "web")
	var pending []assay.NewEvidence
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		err := batch.CreateEvidenceBatch(ctx, os.OrgID(), actor, pending)
		pending = pending[:0]
		return err
	}
	for i := len(have); i < n; i++ {
		c := controls[i%len(controls)]
		collected := now.AddDate(0, 0, -(i*7)%360).Truncate(time.Hour)
		e := assay.NewEvidence{ValidDays: 365, CollectedAt: &collected, Controls: []string{c.ID}}
		if i%2 == 0 {
			e.Kind, e.Title = assay.EvidenceLink, fmt.Sprintf("%s: record %d", c.Name, i)
			e.URL = fmt.Sprintf("https://drive.northwind.example/soc2/%s/%d", strings.ToLower(c.ID), i)
		} else {
			e.Kind, e.Title = assay.EvidenceNote, fmt.Sprintf("%s: operator's note %d", c.Name, i)
			e.NoteText = fmt.Sprintf("%s was performed on %s as described in the control.", c.Name, collected.Format("2 January 2006"))
		}
		if batch != nil {
			if pending = append(pending, e); len(pending) == demoBatchSize {
				if err := flush(); err != nil {
					return err
				}
			}
			continue
		}
		if _, err := os.CreateEvidence(ctx, actor, e); err != nil {
			return fmt.Errorf("%s: %w", c.ID, err)
		}
	}
	return flush()
}

// seedScaleAcceptances has most active people accept the policies in
// force that apply to them (about one in eight has something left).
func seedScaleAcceptances(ctx context.Context, os store.OrgStore, batch demoBatcher, clock assay.Clock, people map[string]assay.User) error {
	roster, err := os.People(ctx)
	if err != nil {
		return err
	}
	policies, err := os.Policies(ctx)
	if err != nil {
		return err
	}
	accepted, err := os.PolicyAcceptances(ctx, 0)
	if err != nil {
		return err
	}
	done := map[[2]int64]bool{}
	for _, a := range accepted {
		done[[2]int64{a.PersonID, a.VersionID}] = true
	}
	actor := assay.ActorFor(people[demoEmail], "web")
	now := clock.Now()
	var pending []sqlstore.BatchAcceptance
	for i, p := range roster {
		if p.Status != assay.PersonActive || !strings.Contains(p.Email, ".") || !strings.HasSuffix(p.Email, "@northwind.example") || !strings.Contains(strings.Split(p.Email, "@")[0], ".") {
			continue // the hand-written staff's acceptances are the demo's own
		}
		for j, pol := range policies {
			v := pol.Published
			if v == nil || done[[2]int64{p.ID, v.ID}] || (i+j)%8 == 5 || !pol.AppliesTo.Matches(p.Department, string(p.EmploymentType)) {
				continue
			}
			at := now.Add(-time.Duration(1+(i+j)%200) * time.Hour)
			if v.PublishedAt != nil && at.Before(*v.PublishedAt) {
				at = now
			}
			if batch != nil {
				pending = append(pending, sqlstore.BatchAcceptance{Actor: actor, PersonID: p.ID, VersionID: v.ID, At: at})
				continue
			}
			if err := demoAt(clock, at, func() error { _, err := os.AcceptPolicy(ctx, actor, p.ID, v.ID); return err }); err != nil {
				return fmt.Errorf("%s accepts %q: %w", p.Email, pol.Title, err)
			}
		}
	}
	for start := 0; start < len(pending); start += demoBatchSize {
		if err := batch.AcceptPolicies(ctx, os.OrgID(), pending[start:min(start+demoBatchSize, len(pending))]); err != nil {
			return err
		}
	}
	return nil
}
