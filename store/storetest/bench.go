package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/store/sqlstore"
)

// The store benchmarks, run by each adapter's bench_test.go on its own
// database, so BENCHMARKS.md can show both columns.

// BenchOrg creates one organisation with n controls (the library, then
// custom ones), every category in scope.
func BenchOrg(b *testing.B, db store.Store, n int) store.OrgStore {
	b.Helper()
	cat := catalog.MustDefault()
	criteria := cat.DomainCriteria()
	controls := cat.LibraryControls()
	for i := len(controls); i < n; i++ {
		c := assay.NewCustomControl(fmt.Sprintf("CUS-%04d", i), fmt.Sprintf("Custom control %d", i), "A control an organisation wrote itself.",
			[]string{criteria[i%61].ID, criteria[(i*7)%61].ID})
		c.Status = assay.ControlStatuses[i%3]
		controls = append(controls, c)
	}
	org, err := db.CreateOrganization(context.Background(), assay.SystemActor, "Bench", "bench", assay.Scope{Categories: assay.Categories}, controls[:n])
	if err != nil {
		b.Fatal(err)
	}
	return db.Org(org.ID)
}

// benchApp is the application over db, as the server builds it.
func benchApp(b *testing.B, db store.Store) *app.App {
	b.Helper()
	services, err := app.New(app.Config{Store: db, Clock: assay.SystemClock{}, Criteria: catalog.MustDefault().DomainCriteria(), Checks: catalog.LibraryCheckList})
	if err != nil {
		b.Fatal(err)
	}
	return services
}

// BenchReadiness computes os's readiness as GET /api/v1/readiness does.
func BenchReadiness(b *testing.B, db store.Store, os store.OrgStore) {
	services := benchApp(b, db)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		v, err := services.OrgReadiness(ctx, os)
		if err != nil || v.Readiness.Overall.Total != 61 {
			b.Fatal(err, v.Readiness.Overall)
		}
	}
}

// BenchControlSearch is the text search behind "filter as you type".
func BenchControlSearch(b *testing.B, os store.OrgStore) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := os.Controls(ctx, assay.ControlFilter{Query: "access"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchPeopleOrg adds n people (imported at once) and eight policies
// published to all of them, seven eighths of the people having accepted
// each (in batches when the store offers them), to os: the shape that
// made readiness ask for each person's policies.
func BenchPeopleOrg(b *testing.B, db store.Store, os store.OrgStore, n int) {
	b.Helper()
	ctx := context.Background()
	var rows []assay.NewPerson
	depts := []string{"Engineering", "Sales", "Support", "Finance"}
	for i := range n {
		rows = append(rows, assay.NewPerson{Name: fmt.Sprintf("Person %d", i), Email: fmt.Sprintf("p%d@bench.example", i), Department: depts[i%len(depts)]})
	}
	if _, err := os.ImportPeople(ctx, Actor, rows); err != nil {
		b.Fatal(err)
	}
	people, err := os.People(ctx)
	if err != nil {
		b.Fatal(err)
	}
	admin := func(email string) assay.Actor {
		u, err := os.CreateUser(ctx, Actor, assay.NewUser{Email: email, Name: email, Role: assay.RoleAdmin, Password: "long enough password"}, "x")
		if err != nil {
			b.Fatal(err)
		}
		return assay.ActorFor(u, "web")
	}
	author, approver := admin("author@bench.example"), admin("approver@bench.example")
	batcher, batched := db.(interface {
		AcceptPolicies(ctx context.Context, orgID int64, list []sqlstore.BatchAcceptance) error
	})
	for k := range 8 {
		p, err := os.AdoptPolicy(ctx, author, assay.NewPolicy{Title: fmt.Sprintf("Policy %d", k), Body: "# Policy\n\nRules.\n"})
		if err != nil {
			b.Fatal(err)
		}
		v := p.Latest
		for _, step := range []struct {
			who assay.Actor
			to  assay.PolicyStatus
		}{{author, assay.PolicyInReview}, {approver, assay.PolicyApproved}, {approver, assay.PolicyPublished}} {
			if *v, err = os.MovePolicyVersion(ctx, step.who, v.ID, step.to); err != nil {
				b.Fatal(err)
			}
		}
		var list []sqlstore.BatchAcceptance
		for i, pe := range people {
			if (i+k)%8 == 0 {
				continue
			}
			if batched {
				list = append(list, sqlstore.BatchAcceptance{Actor: author, PersonID: pe.ID, VersionID: v.ID})
			} else if _, err := os.AcceptPolicy(ctx, author, pe.ID, v.ID); err != nil {
				b.Fatal(err)
			}
		}
		if batched {
			if err := batcher.AcceptPolicies(ctx, os.OrgID(), list); err != nil {
				b.Fatal(err)
			}
		}
	}
}
