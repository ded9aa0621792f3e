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

// exposure tallies, per firewall resource, the admin ports its allowing
// inbound rules open to the whole internet and whether one opens every
// port; set writes them as open_admin_ports (sorted ints) and
// open_all_ports (bool).
type exposure struct {
	open map[*resource][]int64
	all  map[*resource]bool
}

func newExposure() *exposure {
	return &exposure{open: map[*resource][]int64{}, all: map[*resource]bool{}}
}

// track makes r reported even when nothing opens it.
func (e *exposure) track(r *resource) {
	if _, ok := e.open[r]; !ok {
		e.open[r] = nil
	}
}

func (e *exposure) add(r *resource, rl rule) {
	e.track(r)
	ports := rl.openPorts()
	e.open[r] = append(e.open[r], ports...)
	p := strings.ToLower(rl.protocol)
	if len(ports) == len(adminPorts) && (p == "-1" || p == "all" || rl.from <= 0 && rl.to >= 65535) {
		e.all[r] = true
	}
}

func (e *exposure) set() {
	for r, ports := range e.open {
		slices.Sort(ports)
		r.Values["open_admin_ports"] = anyList(slices.Compact(ports))
		r.Values["open_all_ports"] = e.all[r]
	}
}

// deriveNetwork sets open_admin_ports (sorted list of ints) and
// open_all_ports (bool) on security groups, counting inline ingress blocks
// and the separate rule resources joined to them, and on each rule
// resource; and the listener attributes (see deriveListeners).
func (d *doc) deriveNetwork() {
	e := newExposure()
	for _, sg := range d.byType["aws_security_group"] {
		e.track(sg)
		for _, in := range blocks(sg.Values, "ingress") {
			e.add(sg, inlineRule(in))
		}
	}
	for _, h := range d.byType["aws_security_group_rule"] {
		e.track(h)
		if str(h.Values, "type") != "ingress" {
			continue
		}
		rl := inlineRule(h.Values)
		e.add(h, rl)
		if sg := d.find(h, "security_group_id", "aws_security_group", "id"); sg != nil {
			e.add(sg, rl)
		}
	}
	for _, h := range d.byType["aws_vpc_security_group_ingress_rule"] {
		rl := vpcRule(h.Values)
		e.add(h, rl)
		if sg := d.find(h, "security_group_id", "aws_security_group", "id"); sg != nil {
			e.add(sg, rl)
		}
	}
	e.set()
	d.deriveListeners()
}
