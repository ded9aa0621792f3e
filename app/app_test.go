package app_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/store/sqlite"
	"github.com/assay-platform/assay/store/sqlstore"
)

// env is the services over a real SQLite file with one organisation.
type env struct {
	ctx   context.Context
	app   *app.App
	db    store.Store
	org   assay.Organization
	clock *assay.FixedClock
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	cat := catalog.MustDefault()
	clock := &assay.FixedClock{T: time.Date(2028, 2, 29, 23, 30, 0, 0, time.UTC)}
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "assay.db"), sqlstore.Config{Clock: clock, Criteria: cat.DomainCriteria()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	org, err := db.CreateOrganization(ctx, assay.SystemActor, "Acme", "acme", assay.Scope{}, cat.LibraryControls())
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(app.Config{Store: db, Clock: clock, Criteria: cat.DomainCriteria(), Checks: catalog.LibraryCheckList})
	if err != nil {
		t.Fatal(err)
	}
	return &env{ctx: ctx, app: a, db: db, org: org, clock: clock}
}

func (e *env) principal(t *testing.T, role assay.Role) app.Principal {
	t.Helper()
	u, err := e.db.Org(e.org.ID).CreateUser(e.ctx, assay.SystemActor,
		assay.NewUser{Email: string(role) + "@acme.example", Name: string(role), Role: role, Password: "long enough password"}, "x")
	if err != nil {
		t.Fatal(err)
	}
	return e.app.PrincipalFor(u, "cli")
}

// A service is refused a configuration that would make it quietly wrong.
func TestNewRefusesAnIncompleteConfig(t *testing.T) {
	e := newEnv(t)
	cat := catalog.MustDefault()
	for name, cfg := range map[string]app.Config{
		"no store":         {Clock: e.clock, Criteria: cat.DomainCriteria(), Checks: catalog.LibraryCheckList},
		"no clock":         {Store: e.db, Criteria: cat.DomainCriteria(), Checks: catalog.LibraryCheckList},
		"no criteria":      {Store: e.db, Clock: e.clock, Checks: catalog.LibraryCheckList},
		"no check library": {Store: e.db, Clock: e.clock, Criteria: cat.DomainCriteria()},
	} {
		if _, err := app.New(cfg); err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(name, "no ")) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// The organisation's checks are the library's, then its custom ones, and
// readiness judges controls by all of them: a failing library check holds
// its control back wherever readiness is computed.
func TestReadinessCountsTheLibraryChecks(t *testing.T) {
	e := newEnv(t)
	org := e.db.Org(e.org.ID)
	admin := e.principal(t, assay.RoleAdmin)
	lib, err := catalog.LibraryCheckList()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := org.CreateCustomCheck(e.ctx, assay.SystemActor, assay.Check{ID: "custom-banner", Title: "Banner", Kind: "host",
		Expr: "true", Reason: "{{.Name}} shows no banner", Remediation: "Set a banner.", Severity: assay.SeverityLow, Controls: []string{"NET-02"}}); err != nil {
		t.Fatal(err)
	}
	checks, err := e.app.Checks(e.ctx, org)
	if err != nil || len(checks) != len(lib)+1 || checks[len(checks)-1].ID != "custom-banner" || checks[0].ID != lib[0].ID {
		t.Fatalf("checks: %d (library %d): %v", len(checks), len(lib), err)
	}
	byID, err := e.app.ChecksByID(e.ctx, e.org.ID)
	if err != nil || len(byID) != len(checks) {
		t.Fatalf("checks by id: %d %v", len(byID), err)
	}

	// A library check of some control fails on a source's resource.
	var lc assay.Check
	for _, c := range lib {
		if len(c.Controls) > 0 {
			lc = c
			break
		}
	}
	src, err := org.CreateSource(e.ctx, assay.SystemActor, assay.Source{Name: "web", Kind: "http", Enabled: true,
		Settings: map[string]string{"url": "https://example.test"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	if _, _, err := org.RecordRun(e.ctx, assay.SystemActor, assay.MonitorRun{SourceID: src.ID, Trigger: assay.TriggerManual, StartedAt: now, EndedAt: now, Status: assay.RunOK},
		[]assay.CheckResult{{CheckID: lc.ID, ResourceKind: lc.Kind, ResourceID: "r1", ResourceName: "r1", Status: assay.CheckFail, Reason: "fails on r1"}}, nil); err != nil {
		t.Fatal(err)
	}
	v, err := e.app.Readiness(e.ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if !v.AsOf.Equal(now) || v.Organization.ID != e.org.ID || len(v.Controls) == 0 {
		t.Fatalf("view: as of %v, org %d, %d controls", v.AsOf, v.Organization.ID, len(v.Controls))
	}
	held := false
	for _, c := range v.Readiness.Criteria {
		for _, cs := range c.Controls {
			if slices.Contains(lc.Controls, cs.ID) && strings.Contains(cs.Reason, lc.ID) {
				held = true
			}
		}
	}
	if !held {
		t.Fatalf("no control of %s (%v) is held back by its failing library check", lc.ID, lc.Controls)
	}
	// The operator's readiness (the CLI without --as) is the same figure.
	sys, err := e.app.OrgReadiness(e.ctx, org)
	if err != nil || sys.Readiness.Overall != v.Readiness.Overall {
		t.Fatalf("operator's readiness %+v, the admin's %+v (%v)", sys.Readiness.Overall, v.Readiness.Overall, err)
	}
}

// Readiness is the program's figures, not an employee's.
func TestReadinessRefusesAnEmployee(t *testing.T) {
	e := newEnv(t)
	_, err := e.app.Readiness(e.ctx, e.principal(t, assay.RoleEmployee))
	if assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Fatalf("employee's readiness: %v", err)
	}
	if _, err := e.app.AuditPeriod(e.ctx, e.principal(t, assay.RoleViewer), 1); assay.ErrorCode(err) == assay.EFORBIDDEN {
		t.Fatalf("a viewer may read engagements: %v", err)
	}
}

// The CLI's --as is the user with that email, acting through the CLI.
func TestPrincipalByEmail(t *testing.T) {
	e := newEnv(t)
	want := e.principal(t, assay.RoleMember)
	p, err := e.app.PrincipalByEmail(e.ctx, "member@acme.example")
	if err != nil || p.User.ID != want.User.ID || p.Via != "cli" || p.Actor().UserID != want.User.ID {
		t.Fatalf("principal: %+v %v", p, err)
	}
	if _, err := e.app.PrincipalByEmail(e.ctx, "nobody@acme.example"); assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Fatalf("unknown email: %v", err)
	}
}

// wantCode fails the test unless err carries the error code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if assay.ErrorCode(err) != code {
		t.Fatalf("%s: want %s, got %v", what, code, err)
	}
}
