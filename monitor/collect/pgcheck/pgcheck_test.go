package pgcheck

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/internal/clocktest"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

const libraryFile = "../../../catalog/data/checks/postgres.json"

func testDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("ASSAY_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("ASSAY_TEST_POSTGRES is not set")
	}
	return dsn
}

// makeRoles creates test roles with a unique prefix and drops them after
// the test. It returns the prefix.
func makeRoles(t *testing.T, dsn string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	p := "assay_ct_" + hex.EncodeToString(b)
	future := clocktest.Now().AddDate(1, 0, 0).UTC().Format("2006-01-02")
	past := clocktest.Now().AddDate(0, -2, 0).UTC().Format("2006-01-02")
	stmts := []string{
		fmt.Sprintf(`CREATE ROLE %s_exp LOGIN PASSWORD 'pw-exp-1' VALID UNTIL '%s'`, p, future),
		fmt.Sprintf(`CREATE ROLE %s_noexp LOGIN PASSWORD 'pw-noexp-1'`, p),
		fmt.Sprintf(`CREATE ROLE %s_su SUPERUSER LOGIN PASSWORD 'pw-su-1' VALID UNTIL '%s'`, p, future),
		fmt.Sprintf(`CREATE ROLE %s_old LOGIN PASSWORD 'pw-old-1' VALID UNTIL '%s'`, p, past),
		fmt.Sprintf(`CREATE ROLE %s_bypass NOLOGIN BYPASSRLS`, p),
		`SET password_encryption = 'md5'`,
		fmt.Sprintf(`CREATE ROLE %s_md5 LOGIN PASSWORD 'pw-md5-1' VALID UNTIL '%s'`, p, future),
		`RESET password_encryption`,
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), dsn)
		if err != nil {
			t.Error(err)
			return
		}
		defer c.Close(context.Background())
		for _, s := range []string{"exp", "noexp", "su", "old", "bypass", "md5"} {
			if _, err := c.Exec(context.Background(), "DROP ROLE IF EXISTS "+p+"_"+s); err != nil {
				t.Error(err)
			}
		}
	})
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return p
}

func TestPostgres(t *testing.T) {
	dsn := testDSN(t)
	prefix := makeRoles(t, dsn)
	ctx := context.Background()
	now := clocktest.Now()
	res, err := NewWithClock(&assay.FixedClock{T: now}).Collect(ctx, monitor.Config{Secrets: map[string]string{"dsn": dsn}})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]assay.Resource{}
	var server assay.Resource
	for _, r := range res {
		switch r.Kind {
		case KindServer:
			server = r
		case KindRole:
			byName[r.Attrs["role"].(string)] = r
			if strings.HasPrefix(r.Attrs["role"].(string), "pg_") {
				t.Errorf("built-in role %s reported", r.Name)
			}
		}
	}
	if server.Kind == "" {
		t.Fatal("no server resource")
	}

	// The server attributes agree with what the server itself says.
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var logConn, ssl, pwEnc, archive string
	var num int64
	if err := conn.QueryRow(ctx, `SELECT current_setting('log_connections'), current_setting('ssl'), current_setting('password_encryption'),
		current_setting('archive_mode'), current_setting('server_version_num')::bigint`).Scan(&logConn, &ssl, &pwEnc, &archive, &num); err != nil {
		t.Fatal(err)
	}
	want(t, server, map[string]any{
		"log_connections": logConn == "on", "ssl": ssl == "on", "password_encryption": pwEnc, "archive_mode": archive,
		"server_version_num": num, "major_version": num / 10000, "hba_readable": true,
	})
	for _, k := range []string{"hba_ssl_required", "last_archived_age_hours", "log_statement", "version_supported", "connection_ssl"} {
		if _, ok := server.Attrs[k]; !ok {
			t.Errorf("server lacks %s", k)
		}
	}
	checkHBAAgainstServer(t, conn, server)
	raw := fmt.Sprint(res)
	if u, _ := url.Parse(dsn); u != nil {
		if pw, ok := u.User.Password(); ok && pw != "" && strings.Contains(raw, pw) {
			t.Fatal("a resource holds the password")
		}
	}

	collecttest.SameKeys(t, libraryFile, server)
	collecttest.SameKeys(t, libraryFile, res[len(res)-1])
	role := func(s string) assay.Resource {
		r, ok := byName[prefix+"_"+s]
		if !ok {
			t.Fatalf("role %s_%s not collected", prefix, s)
		}
		return r
	}
	want(t, role("exp"), map[string]any{"can_login": true, "expires": true, "expired": false, "password_type": "scram-sha-256", "password_set": "yes", "superuser": false})
	want(t, role("noexp"), map[string]any{"expires": false, "valid_until": ""})
	want(t, role("su"), map[string]any{"superuser": true, "can_login": true})
	want(t, role("old"), map[string]any{"expires": true, "expired": true})
	want(t, role("bypass"), map[string]any{"can_login": false, "bypass_rls": true, "password_set": "no", "password_type": "none"})
	want(t, role("md5"), map[string]any{"password_type": "md5"})
	if d := role("exp").Attrs["days_until_expiry"].(int64); d < 360 || d > 366 {
		t.Errorf("days_until_expiry %d", d)
	}

	progs := collecttest.Library(t, libraryFile)
	failing := map[string][]string{
		"exp":    nil,
		"noexp":  {"pg-role-login-expiry"},
		"su":     {"pg-role-superuser-login"},
		"old":    {"pg-role-expired-removed"},
		"bypass": {"pg-role-bypass-rls"},
		"md5":    {"pg-role-password-scram"},
	}
	for suffix, fails := range failing {
		r := role(suffix)
		for id, got := range collecttest.Evaluate(t, progs, []assay.Resource{r}) {
			wantStatus := assay.CheckPass
			for _, f := range fails {
				if f == id {
					wantStatus = assay.CheckFail
				}
			}
			if got.Status != wantStatus {
				t.Errorf("%s on %s: %s (%s), want %s", id, r.Name, got.Status, got.Reason, wantStatus)
			}
			if got.Status == assay.CheckFail && !strings.Contains(got.Reason, r.Name) {
				t.Errorf("%s reason %q", id, got.Reason)
			}
		}
	}
	results := collecttest.Evaluate(t, progs, []assay.Resource{server})
	if got := results["pg-log-connections"].Status; (got == assay.CheckPass) != (logConn == "on") {
		t.Errorf("pg-log-connections %s with log_connections %s", got, logConn)
	}
	if got := results["pg-wal-archiving-enabled"].Status; (got == assay.CheckPass) != (archive != "off") {
		t.Errorf("pg-wal-archiving-enabled %s with archive_mode %s", got, archive)
	}
	for id, r := range results {
		if r.Status == assay.CheckError {
			t.Errorf("%s errored: %s", id, r.Reason)
		}
	}

	// Version support follows the injected clock.
	for _, tc := range []struct {
		at   time.Time
		pass bool
	}{{time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), num/10000 <= 18 && num/10000 >= 9}, {time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC), false}} {
		res, err := NewWithClock(&assay.FixedClock{T: tc.at}).Collect(ctx, monitor.Config{Secrets: map[string]string{"dsn": dsn}})
		if err != nil {
			t.Fatal(err)
		}
		if got := progs["pg-version-supported"].Eval(res[0]); (got.Status == assay.CheckPass) != tc.pass {
			t.Errorf("at %s: %s %s", tc.at, got.Status, got.Reason)
		}
	}
}

