package hostcheck

import (
	"regexp"
	"strings"
)

var (
	// nftInputPolicy finds an input filter chain's policy:
	// "type filter hook input priority 0; policy drop;".
	nftInputPolicy = regexp.MustCompile(`hook\s+input\b[^}]*?\bpolicy\s+(accept|drop)`)
	// nftRule is a line that decides a packet's fate (not a policy).
	nftRule = regexp.MustCompile(`\b(accept|drop|reject)\b`)
	// iptInput is the INPUT chain header of an iptables-save file.
	iptInput = regexp.MustCompile(`(?m)^:INPUT\s+(ACCEPT|DROP)`)
)

// firewallAttrs reports whether a host firewall loads rules at boot
// (nftables, iptables-persistent, ufw or firewalld), how many rules it
// has and the default policy for incoming traffic.
func firewallAttrs(fs hostFS) map[string]any {
	var tools []any
	rules := int64(0)
	policy := "unknown"
	setPolicy := func(p string) {
		p = strings.ToLower(p)
		if policy == "unknown" || policy == "accept" {
			policy = p
		}
	}

	for _, f := range []string{"/etc/nftables.conf", "/etc/sysconfig/nftables.conf"} {
		b, ok := fs.read(f)
		if !ok {
			continue
		}
		n := int64(0)
		for _, l := range configLines(b) {
			if !strings.Contains(l, "policy") && nftRule.MatchString(l) {
				n++
			}
		}
		if fs.unitEnabled("nftables.service") && (n > 0 || nftInputPolicy.Match(b)) {
			tools = append(tools, "nftables")
			rules += n
			if m := nftInputPolicy.FindSubmatch(b); m != nil {
				setPolicy(string(m[1]))
			}
		}
		break
	}

	for _, f := range []string{"/etc/iptables/rules.v4", "/etc/sysconfig/iptables"} {
		b, ok := fs.read(f)
		if !ok {
			continue
		}
		n := int64(0)
		for _, l := range configLines(b) {
			if strings.HasPrefix(l, "-A ") {
				n++
			}
		}
		if fs.unitEnabled("netfilter-persistent.service", "iptables.service", "iptables-persistent.service") {
			tools = append(tools, "iptables")
			rules += n
			if m := iptInput.FindSubmatch(b); m != nil {
				setPolicy(string(m[1]))
			}
		}
		break
	}

	if b, ok := fs.read("/etc/ufw/ufw.conf"); ok && shellVar(b, "ENABLED") == "yes" {
		tools = append(tools, "ufw")
		if d, ok := fs.read("/etc/default/ufw"); ok {
			if p := strings.ToLower(shellVar(d, "DEFAULT_INPUT_POLICY")); p != "" {
				setPolicy(p)
			}
		}
		if b, ok := fs.read("/etc/ufw/user.rules"); ok {
			for _, l := range configLines(b) {
				if strings.HasPrefix(l, "-A ") {
					rules++
				}
			}
		}
	}

	if fs.exists("/etc/firewalld/firewalld.conf") && fs.unitEnabled("firewalld.service") {
		tools = append(tools, "firewalld")
		setPolicy("reject") // firewalld's zones reject what they do not allow
	}
	if tools == nil {
		tools = []any{}
	}
	return map[string]any{
		"enabled":              len(tools) > 0,
		"tools":                tools,
		"rule_count":           rules,
		"default_input_policy": policy,
	}
}

// shellVar reads NAME=value (or NAME="value") from a shell-style file.
func shellVar(b []byte, name string) string {
	for _, l := range configLines(b) {
		if k, v, ok := strings.Cut(l, "="); ok && strings.TrimSpace(k) == name {
			return strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	return ""
}
