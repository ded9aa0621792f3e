package pgcheck

import (
	"context"
	"fmt"
	"net"
	"strings"

	"github.com/jackc/pgx/v5"
)

// hbaRule is one valid line of pg_hba.conf as pg_hba_file_rules shows it.
type hbaRule struct {
	Line      int64
	Type      string // local, host, hostssl, hostnossl, hostgssenc, hostnogssenc
	Databases []string
	Users     []string
	Address   string // an IP address, a host name or a keyword (all, samehost, samenet); "" for local
	Netmask   string // with an IP address
	Method    string // trust, reject, scram-sha-256, md5, password, peer, ident, ...
}

const hbaSQL = `SELECT line_number, type, coalesce(database, '{}'), coalesce(user_name, '{}'), coalesce(address, ''),
  coalesce(netmask, ''), coalesce(auth_method, '')
FROM pg_hba_file_rules WHERE error IS NULL ORDER BY line_number`

// readHBA reads pg_hba_file_rules: superusers may, and so may a login
// granted SELECT on it (and EXECUTE on pg_hba_file_rules()). Lines
// PostgreSQL could not parse are left out: the server ignores them too.
func readHBA(ctx context.Context, conn *pgx.Conn) ([]hbaRule, error) {
	rows, err := conn.Query(ctx, hbaSQL)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (hbaRule, error) {
		var h hbaRule
		var line int32
		err := r.Scan(&line, &h.Type, &h.Databases, &h.Users, &h.Address, &h.Netmask, &h.Method)
		h.Line = int64(line)
		return h, err
	})
}

// hbaAttrs reads pg_hba_file_rules into the server's attributes (see
// judgeHBA). When the view cannot be read, hba_readable is false,
// hba_ssl_required "unknown", hba_non_ssl_remote_rules -1 and the lists
// are empty.
func hbaAttrs(ctx context.Context, conn *pgx.Conn, a map[string]any) {
	rules, err := readHBA(ctx, conn)
	if err != nil {
		rules = nil
	}
	for k, v := range judgeHBA(rules, err == nil) {
		a[k] = v
	}
}

// judgeHBA summarises the rules. Attributes: hba_readable (bool);
// hba_ssl_required ("yes", "no", "unknown": every rule admitting remote
// TCP clients demands TLS); hba_non_ssl_remote_rules (int, -1 unknown);
// hba_rules (every rule as a map: line, type, database, user, address,
// method); and the rules each check judges, as "line N: host all all
// 0.0.0.0/0 trust": hba_trust_remote (trust from any address beyond the
// server itself), hba_trust_local (trust over the Unix socket or
// loopback), hba_cleartext_password (password sent unencrypted over the
// network: method password on a host or hostnossl rule from beyond the
// server) and hba_md5 (method md5).
func judgeHBA(rules []hbaRule, readable bool) map[string]any {
	var all, trustRemote, trustLocal, cleartext, md5 []any
	nonSSL := int64(0)
	for _, r := range rules {
		local := r.local()
		desc := r.String()
		all = append(all, map[string]any{
			"line": r.Line, "type": r.Type, "database": strings.Join(r.Databases, ","), "user": strings.Join(r.Users, ","),
			"address": r.address(), "method": r.Method,
		})
		switch {
		case r.Method == "trust" && local:
			trustLocal = append(trustLocal, desc)
		case r.Method == "trust":
			trustRemote = append(trustRemote, desc)
		case r.Method == "password" && !local && (r.Type == "host" || r.Type == "hostnossl"):
			cleartext = append(cleartext, desc)
		case r.Method == "md5":
			md5 = append(md5, desc)
		}
		if (r.Type == "host" || r.Type == "hostnossl") && r.Method != "reject" && !local {
			nonSSL++
		}
	}
	a := map[string]any{
		"hba_readable": readable, "hba_ssl_required": "unknown", "hba_non_ssl_remote_rules": int64(-1),
		"hba_rules": list(all), "hba_trust_remote": list(trustRemote), "hba_trust_local": list(trustLocal),
		"hba_cleartext_password": list(cleartext), "hba_md5": list(md5),
	}
	if readable {
		a["hba_non_ssl_remote_rules"] = nonSSL
		a["hba_ssl_required"] = map[bool]string{true: "yes", false: "no"}[nonSSL == 0]
	}
	return a
}

// list is l, or an empty list instead of nil.
func list(l []any) []any {
	if l == nil {
		return []any{}
	}
	return l
}

// local reports whether a rule admits only clients on the server itself:
// the Unix socket, samehost, localhost, or a loopback network (the whole
// network, netmask included, inside 127.0.0.0/8 or ::1).
func (r hbaRule) local() bool {
	if r.Type == "local" {
		return true
	}
	switch r.Address {
	case "samehost", "localhost":
		return true
	}
	ip := net.ParseIP(r.Address)
	if ip == nil {
		return false // all, samenet, a host name: beyond the server
	}
	bits := 8 * net.IPv6len
	if v4 := ip.To4(); v4 != nil {
		ip, bits = v4, 8*net.IPv4len
	}
	ones := bits // a bare address is one host
	if r.Netmask != "" {
		mask := netmask(r.Netmask, bits)
		if mask == nil {
			return false
		}
		ones, _ = mask.Size()
	}
	if bits == 8*net.IPv4len {
		return ones >= 8 && ip.Mask(net.CIDRMask(ones, bits))[0] == 127
	}
	return ones == bits && ip.Equal(net.IPv6loopback)
}

// netmask parses a netmask of an address of the given bits; nil when it
// is not one (not an address, another family, not contiguous).
func netmask(s string, bits int) net.IPMask {
	m := net.ParseIP(s)
	if m == nil {
		return nil
	}
	if bits == 8*net.IPv4len {
		if m = m.To4(); m == nil {
			return nil
		}
	}
	mask := net.IPMask(m)
	if _, b := mask.Size(); b != bits {
		return nil
	}
	return mask
}

// address writes the rule's address with its prefix length ("10.0.0.0/8").
func (r hbaRule) address() string {
	ip := net.ParseIP(r.Address)
	if ip == nil || r.Netmask == "" {
		return r.Address
	}
	bits := 8 * net.IPv6len
	if ip.To4() != nil {
		bits = 8 * net.IPv4len
	}
	if mask := netmask(r.Netmask, bits); mask != nil {
		ones, _ := mask.Size()
		return fmt.Sprintf("%s/%d", r.Address, ones)
	}
	return r.Address + " " + r.Netmask
}

// String writes the rule as in pg_hba.conf, after its line number.
func (r hbaRule) String() string {
	parts := []string{r.Type, strings.Join(r.Databases, ","), strings.Join(r.Users, ",")}
	if r.Type != "local" {
		parts = append(parts, r.address())
	}
	return fmt.Sprintf("line %d: %s %s", r.Line, strings.Join(parts, " "), r.Method)
}
