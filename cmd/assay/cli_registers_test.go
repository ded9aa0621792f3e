package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/catalog"
)

// TestCLIRegisters: the risk and vendor registers from the command line,
// through the same services as the web: the operator adopts and adds, a
// member may change only what they own, and --json prints the API's
// documents.
func TestCLIRegisters(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	cli, must := e.cli, e.must
	e.root()
	e.user("member", "mo@example.com", "Mo")
	e.user("employee", "em@example.com", "Em")

	// Risks: templates adopted by the operator, one added by an admin for Mo.
	if out := must("risk", "adopt", "all"); !strings.Contains(out, "Adopted") {
		t.Fatalf("adopt: %s", out)
	}
	var added app.RiskView
	out := must("risk", "add", "--as", "root@example.com", "--title", "Laptop theft", "--category", "security", "--likelihood", "3", "--impact", "4",
		"--residual-likelihood", "2", "--residual-impact", "2", "--owner", "mo@example.com", "--controls", "ACC-01", "--json")
	if err := json.Unmarshal([]byte(out), &added); err != nil || added.InherentScore != 12 || added.ResidualScore != 4 || added.OwnerName != "Mo" {
		t.Fatalf("risk add --json: %v %+v\n%s", err, added, out)
	}
	var list struct {
		Risks []app.RiskView `json:"risks"`
		Count int            `json:"count"`
	}
	if err := json.Unmarshal([]byte(must("risk", "list", "--json")), &list); err != nil || list.Count < 2 || list.Count != len(list.Risks) {
		t.Fatalf("risk list --json: %v %d", err, list.Count)
	}
	other := list.Risks[0].ID
	if other == added.ID {
		other = list.Risks[1].ID
	}
	id := strconv.FormatInt(added.ID, 10)
	// Mo changes their own risk, not another, and cannot hand theirs on.
	if out := must("risk", "update", id, "--as", "mo@example.com", "--residual-impact", "1"); !strings.Contains(out, "residual 2") {
		t.Fatalf("owner's update: %s", out)
	}
	if out, err := cli("risk", "update", strconv.FormatInt(other, 10), "--as", "mo@example.com", "--residual-impact", "1"); err == nil ||
		!strings.Contains(err.Error(), "Only an admin or the risk's owner") {
		t.Fatalf("a member changed a risk they do not own: %v\n%s", err, out)
	}
	if _, err := cli("risk", "update", id, "--as", "mo@example.com", "--owner", "root@example.com"); err == nil || !strings.Contains(err.Error(), "hand a risk") {
		t.Fatalf("a member handed their risk on: %v", err)
	}
	if _, err := cli("risk", "add", "--as", "mo@example.com", "--title", "X", "--category", "security", "--likelihood", "1", "--impact", "1"); err == nil ||
		!strings.Contains(err.Error(), "Only admins") {
		t.Fatalf("a member added a risk: %v", err)
	}
	if _, err := cli("risk", "list", "--as", "em@example.com"); err == nil || !strings.Contains(err.Error(), "employee") {
		t.Fatalf("an employee listed the risks: %v", err)
	}
	if _, err := cli("risk", "list", "--as", "nobody@example.com"); err == nil || !strings.Contains(err.Error(), "no such user") {
		t.Fatalf("an unknown --as: %v", err)
	}
	// Bad input changes nothing.
	if _, err := cli("risk", "add", "--title", "Bad", "--category", "security", "--likelihood", "9", "--impact", "1"); err == nil {
		t.Fatal("a likelihood of 9 was accepted")
	}
	if err := json.Unmarshal([]byte(must("risk", "list", "--json")), &list); err != nil || slicesHasTitle(list.Risks, "Bad") {
		t.Fatalf("the refused risk is in the register: %v", err)
	}

	// Vendors: added, reviewed, listed.
	var v app.VendorView
	out = must("vendor", "add", "--name", "Paystream", "--classification", "restricted", "--criticality", "high", "--owner", "mo@example.com",
		"--services", "Card payments", "--json")
	if err := json.Unmarshal([]byte(out), &v); err != nil || v.Tier != "high" || v.ReviewCurrent {
		t.Fatalf("vendor add --json: %v %+v\n%s", err, v, out)
	}
	vid := strconv.FormatInt(v.ID, 10)
	if out, err := cli("vendor", "update", vid, "--as", "mo@example.com", "--tier-override", "low", "--tier-reason", "x"); err == nil {
		t.Fatalf("a member overrode a tier: %s", out)
	}
	qs, err := catalog.VendorQuestions()
	if err != nil {
		t.Fatal(err)
	}
	review := []string{"vendor", "review", vid, "--as", "mo@example.com", "--json"}
	for _, q := range qs {
		review = append(review, "--answer", q.ID+"=yes")
	}
	out = must(review...)
	if err := json.Unmarshal([]byte(out), &v); err != nil || !v.ReviewCurrent || v.ReviewerName != "Mo" {
		t.Fatalf("vendor review: %v %+v\n%s", err, v, out)
	}
	if out := must("vendor", "list"); !strings.Contains(out, "Paystream") || !strings.Contains(out, "current") {
		t.Fatalf("vendor list:\n%s", out)
	}
}

func slicesHasTitle(risks []app.RiskView, title string) bool {
	for _, r := range risks {
		if r.Title == title {
			return true
		}
	}
	return false
}
