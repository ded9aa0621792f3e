package terraform

import (
	"slices"
	"strings"
)

// adminPorts are remote administration and database ports that must not
// be reachable from the whole internet.
var adminPorts = []int64{20, 21, 22, 23, 135, 139, 445, 1433, 1521, 2375, 2376, 2379, 3306, 3389, 5432, 5900, 5984, 6379, 9200, 9300, 11211, 27017}

// rule is one ingress rule, from whichever resource spelled it.
type rule struct {
	from, to int64
	protocol string
	cidrs    []string
}

// openPorts lists the admin ports the rule opens to 0.0.0.0/0 or ::/0.
func (r rule) openPorts() []int64 {
	world := slices.ContainsFunc(r.cidrs, func(c string) bool { return c == "0.0.0.0/0" || c == "::/0" })
	if !world {
		return nil
	}
	p := strings.ToLower(r.protocol)
	all := p == "-1" || p == "all"
	if !all && p != "tcp" && p != "6" {
		return nil
	}
	var out []int64
	for _, port := range adminPorts {
		if all || (port >= r.from && port <= r.to) {
			out = append(out, port)
		}
	}
	return out
}

func inlineRule(v map[string]any) rule {
	return rule{from: integer(v, "from_port", 0), to: integer(v, "to_port", 0), protocol: str(v, "protocol"),
		cidrs: append(strs(v, "cidr_blocks"), strs(v, "ipv6_cidr_blocks")...)}
}

func vpcRule(v map[string]any) rule {
	var cidrs []string
	for _, k := range []string{"cidr_ipv4", "cidr_ipv6"} {
		if c := str(v, k); c != "" {
			cidrs = append(cidrs, c)
		}
	}
	return rule{from: integer(v, "from_port", 0), to: integer(v, "to_port", 0), protocol: str(v, "ip_protocol"), cidrs: cidrs}
}

// deriveNetwork sets open_admin_ports (sorted list of ints) and
// open_all_ports (bool) on security groups, counting inline ingress blocks
// and the separate rule resources joined to them, and on each rule
// resource; and the listener attributes (see deriveListeners).
func (d *doc) deriveNetwork() {
	open := map[*resource][]int64{}
	all := map[*resource]bool{}
	note := func(r *resource, rl rule) {
		ports := rl.openPorts()
		open[r] = append(open[r], ports...)
		if len(ports) == len(adminPorts) && (rl.protocol == "-1" || rl.from == 0 && rl.to >= 65535) {
			all[r] = true
		}
	}
	for _, sg := range d.byType["aws_security_group"] {
		open[sg] = nil
		for _, in := range blocks(sg.Values, "ingress") {
			note(sg, inlineRule(in))
		}
	}
	for _, h := range d.byType["aws_security_group_rule"] {
		open[h] = nil
		if str(h.Values, "type") != "ingress" {
			continue
		}
		rl := inlineRule(h.Values)
		note(h, rl)
		if sg := d.find(h, "security_group_id", "aws_security_group", "id"); sg != nil {
			note(sg, rl)
		}
	}
	for _, h := range d.byType["aws_vpc_security_group_ingress_rule"] {
		open[h] = nil
		rl := vpcRule(h.Values)
		note(h, rl)
		if sg := d.find(h, "security_group_id", "aws_security_group", "id"); sg != nil {
			note(sg, rl)
		}
	}
	for r, ports := range open {
		slices.Sort(ports)
		r.Values["open_admin_ports"] = anyList(slices.Compact(ports))
		r.Values["open_all_ports"] = all[r]
	}
	d.deriveListeners()
}

// deriveListeners sets on load balancer listeners: protocol (defaulted),
// redirects_to_https (bool), tls_min_version ("1.0".."1.3", "" for plain
// protocols, "unknown" for a policy name we do not know) and
// weak_tls_policy (bool: accepts TLS below 1.2).
func (d *doc) deriveListeners() {
	for _, l := range append(slices.Clone(d.byType["aws_lb_listener"]), d.byType["aws_alb_listener"]...) {
		v := l.Values
		setDefault(v, "protocol", "HTTP")
		proto := strings.ToUpper(str(v, "protocol"))
		redirect := false
		for _, a := range blocks(v, "default_action") {
			if str(a, "type") == "redirect" && strings.EqualFold(str(block(a, "redirect"), "protocol"), "HTTPS") {
				redirect = true
			}
		}
		v["redirects_to_https"] = redirect
		minTLS := ""
		if proto == "HTTPS" || proto == "TLS" {
			policy := str(v, "ssl_policy")
			if policy == "" {
				policy = "ELBSecurityPolicy-2016-08" // the provider's default
				v["ssl_policy"] = policy
			}
			minTLS = policyMinTLS(policy)
		}
		v["tls_min_version"] = minTLS
		v["weak_tls_policy"] = minTLS == "1.0" || minTLS == "1.1"
	}
}

// policyMinTLS reads the lowest TLS version an ELB security policy
// accepts from its name.
func policyMinTLS(p string) string {
	for _, m := range []struct{ part, v string }{
		{"TLS13-1-3", "1.3"}, {"TLS13-1-2", "1.2"}, {"TLS13-1-1", "1.1"}, {"TLS13-1-0", "1.0"},
		{"TLS-1-2", "1.2"}, {"FS-1-2", "1.2"}, {"TLS-1-1", "1.1"}, {"FS-1-1", "1.1"}, {"TLS-1-0", "1.0"},
		{"FS-2018-06", "1.0"}, {"2016-08", "1.0"}, {"2015-05", "1.0"}, {"2015-03", "1.0"},
		{"2015-02", "1.0"}, {"2014-10", "1.0"}, {"2014-01", "1.0"}, {"2011-08", "1.0"},
	} {
		if strings.Contains(p, m.part) {
			return m.v
		}
	}
	return "unknown"
}
