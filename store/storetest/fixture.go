package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// Criteria is the suite's small catalog: three security criteria, one
// availability and one privacy criterion, in framework order.
func Criteria() []assay.Criterion {
	return []assay.Criterion{
		{ID: "CC1.1", Category: assay.CategorySecurity, Series: "CC1", Title: "Integrity and ethical values"},
		{ID: "CC6.1", Category: assay.CategorySecurity, Series: "CC6", Title: "Logical access security"},
		{ID: "CC6.2", Category: assay.CategorySecurity, Series: "CC6", Title: "User registration and authorisation"},
		{ID: "A1.1", Category: assay.CategoryAvailability, Series: "A1", Title: "Capacity management"},
		{ID: "P1.1", Category: assay.CategoryPrivacy, Series: "P1", Title: "Privacy notice"},
	}
}

// LibraryControls is the suite's default library. It is deliberately not in
// id order, and some criteria lists are not in catalog order, so that the
// store's ordering is tested. Mappings:
//
//	CC1.1: GV-01, OP-01    CC6.1: AC-01, AC-02    CC6.2: AC-01
//	A1.1:  AV-01, OP-01    P1.1:  PR-01
//
// The texts are chosen for the search tests: only AC-02 contains "%",
// only OP-01 contains "_", and GV-01 contains "code of" (with a space).
func LibraryControls() []assay.Control {
	lib := func(id, family, name, desc string, criteria ...string) assay.Control {
		return assay.Control{ID: id, Family: family, Name: name, Description: desc, Evidence: "Evidence for " + id,
			OwnerRole: "Security lead", Frequency: "annual", Kind: "preventive", Criteria: criteria, Status: assay.StatusNotStarted}
	}
	return []assay.Control{
		lib("OP-01", "Operations", "Change management", "Every change is recorded in change_log before release.", "A1.1", "CC1.1"),
		lib("AC-02", "Access control", "Multi-factor authentication", "MFA protects 100% of staff accounts.", "CC6.1"),
		lib("GV-01", "Governance", "Code of conduct", "Everyone signs the code of conduct.", "CC1.1"),
		lib("AC-01", "Access control", "Access reviews", "Quarterly review of who can reach production.", "CC6.2", "CC6.1"),
		lib("PR-01", "Privacy", "Privacy notice", "A notice tells data subjects what is collected.", "P1.1"),
		lib("AV-01", "Resilience", "Backups", "Nightly snapshots, restored every month.", "A1.1"),
	}
}

// LibraryIDs are the ids of LibraryControls in id order.
var LibraryIDs = []string{"AC-01", "AC-02", "AV-01", "GV-01", "OP-01", "PR-01"}

// Env is one subtest's world: a fresh store and the clock it reads.
type Env struct {
	T     *testing.T
	Ctx   context.Context
	Clock *assay.FixedClock
	Store store.Store
}

// Org creates an organisation with the library and returns its store.
func (e *Env) Org(slug string, categories ...string) (assay.Organization, store.OrgStore) {
	e.T.Helper()
	org, err := e.Store.CreateOrganization(e.Ctx, Actor, "Org "+slug, slug, assay.Scope{Categories: categories}, LibraryControls())
	if err != nil {
		e.T.Fatalf("create organisation %s: %v", slug, err)
	}
	return org, e.Store.Org(org.ID)
}

// User creates a user with the role in the organisation. Its password hash
// is "hash-of-" + email.
func (e *Env) User(o store.OrgStore, email string, role assay.Role) assay.User {
	e.T.Helper()
	u, err := o.CreateUser(e.Ctx, Actor, assay.NewUser{Email: email, Role: role, Password: "correct horse battery"}, "hash-of-"+email)
	if err != nil {
		e.T.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// Control reads one control, failing the test when it cannot.
func (e *Env) Control(o store.OrgStore, id string) assay.Control {
	e.T.Helper()
	c, err := o.Control(e.Ctx, id)
	if err != nil {
		e.T.Fatalf("read control %s: %v", id, err)
	}
	return c
}

// Update applies a patch that must succeed.
func (e *Env) Update(o store.OrgStore, id string, p assay.ControlPatch) assay.Control {
	e.T.Helper()
	c, err := o.UpdateControl(e.Ctx, Actor, id, p)
	if err != nil {
		e.T.Fatalf("update control %s: %v", id, err)
	}
	return c
}

// SetStatus sets a control's status (with a justification for not applicable).
func (e *Env) SetStatus(o store.OrgStore, id string, s assay.ControlStatus) {
	e.T.Helper()
	p := assay.ControlPatch{Status: &s}
	if s == assay.StatusNotApplicable {
		p.Justification = ptr("We do not run this; see the system description.")
	}
	e.Update(o, id, p)
}

// Activity returns every activity entry of the organisation, newest first,
// paging through the whole trail.
func (e *Env) Activity(o store.OrgStore) []assay.Activity {
	e.T.Helper()
	var all []assay.Activity
	f := assay.ActivityFilter{Limit: 50}
	for {
		page, err := o.Activity(e.Ctx, f)
		if err != nil {
			e.T.Fatalf("read activity: %v", err)
		}
		all = append(all, page...)
		if len(page) < f.Limit {
			return all
		}
		f.BeforeSeq = page[len(page)-1].Seq
	}
}

// ControlIDs lists the ids of the organisation's controls under a filter.
func (e *Env) ControlIDs(o store.OrgStore, f assay.ControlFilter) []string {
	e.T.Helper()
	cs, err := o.Controls(e.Ctx, f)
	if err != nil {
		e.T.Fatalf("list controls %+v: %v", f, err)
	}
	return ids(cs)
}

func ids(cs []assay.Control) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// wantCode fails the test unless err carries the code.
func wantCode(t *testing.T, err error, code, what string) {
	t.Helper()
	if got := assay.ErrorCode(err); got != code {
		t.Fatalf("%s: got error code %q (%v), want %q", what, got, err, code)
	}
}

// check fails the test on err.
func check(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// must holds a call's results until get checks them:
// must(os.Control(ctx, id)).get(t).
func must[T any](v T, err error) result[T] { return result[T]{v, err} }

type result[T any] struct {
	v   T
	err error
}

// get fails the test when the call failed and returns its value.
func (r result[T]) get(t *testing.T) T {
	t.Helper()
	if r.err != nil {
		t.Fatalf("unexpected error: %v", r.err)
	}
	return r.v
}

func wantIDs(t *testing.T, got, want []string, what string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s: got %q, want %q", what, got, want)
	}
}

func sprint(v any) string { return fmt.Sprintf("%+v", v) }

// wantField fails the test unless err is invalid input naming field.
func wantField(t *testing.T, err error, field, what string) {
	t.Helper()
	var e *assay.Error
	if !errors.As(err, &e) || e.Code != assay.EINVALID || e.Field != field {
		t.Fatalf("%s: got %v, want invalid %s", what, err, field)
	}
}
