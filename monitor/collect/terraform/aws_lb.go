package terraform

import (
	"slices"
	"strings"
)

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
