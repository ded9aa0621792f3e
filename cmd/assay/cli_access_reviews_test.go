package main

import (
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// excelUTF16 is text as Excel's "Unicode Text" saves it: UTF-16 little
// endian with a byte-order mark, tab-separated, CRLF line ends.
func excelUTF16(text string) []byte {
	text = strings.ReplaceAll(text, "\n", "\r\n")
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(text)) {
		out = binary.LittleEndian.AppendUint16(out, u)
	}
	return out
}

// TestCLIAccessReviews: a campaign from the command line, through the same
// services as the web: the operator opens it and loads a file Excel saved
// as UTF-16, the system's owner decides its accounts and another member
// is refused, and completing it leaves evidence on ACC-04 and ACC-05.
func TestCLIAccessReviews(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	cli, must := e.cli, e.must
	e.root()
	e.user("member", "it@example.com", "Ida")
	e.user("member", "mo@example.com", "Mo")
	e.user("viewer", "vi@example.com", "Vi")
	e.user("auditor", "au@example.com", "Au")

	// Only admins open campaigns; the operator acts as one.
	if _, err := cli("access-review", "open", "--as", "it@example.com", "--name", "Q1", "--period", "2026 Q1", "--due", "2026-03-31", "--system", "Okta"); err == nil ||
		!strings.Contains(err.Error(), "Only admins run access review campaigns") {
		t.Fatalf("a member opened a campaign: %v", err)
	}
	var rv assay.AccessReview
	out := must("access-review", "open", "--name", "Q1 access review", "--period", "2026 Q1", "--due", "2026-03-31",
		"--system", "Okta=it@example.com", "--system", "GitHub", "--json")
	if err := json.Unmarshal([]byte(out), &rv); err != nil || rv.ID == 0 || len(rv.Systems) != 2 || rv.Systems[0].OwnerName == "" && rv.Systems[1].OwnerName == "" {
		t.Fatalf("open --json: %v %+v\n%s", err, rv, out)
	}
	id := strconv.FormatInt(rv.ID, 10)

	// The accounts come from a file Excel saved as Unicode text.
	file := filepath.Join(t.TempDir(), "accounts.txt")
	if err := os.WriteFile(file, excelUTF16("System\tUsername\tE-mail\tRole\nOkta\tjosé\tjose@example.com\tadmin\nOkta\tbob\tbob@example.com\tuser\nGitHub\tci-bot\t\towner\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := cli("access-review", "load", id, "--csv", file, "--as", "it@example.com"); err == nil || !strings.Contains(err.Error(), "Only admins") {
		t.Fatalf("a member loaded accounts: %v", err)
	}
	if _, err := cli("access-review", "load", id); err == nil || !strings.Contains(err.Error(), "--source") {
		t.Fatalf("load with no origin: %v", err)
	}
	var res assay.AccessLoadResult
	if out := must("access-review", "load", id, "--csv", file, "--json"); json.Unmarshal([]byte(out), &res) != nil || res.Added != 3 {
		t.Fatalf("load --json: %+v\n%s", res, out)
	}
	var d app.AccessReviewDetail
	if _, err := cli("access-review", "show", id, "--as", "vi@example.com"); err == nil || !strings.Contains(err.Error(), "does not show the access reviews") {
		t.Fatalf("a viewer read an access review: %v", err)
	}
	if out := must("access-review", "show", id, "--json", "--as", "au@example.com"); json.Unmarshal([]byte(out), &d) != nil || len(d.Accounts) != 3 {
		t.Fatalf("show --json: %+v\n%s", d, out)
	}
	acc := map[string]assay.AccessAccount{}
	for _, a := range d.Accounts {
		acc[a.Account] = a
	}
	if acc["josé"].Email != "jose@example.com" || acc["josé"].Privileges != "admin" || acc["ci-bot"].System != "GitHub" {
		t.Fatalf("accounts read from the UTF-16 file: %+v", d.Accounts)
	}
	decide := func(who, account, decision, reason string) (string, error) {
		args := []string{"access-review", "decide", id, strconv.FormatInt(acc[account].ID, 10), "--decision", decision, "--reason", reason, "--json"}
		if who != "" {
			args = append(args, "--as", who)
		}
		return cli(args...)
	}

	// The owner of Okta decides its accounts; another member may not, nor
	// may the owner decide GitHub's, nor the operator without a name.
	if _, err := decide("mo@example.com", "josé", "keep", "x"); err == nil || !strings.Contains(err.Error(), "Only the owner of Okta or an admin") {
		t.Fatalf("another member decided an Okta account: %v", err)
	}
	if _, err := decide("it@example.com", "ci-bot", "keep", "x"); err == nil || !strings.Contains(err.Error(), "Only the owner of GitHub") {
		t.Fatalf("the Okta owner decided a GitHub account: %v", err)
	}
	if _, err := decide("", "josé", "keep", "x"); err == nil || !strings.Contains(err.Error(), "--as EMAIL") {
		t.Fatalf("the operator decided without naming a reviewer: %v", err)
	}
	if _, err := decide("vi@example.com", "josé", "keep", "x"); err == nil || !strings.Contains(err.Error(), "viewer") {
		t.Fatalf("a viewer decided: %v", err)
	}
	if out, err := decide("it@example.com", "josé", "keep", "Runs the identity provider."); err != nil || !strings.Contains(out, `"decided_by_name": "Ida"`) {
		t.Fatalf("the owner's keep: %v\n%s", err, out)
	}
	var revoked assay.AccessAccount
	if out, err := decide("it@example.com", "bob", "revoke", "Left the company."); err != nil || json.Unmarshal([]byte(out), &revoked) != nil || revoked.CorrectiveID == 0 {
		t.Fatalf("the owner's revoke: %v\n%s", err, out)
	}
	if _, err := cli("access-review", "complete", id); err == nil || !strings.Contains(err.Error(), "1 undecided") {
		t.Fatalf("completed with an account undecided: %v", err)
	}
	if _, err := decide("root@example.com", "ci-bot", "keep", "Deploys."); err != nil {
		t.Fatalf("the admin's keep: %v", err)
	}
	if out := must("access-review", "show", id); !strings.Contains(out, "3 of 3 accounts decided") || !strings.Contains(out, "revoke") {
		t.Fatalf("show:\n%s", out)
	}
	if _, err := cli("access-review", "complete", id, "--as", "it@example.com"); err == nil || !strings.Contains(err.Error(), "Only admins") {
		t.Fatalf("a member completed the campaign: %v", err)
	}
	var done assay.AccessReview
	if out := must("access-review", "complete", id, "--json"); json.Unmarshal([]byte(out), &done) != nil || done.Status != assay.AccessReviewCompleted ||
		done.EvidenceID == 0 || done.Revoked != 1 || done.CompletedByName != "assay access-review complete" {
		t.Fatalf("complete --json: %+v\n%s", done, out)
	}
	for _, control := range []string{"ACC-04", "ACC-05"} {
		out := must("evidence", "list", "--control", control, "--json")
		var items []struct {
			ID int64 `json:"id"`
		}
		if err := json.Unmarshal([]byte(out), &items); err != nil || len(items) != 1 || items[0].ID != done.EvidenceID {
			t.Fatalf("evidence of %s: %v\n%s", control, err, out)
		}
	}
	// The list and the export.
	if out := must("access-review", "list"); !strings.Contains(out, "Q1 access review") || !strings.Contains(out, "completed") {
		t.Fatalf("list:\n%s", out)
	}
	csv := must("access-review", "export", id, "--as", "au@example.com")
	if lines := strings.Split(strings.TrimSpace(csv), "\n"); len(lines) != 4 || !strings.HasPrefix(lines[0], "campaign,period,system,account") ||
		!strings.Contains(csv, "Left the company.") {
		t.Fatalf("export:\n%s", csv)
	}
	if out := must("access-review", "export", id, "--json"); !strings.Contains(out, `"count": 3`) {
		t.Fatalf("export --json:\n%s", out)
	}
}
