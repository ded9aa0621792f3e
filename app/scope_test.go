package app_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// Every role that reads the program sees the scope; only admins change it,
// and a bad system description leaves the categories as they were too.
func TestScopeAuthorisation(t *testing.T) {
	e := newEnv(t)
	admin := e.principal(t, assay.RoleAdmin)
	member := e.principal(t, assay.RoleMember)

	if _, err := e.app.Scope(e.ctx, member); err != nil {
		t.Fatalf("a member reads the scope: %v", err)
	}
	avail := assay.Scope{Categories: []string{assay.CategoryAvailability}}
	if _, err := e.app.UpdateScope(e.ctx, member, avail, nil); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Fatalf("a member changed the scope: %v", err)
	}
	if _, err := e.app.UpdateSystemDescription(e.ctx, member, assay.SystemDescription{Services: "x"}); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Fatalf("a member changed the system description: %v", err)
	}
	bad := &assay.SystemDescription{Services: strings.Repeat("x", assay.MaxTextLen+1)}
	if _, err := e.app.UpdateScope(e.ctx, admin, avail, bad); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("an overlong description: %v", err)
	}
	if _, err := e.app.UpdateScope(e.ctx, admin, assay.Scope{}, nil); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("no categories at all: %v", err)
	}
	org, err := e.app.Scope(e.ctx, admin)
	if err != nil || slices.Contains(org.Scope.Categories, assay.CategoryAvailability) || org.System.Services != "" {
		t.Fatalf("the refused changes were written: %+v %v", org, err)
	}
	org, err = e.app.UpdateScope(e.ctx, admin, avail, &assay.SystemDescription{Services: "Payroll"})
	if err != nil || !org.Scope.Has(assay.CategoryAvailability) || org.System.Services != "Payroll" {
		t.Fatalf("an admin sets the scope and the description: %+v %v", org, err)
	}
}
