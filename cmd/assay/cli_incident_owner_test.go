package main

import (
	"strings"
	"testing"
)

// TestCLIIncidentOwner: an admin gives an incident its owner by email and
// clears it with none; a member may not, nor may a viewer own one.
func TestCLIIncidentOwner(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t).at("2028-03-01T08:00:00Z")
	e.root()
	e.user("member", "mo@example.com", "Mo")
	e.user("viewer", "vi@example.com", "Vi")
	e.must("incident", "report", "--title", "Lost laptop", "--occurred", "2028-02-29T22:10", "--detected", "2028-02-29T23:30")
	if out := e.must("incident", "owner", "1", "mo@example.com"); !strings.Contains(out, "Owner: Mo") {
		t.Errorf("incident owner: %s", out)
	}
	if out := e.must("incident", "show", "1", "--json"); !strings.Contains(out, `"owner_name": "Mo"`) {
		t.Errorf("incident show --json lacks the owner:\n%s", out)
	}
	e.refused("role is member", "incident", "owner", "1", "mo@example.com", "--as", "mo@example.com")
	e.refused("choose an admin or a member", "incident", "owner", "1", "vi@example.com")
	if out := e.must("incident", "owner", "1", "none"); strings.Contains(out, "Owner:") {
		t.Errorf("incident owner none: %s", out)
	}
}
