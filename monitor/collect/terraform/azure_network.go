package terraform

import (
	"strconv"
	"strings"
)

// azureWorld are the source prefixes of a network security rule that mean
// anyone on the internet: any address, the Internet service tag, or a
// catch-all range.
var azureWorld = map[string]bool{"*": true, "any": true, "internet": true, "0.0.0.0": true, "0.0.0.0/0": true, "::/0": true}

// azureRules reads a network security rule (an inline security_rule block
// or an azurerm_network_security_rule) as rules over the ports it opens:
// one per destination port range, with the world as its source when any
// source prefix is. A rule that is not an inbound Allow opens nothing.
func azureRules(v map[string]any) []rule {
	if !strings.EqualFold(str(v, "direction"), "Inbound") || !strings.EqualFold(str(v, "access"), "Allow") {
		return nil
	}
	world := false
	for _, p := range append(strs(v, "source_address_prefixes"), str(v, "source_address_prefix")) {
		world = world || azureWorld[strings.ToLower(strings.TrimSpace(p))]
	}
	if !world {
		return nil
	}
	proto := strings.ToLower(str(v, "protocol"))
	if proto == "*" { // every protocol, TCP among them, on the rule's ports
		proto = "tcp"
	}
	var out []rule
	for _, pr := range append(strs(v, "destination_port_ranges"), str(v, "destination_port_range")) {
		if from, to, ok := portRange(pr); ok {
			out = append(out, rule{from: from, to: to, protocol: proto, cidrs: []string{"0.0.0.0/0"}})
		}
	}
	return out
}

// portRange reads "22", "1000-2000" or "*" (every port).
func portRange(s string) (from, to int64, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, 0, false
	}
	if s == "*" {
		return 0, 65535, true
	}
	lo, hi, isRange := strings.Cut(s, "-")
	if !isRange {
		hi = lo
	}
	a, err1 := strconv.ParseInt(strings.TrimSpace(lo), 10, 64)
	b, err2 := strconv.ParseInt(strings.TrimSpace(hi), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return a, b, true
}

// deriveAzureNetwork sets open_admin_ports and open_all_ports (see
// exposure) on network security groups, from their inline security_rule
// blocks and the azurerm_network_security_rule resources joined to them
// (by network_security_group_name, or the configuration's reference), and
// on each rule resource: inbound Allow rules from any address, the
// Internet tag or 0.0.0.0/0 to SSH, RDP, database or every port.
func (d *doc) deriveAzureNetwork() {
	e := newExposure()
	for _, g := range d.byType["azurerm_network_security_group"] {
		e.track(g)
		for _, sr := range blocks(g.Values, "security_rule") {
			for _, rl := range azureRules(sr) {
				e.add(g, rl)
			}
		}
	}
	for _, h := range d.byType["azurerm_network_security_rule"] {
		e.track(h)
		g := d.find(h, "network_security_group_name", "azurerm_network_security_group", "name")
		for _, rl := range azureRules(h.Values) {
			e.add(h, rl)
			if g != nil {
				e.add(g, rl)
			}
		}
	}
	e.set()
}
