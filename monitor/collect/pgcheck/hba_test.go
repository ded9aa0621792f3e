package pgcheck

import (
	"slices"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

// rule builds a pg_hba_file_rules row as PostgreSQL shows a line of
// pg_hba.conf: "host all all 10.0.0.0/8 trust" has address 10.0.0.0 and
// netmask 255.0.0.0.
func rule(line int64, typ, db, user, addr, mask, method string) hbaRule {
	return hbaRule{Line: line, Type: typ, Databases: strings.Split(db, ","), Users: strings.Split(user, ","), Address: addr, Netmask: mask, Method: method}
}

func TestJudgeHBA(t *testing.T) {
	rules := []hbaRule{
		rule(1, "local", "all", "postgres", "", "", "peer"),
		rule(2, "local", "all", "all", "", "", "trust"),
		rule(3, "host", "all", "all", "127.0.0.1", "255.255.255.255", "trust"),
		rule(4, "host", "all", "all", "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "trust"),
		rule(5, "host", "replication", "replicator", "samehost", "", "trust"),
		rule(6, "host", "all", "all", "0.0.0.0", "0.0.0.0", "trust"),
		rule(7, "host", "app", "app", "10.0.0.0", "255.0.0.0", "trust"),
		rule(8, "hostssl", "all", "all", "samenet", "", "trust"),
		rule(9, "host", "all", "all", "all", "", "trust"),
		// 127.0.0.1/0 is every address, not the loopback.
		rule(10, "host", "all", "all", "127.0.0.1", "0.0.0.0", "trust"),
		rule(11, "host", "all", "all", "backup.example.com", "", "trust"),
		rule(12, "host", "all", "all", "192.168.1.0", "255.255.255.0", "password"),
		rule(13, "hostssl", "all", "all", "0.0.0.0", "0.0.0.0", "password"),
		rule(14, "local", "all", "all", "", "", "password"),
		rule(15, "host", "all", "all", "127.0.0.1", "255.255.255.255", "password"),
		rule(16, "hostssl", "all", "all", "::", "::", "md5"),
		rule(17, "hostnossl", "all", "all", "0.0.0.0", "0.0.0.0", "reject"),
		rule(18, "hostssl", "all", "all", "0.0.0.0", "0.0.0.0", "scram-sha-256"),
	}
	a := judgeHBA(rules, true)
	want := map[string][]any{
		"hba_trust_local": {"line 2: local all all trust", "line 3: host all all 127.0.0.1/32 trust", "line 4: host all all ::1/128 trust",
			"line 5: host replication replicator samehost trust"},
		"hba_trust_remote": {"line 6: host all all 0.0.0.0/0 trust", "line 7: host app app 10.0.0.0/8 trust", "line 8: hostssl all all samenet trust",
			"line 9: host all all all trust", "line 10: host all all 127.0.0.1/0 trust", "line 11: host all all backup.example.com trust"},
		"hba_cleartext_password": {"line 12: host all all 192.168.1.0/24 password"},
		"hba_md5":                {"line 16: hostssl all all ::/0 md5"},
	}
	for k, w := range want {
		if got := a[k].([]any); !slices.Equal(got, w) {
			t.Errorf("%s:\n got %q\nwant %q", k, got, w)
		}
	}
	// Remote host rules that do not demand TLS: 6, 7, 9, 10, 11, 12.
	if a["hba_non_ssl_remote_rules"] != int64(6) || a["hba_ssl_required"] != "no" || a["hba_readable"] != true {
		t.Errorf("non-SSL %v, required %v", a["hba_non_ssl_remote_rules"], a["hba_ssl_required"])
	}
	if rs := a["hba_rules"].([]any); len(rs) != len(rules) || rs[6].(map[string]any)["address"] != "10.0.0.0/8" || rs[6].(map[string]any)["line"] != int64(7) {
		t.Errorf("rules %v", rs)
	}

	// Only safe rules: nothing to report.
	safe := judgeHBA([]hbaRule{rule(1, "local", "all", "all", "", "", "peer"), rule(2, "hostssl", "all", "all", "0.0.0.0", "0.0.0.0", "scram-sha-256")}, true)
	for _, k := range []string{"hba_trust_local", "hba_trust_remote", "hba_cleartext_password", "hba_md5"} {
		if len(safe[k].([]any)) != 0 {
			t.Errorf("safe %s = %v", k, safe[k])
		}
	}
	if safe["hba_ssl_required"] != "yes" {
		t.Errorf("safe ssl %v", safe["hba_ssl_required"])
	}

	// Unreadable: unknown, and the checks fail saying so.
	unknown := judgeHBA(nil, false)
	if unknown["hba_ssl_required"] != "unknown" || unknown["hba_non_ssl_remote_rules"] != int64(-1) || len(unknown["hba_rules"].([]any)) != 0 {
		t.Errorf("unknown %v", unknown)
	}
}

// The hba checks judge rule rows as their severities promise.
func TestHBAChecks(t *testing.T) {
	progs := collecttest.Library(t, libraryFile)
	server := func(rules []hbaRule, readable bool) assay.Resource {
		a := judgeHBA(rules, readable)
		return assay.Resource{Kind: KindServer, ID: "db:5432", Name: "db:5432", Attrs: a}
	}
	for _, tc := range []struct {
		name     string
		rules    []hbaRule
		readable bool
		fails    []string
		reason   string
	}{
		{"trust from anywhere", []hbaRule{rule(9, "host", "all", "all", "0.0.0.0", "0.0.0.0", "trust")}, true,
			[]string{"pg-hba-no-trust-remote"}, "line 9: host all all 0.0.0.0/0 trust"},
		{"trust locally", []hbaRule{rule(1, "local", "all", "all", "", "", "trust")}, true, []string{"pg-hba-no-trust-local"}, "line 1: local all all trust"},
		{"cleartext", []hbaRule{rule(4, "host", "all", "all", "10.1.0.0", "255.255.0.0", "password")}, true,
			[]string{"pg-hba-no-cleartext-password"}, "line 4: host all all 10.1.0.0/16 password"},
		{"md5", []hbaRule{rule(5, "hostssl", "all", "all", "10.1.0.0", "255.255.0.0", "md5")}, true, []string{"pg-hba-no-md5"}, "line 5"},
		{"safe", []hbaRule{rule(1, "hostssl", "all", "all", "0.0.0.0", "0.0.0.0", "scram-sha-256")}, true, nil, ""},
		{"unknown", nil, false, []string{"pg-hba-no-cleartext-password", "pg-hba-no-md5", "pg-hba-no-trust-local", "pg-hba-no-trust-remote"}, "cannot read pg_hba_file_rules"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := server(tc.rules, tc.readable)
			var fails []string
			for id, res := range collecttest.Evaluate(t, progs, []assay.Resource{r}) {
				if !strings.HasPrefix(id, "pg-hba-") {
					continue
				}
				if res.Status == assay.CheckError {
					t.Errorf("%s: %s", id, res.Reason)
				}
				if res.Status == assay.CheckFail {
					fails = append(fails, id)
					if !strings.Contains(res.Reason, tc.reason) || !strings.Contains(res.Reason, "db:5432") {
						t.Errorf("%s reason %q", id, res.Reason)
					}
				}
			}
			slices.Sort(fails)
			if !slices.Equal(fails, tc.fails) {
				t.Errorf("fails %v, want %v", fails, tc.fails)
			}
		})
	}
}
