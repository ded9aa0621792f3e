package pgcheck

import (
	"net"
	"strings"
	"testing"
)

// FuzzHBARule feeds the pg_hba rule reader any address and netmask (the
// view gives them as text): it must not panic, must list every rule, and
// a rule it takes for local must admit only the server itself.
func FuzzHBARule(f *testing.F) {
	for _, seed := range [][4]string{
		{"local", "", "", "trust"}, {"host", "127.0.0.1", "255.255.255.255", "trust"}, {"host", "127.0.0.1", "0.0.0.0", "trust"},
		{"host", "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "md5"}, {"hostssl", "10.0.0.0", "255.0.0.0", "password"},
		{"host", "::ffff:127.0.0.1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00", "trust"}, {"host", "samenet", "", "trust"},
		{"host", "127.0.0.1", "255.0.255.0", "trust"}, {"hostnossl", "db.example.com", "", "password"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	f.Fuzz(func(t *testing.T, typ, addr, mask, method string) {
		r := hbaRule{Line: 7, Type: typ, Databases: []string{"all"}, Users: []string{"all"}, Address: addr, Netmask: mask, Method: method}
		a := judgeHBA([]hbaRule{r}, true)
		if len(a["hba_rules"].([]any)) != 1 || !strings.HasPrefix(r.String(), "line 7: ") {
			t.Fatalf("rule not listed: %v", a)
		}
		if r.local() && typ != "local" && addr != "samehost" && addr != "localhost" {
			if ip := net.ParseIP(addr); ip == nil || !ip.IsLoopback() {
				t.Fatalf("%s/%s taken for local", addr, mask)
			}
		}
	})
}
