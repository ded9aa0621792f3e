package hostcheck

import (
	"regexp"
	"strings"
)

// aptPeriodic matches APT::Periodic::<name> "<value>"; lines (keys are
// case-insensitive in APT).
var aptPeriodic = regexp.MustCompile(`(?i)^APT::Periodic::([A-Za-z-]+)\s+"([^"]*)"`)

// updatesAttrs reports whether security updates install themselves:
// apt's unattended-upgrades (APT::Periodic::Unattended-Upgrade not "0")
// or dnf-automatic (apply_updates = yes with its timer enabled).
func updatesAttrs(fs hostFS) map[string]any {
	a := map[string]any{}
	// apt reads apt.conf.d in lexical order, then apt.conf; a later value
	// overrides an earlier one.
	periodic := map[string]string{}
	files := append(fs.glob("/etc/apt/apt.conf.d/*"), "/etc/apt/apt.conf")
	for _, f := range files {
		b, ok := fs.read(f)
		if !ok {
			continue
		}
		for _, l := range configLines(b) {
			if strings.HasPrefix(l, "//") {
				continue
			}
			if m := aptPeriodic.FindStringSubmatch(l); m != nil {
				periodic[strings.ToLower(m[1])] = m[2]
			}
		}
	}
	on := func(v string) bool { return v != "" && v != "0" }
	isApt := fs.anyExists("/etc/apt", "/usr/bin/apt-get")
	uuInstalled := fs.anyExists("/usr/bin/unattended-upgrade", "/etc/apt/apt.conf.d/50unattended-upgrades")
	aptAuto := isApt && uuInstalled && on(periodic["unattended-upgrade"])

	isDnf := fs.anyExists("/etc/dnf", "/usr/bin/dnf", "/etc/yum.conf")
	dnfInstalled := fs.exists("/etc/dnf/automatic.conf")
	dnfApply, dnfType := false, ""
	if b, ok := fs.read("/etc/dnf/automatic.conf"); ok {
		for _, l := range configLines(b) {
			k, v := keyValue(l)
			switch strings.ToLower(k) {
			case "apply_updates":
				dnfApply = strings.EqualFold(v, "yes") || v == "1" || strings.EqualFold(v, "true")
			case "upgrade_type":
				dnfType = strings.ToLower(v)
			}
		}
	}
	dnfTimer := fs.unitEnabled("dnf-automatic.timer", "dnf-automatic-install.timer")
	// dnf-automatic-install.timer installs whatever automatic.conf says.
	dnfAuto := dnfInstalled && dnfTimer && (dnfApply || fs.unitEnabled("dnf-automatic-install.timer"))

	pm := "unknown"
	switch {
	case isApt:
		pm = "apt"
	case isDnf:
		pm = "dnf"
	}
	mech := "none"
	switch {
	case aptAuto:
		mech = "unattended-upgrades"
	case dnfAuto:
		mech = "dnf-automatic"
	}
	a["package_manager"] = pm
	a["mechanism"] = mech
	a["auto_updates"] = aptAuto || dnfAuto
	a["apt_unattended_upgrade"] = on(periodic["unattended-upgrade"])
	a["apt_update_package_lists"] = on(periodic["update-package-lists"])
	a["unattended_upgrades_installed"] = uuInstalled
	a["dnf_automatic_installed"] = dnfInstalled
	a["dnf_apply_updates"] = dnfApply
	a["dnf_upgrade_type"] = dnfType
	a["dnf_timer_enabled"] = dnfTimer
	return a
}
