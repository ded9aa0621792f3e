package hostcheck

import (
	"strconv"
	"strings"
)

// diskAttrs reports whether the root filesystem sits on an encrypted
// (dm-crypt) device: / is mounted from /dev/mapper/... and /etc/crypttab
// lists at least one encrypted volume. The mount table is root/proc/mounts
// (the live one when root is "/"), else /etc/fstab.
func diskAttrs(fs hostFS) map[string]any {
	dev, fstype, source := "", "", "none"
	for _, f := range []string{"/proc/mounts", "/etc/fstab"} {
		b, ok := fs.read(f)
		if !ok {
			continue
		}
		for _, l := range configLines(b) {
			fields := strings.Fields(l)
			if len(fields) >= 3 && fields[1] == "/" {
				dev, fstype = fields[0], fields[2] // the last mount on / is the one in effect
			}
		}
		if dev != "" {
			source = strings.TrimPrefix(f, "/")
			break
		}
	}
	var names []string
	if b, ok := fs.read("/etc/crypttab"); ok {
		for _, l := range configLines(b) {
			if f := strings.Fields(l); len(f) >= 2 {
				names = append(names, f[0])
			}
		}
	}
	mapped := strings.HasPrefix(dev, "/dev/mapper/") || strings.HasPrefix(dev, "/dev/dm-")
	return map[string]any{
		"root_device":      dev,
		"root_fs_type":     fstype,
		"mounts_source":    source,
		"crypttab_entries": int64(len(names)),
		"root_encrypted":   mapped && len(names) > 0,
	}
}

// timeSync describes one time daemon: its configuration files, units and
// how it names its servers.
type timeSync struct {
	name    string
	configs []string
	units   []string
	server  func(line string) []string
}

func ntpServers(l string) []string {
	if f := strings.Fields(l); len(f) >= 2 && (f[0] == "server" || f[0] == "pool") {
		return []string{f[1]}
	}
	return nil
}

var timeDaemons = []timeSync{
	{"chrony", []string{"/etc/chrony/chrony.conf", "/etc/chrony.conf"}, []string{"chrony.service", "chronyd.service"}, ntpServers},
	{"systemd-timesyncd", []string{"/etc/systemd/timesyncd.conf"}, []string{"systemd-timesyncd.service"}, func(l string) []string {
		if k, v := keyValue(l); k == "NTP" || k == "FallbackNTP" {
			return strings.Fields(v)
		}
		return nil
	}},
	{"ntp", []string{"/etc/ntp.conf", "/etc/ntpsec/ntp.conf"}, []string{"ntp.service", "ntpd.service", "ntpsec.service"}, ntpServers},
}

// timeSyncAttrs reports which time daemon is configured and enabled, and
// the servers it names (timesyncd without NTP= uses its built-in pool).
func timeSyncAttrs(fs hostFS) map[string]any {
	service, configured, enabled := "none", false, false
	servers := []any{}
	var found []any
	for _, d := range timeDaemons {
		var conf []byte
		ok := false
		for _, c := range d.configs {
			if conf, ok = fs.read(c); ok {
				break
			}
		}
		on := fs.unitEnabled(d.units...)
		if !ok && !on {
			continue
		}
		found = append(found, d.name)
		if enabled || (configured && !on) {
			continue // the first enabled daemon is the one reported
		}
		service, configured, enabled = d.name, ok, on
		servers = servers[:0]
		for _, l := range configLines(conf) {
			for _, s := range d.server(l) {
				servers = append(servers, s)
			}
		}
	}
	if found == nil {
		found = []any{}
	}
	return map[string]any{
		"service":             service,
		"configured":          configured,
		"enabled":             enabled,
		"servers":             servers,
		"services_configured": found,
	}
}

// auditAttrs reports auditd: installed, enabled at boot, its rules (from
// /etc/audit/rules.d, else /etc/audit/audit.rules), whether they watch the
// identity files and whether the rules are locked (-e 2).
func auditAttrs(fs hostFS) map[string]any {
	installed := fs.anyExists("/etc/audit/auditd.conf", "/sbin/auditd", "/usr/sbin/auditd")
	files := fs.glob("/etc/audit/rules.d/*.rules")
	if len(files) == 0 {
		files = []string{"/etc/audit/audit.rules"}
	}
	count := int64(0)
	identity, immutable := false, false
	for _, f := range files {
		b, ok := fs.read(f)
		if !ok {
			continue
		}
		for _, l := range configLines(b) {
			if strings.HasPrefix(l, "-a") || strings.HasPrefix(l, "-w") {
				count++
				if strings.Contains(l, "/etc/passwd") || strings.Contains(l, "/etc/shadow") {
					identity = true
				}
			}
			if f := strings.Fields(l); len(f) == 2 && f[0] == "-e" && f[1] == "2" {
				immutable = true
			}
		}
	}
	action := ""
	if b, ok := fs.read("/etc/audit/auditd.conf"); ok {
		for _, l := range configLines(b) {
			if k, v := keyValue(l); strings.EqualFold(k, "max_log_file_action") {
				action = strings.ToLower(v)
			}
		}
	}
	return map[string]any{
		"auditd_installed":       installed,
		"auditd_enabled":         installed && fs.unitEnabled("auditd.service"),
		"rules_count":            count,
		"watches_identity_files": identity,
		"rules_immutable":        immutable,
		"max_log_file_action":    action,
	}
}

// passwordAttrs reads password ageing from /etc/login.defs, with shadow's
// defaults for unset values (99999, 0, 7).
func passwordAttrs(fs hostFS) map[string]any {
	vals := map[string]string{}
	b, present := fs.read("/etc/login.defs")
	for _, l := range configLines(b) {
		if f := strings.Fields(l); len(f) >= 2 {
			vals[f[0]] = f[1]
		}
	}
	num := func(key string, def int64) int64 {
		if n, err := strconv.ParseInt(vals[key], 10, 64); err == nil {
			return n
		}
		return def
	}
	return map[string]any{
		"login_defs_present": present,
		"pass_max_days":      num("PASS_MAX_DAYS", 99999),
		"pass_min_days":      num("PASS_MIN_DAYS", 0),
		"pass_warn_age":      num("PASS_WARN_AGE", 7),
		"encrypt_method":     strings.ToUpper(vals["ENCRYPT_METHOD"]),
	}
}
