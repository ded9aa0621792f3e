package terraform

import (
	"slices"
	"strings"
)

// deriveGCPFirewall sets open_admin_ports and open_all_ports (see
// exposure) on google_compute_firewall: an enabled INGRESS rule (the
// default direction) whose source_ranges hold 0.0.0.0/0 or ::/0 opens the
// admin ports of its allow blocks (tcp, or all protocols; no ports means
// every port). Deny rules open nothing.
func (d *doc) deriveGCPFirewall() {
	e := newExposure()
	for _, r := range d.byType["google_compute_firewall"] {
		e.track(r)
		v := r.Values
		if dir := str(v, "direction"); dir != "" && !strings.EqualFold(dir, "INGRESS") || boolean(v, "disabled", false) {
			continue
		}
		ranges := strs(v, "source_ranges")
		if !slices.ContainsFunc(ranges, func(c string) bool { return c == "0.0.0.0/0" || c == "::/0" }) {
			continue
		}
		for _, a := range blocks(v, "allow") {
			proto := strings.ToLower(str(a, "protocol"))
			if proto == "all" { // every protocol, TCP among them, on the ports given
				proto = "tcp"
			}
			ports := strs(a, "ports")
			if len(ports) == 0 {
				ports = []string{"*"}
			}
			for _, p := range ports {
				if from, to, ok := portRange(p); ok {
					e.add(r, rule{from: from, to: to, protocol: proto, cidrs: ranges})
				}
			}
		}
	}
	e.set()
}