// A login that is not a superuser cannot read pg_authid or
// pg_hba_file_rules: the collector still works and says "unknown".
func TestPostgresUnprivileged(t *testing.T) {
	dsn := testDSN(t)
	prefix := makeRoles(t, dsn)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(u.Host)
	cfg := monitor.Config{
		Settings: map[string]string{"host": host, "port": port, "user": prefix + "_exp", "dbname": strings.TrimPrefix(u.Path, "/"), "sslmode": "disable"},
		Secrets:  map[string]string{"password": "pw-exp-1"},
	}
	if err := New().Validate(cfg); err != nil {
		t.Fatal(err)
	}
	res, err := New().Collect(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	want(t, res[0], map[string]any{"hba_readable": false, "hba_ssl_required": "unknown"})
	if len(res) < 2 || res[1].Attrs["password_type"] != "unknown" || res[1].Attrs["password_set"] != "unknown" {
		t.Fatalf("roles without pg_authid: %+v", res[1:])
	}
	progs := collecttest.Library(t, libraryFile)
	if got := progs["pg-ssl-required-remote"].Eval(res[0]); got.Status != assay.CheckFail || !strings.Contains(got.Reason, "unknown") {
		t.Errorf("unknown pg_hba: %s %q", got.Status, got.Reason)
	}
	for _, id := range []string{"pg-hba-no-trust-remote", "pg-hba-no-trust-local", "pg-hba-no-cleartext-password", "pg-hba-no-md5"} {
		if got := progs[id].Eval(res[0]); got.Status != assay.CheckFail || !strings.Contains(got.Reason, "cannot read pg_hba_file_rules") {
			t.Errorf("%s on unknown pg_hba: %s %q", id, got.Status, got.Reason)
		}
	}
}

// Connection failures are errors that never repeat the password or DSN.
func TestPostgresSecretsStayOut(t *testing.T) {
	dsn := testDSN(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(u.Host)
	const secret = "Sup3r-Secret-Passw0rd"
	// A role that does not exist, with a password.
	_, err = New().Collect(context.Background(), monitor.Config{
		Settings: map[string]string{"host": host, "port": port, "user": "assay_ct_nobody_" + secret[:3], "dbname": "postgres", "sslmode": "disable"},
		Secrets:  map[string]string{"password": secret},
	})
	if err == nil || strings.Contains(err.Error(), secret) {
		t.Fatalf("wrong login: %v", err)
	}
	// A DSN with the password, pointing at a closed port.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	bad := "postgres://someone:" + secret + "@" + closed + "/db?sslmode=disable&connect_timeout=3"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = New().Collect(ctx, monitor.Config{Secrets: map[string]string{"dsn": bad}})
	if err == nil || strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), bad) {
		t.Fatalf("closed port: %v", err)
	}
	if !strings.Contains(err.Error(), closed) {
		t.Errorf("error %q does not name the server", err)
	}
	if err := New().Validate(monitor.Config{Secrets: map[string]string{"dsn": "postgres://x:" + secret + "@%zz"}}); err == nil || strings.Contains(err.Error(), secret) {
		t.Fatalf("bad dsn: %v", err)
	}
}

