package main

import (
	"strings"
	"testing"
)

// TestCLIDigest: the organisation's defaults shown and set (admins only,
// bad input refused), a person's digest previewed at 29 Feb 2028 with
// their own items only, and send refused without a mail server.
func TestCLIDigest(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t).at("2028-02-29T12:00:00Z")
	e.root()
	e.user("member", "mo@example.com", "Mo")
	e.user("auditor", "au@example.com", "Au")
	if out := e.must("digest", "settings"); !strings.Contains(out, "weekly on Monday at 08:00 UTC; kinds left out: none") {
		t.Fatalf("digest settings:\n%s", out)
	}
	if out := e.must("digest", "set", "--frequency", "daily", "--hour", "7", "--timezone", "America/New_York", "--opt-out", "risk_reviews"); !strings.Contains(out, "Saved. Reminder digests: daily at 07:00 America/New_York; kinds left out: risk_reviews.") {
		t.Fatalf("digest set:\n%s", out)
	}
	e.refused("Unknown time zone", "digest", "set", "--timezone", "Mars/Olympus")
	e.refused("Unknown reminder kind", "digest", "set", "--opt-out", "gossip")
	e.refused("Only admins", "digest", "set", "--frequency", "off", "--as", "mo@example.com")
	e.refused("No e-mail alert channel", "digest", "send")

	e.must("corrective", "add", "--title", "Patch the VPN", "--action", "Patch it.", "--owner", "mo@example.com", "--due", "2028-03-01")
	if out := e.must("digest", "preview", "mo@example.com"); !strings.Contains(out, "Corrective action: Patch the VPN (due Wed 1 Mar 2028)") || !strings.Contains(out, "daily") {
		t.Fatalf("preview of Mo's digest:\n%s", out)
	}
	if out := e.must("digest", "preview", "au@example.com"); !strings.Contains(out, "Nothing due: no e-mail would be sent.") {
		t.Fatalf("preview of the auditor's digest:\n%s", out)
	}
	e.refused("No user nobody@example.com", "digest", "preview", "nobody@example.com")
}