func TestValidate(t *testing.T) {
	c := New()
	for _, s := range []map[string]string{{}, {"host": "db"}, {"user": "u"}, {"host": "db", "user": "u", "port": "x"}, {"host": "db", "user": "u", "sslmode": "maybe"}} {
		if err := c.Validate(monitor.Config{Settings: s}); assay.ErrorCode(err) != assay.EINVALID {
			t.Errorf("%v: %v", s, err)
		}
	}
	if err := c.Validate(monitor.Config{Settings: map[string]string{"host": "db.internal", "user": "monitor"}, Secrets: map[string]string{"password": "x"}}); err != nil {
		t.Error(err)
	}
}

func TestVersionTable(t *testing.T) {
	at := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		major int64
		ok    bool
	}{{9, false}, {13, false}, {14, false}, {15, true}, {18, true}, {25, true}, {8, false}} {
		if got, _, _ := support(tc.major, at); got != tc.ok {
			t.Errorf("major %d at %s: %v", tc.major, at, got)
		}
	}
	if majorOf(90624) != 9 || majorOf(150020) != 15 {
		t.Error("majorOf")
	}
}

func want(t *testing.T, r assay.Resource, attrs map[string]any) {
	t.Helper()
	for k, v := range attrs {
		if fmt.Sprint(r.Attrs[k]) != fmt.Sprint(v) {
			t.Errorf("%s: %s = %#v, want %#v", r.Name, k, r.Attrs[k], v)
		}
	}
}

// checkHBAAgainstServer compares the collector's reading of pg_hba.conf
// with the server's own view: every valid rule is listed, and each trust
// rule is classed local (Unix socket, or a single loopback address, as the
// rules of a stock or container install are) or remote.
func checkHBAAgainstServer(t *testing.T, conn *pgx.Conn, server assay.Resource) {
	t.Helper()
	ctx := context.Background()
	rows, err := conn.Query(ctx, `SELECT line_number, type, coalesce(address, ''), coalesce(netmask, ''), auth_method FROM pg_hba_file_rules WHERE error IS NULL`)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		line                    int32
		typ, addr, mask, method string
	}
	rs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		err := r.Scan(&x.line, &x.typ, &x.addr, &x.mask, &x.method)
		return x, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := server.Attrs["hba_rules"].([]any); len(got) != len(rs) {
		t.Fatalf("%d hba rules collected, the server has %d", len(got), len(rs))
	}
	listed := func(key string, line int32) bool {
		for _, d := range server.Attrs[key].([]any) {
			if strings.HasPrefix(d.(string), fmt.Sprintf("line %d: ", line)) {
				return true
			}
		}
		return false
	}
	trust := 0
	for _, r := range rs {
		if r.method != "trust" {
			continue
		}
		trust++
		local := r.typ == "local" || (r.addr == "127.0.0.1" && r.mask == "255.255.255.255") ||
			(r.addr == "::1" && r.mask == "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff") || r.addr == "samehost" || r.addr == "localhost"
		if listed("hba_trust_local", r.line) != local || listed("hba_trust_remote", r.line) == local {
			t.Errorf("trust rule on line %d (%s %s %s): local %v, lists %v / %v", r.line, r.typ, r.addr, r.mask, local,
				server.Attrs["hba_trust_local"], server.Attrs["hba_trust_remote"])
		}
	}
	t.Logf("pg_hba: %d rules, %d trust; local %v, remote %v", len(rs), trust, server.Attrs["hba_trust_local"], server.Attrs["hba_trust_remote"])
	got := collecttest.Library(t, libraryFile)["pg-hba-no-trust-local"].Eval(server)
	if (got.Status == assay.CheckFail) != (len(server.Attrs["hba_trust_local"].([]any)) > 0) {
		t.Errorf("pg-hba-no-trust-local %s: %s", got.Status, got.Reason)
	}
}
