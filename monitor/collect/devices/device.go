// Package devices holds the device posture collectors: "fleet" reads
// Fleet's REST API (hosts with their osquery policy results), and "jamf",
// "intune" and "kandji" read those MDMs' device exports (CSV or XLSX).
// Each reports one "device" resource per machine, keyed by serial number,
// with disk encryption, screen lock, firewall and OS currency each "yes",
// "no" or "unknown" (a posture nobody reported never passes), and its
// owner joined by e-mail to the organisation's roster.
package devices

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
)

// KindDevice is the resource kind every device collector produces.
const KindDevice = "device"

// Posture values.
const (
	Yes     = "yes"
	No      = "no"
	Unknown = "unknown"
)

// Owner statuses: a roster status (active, upcoming, departed) or one of
// these.
const (
	OwnerNone        = "none"          // the device names nobody
	OwnerNotOnRoster = "not_on_roster" // its e-mail is not on the roster
	OwnerUnchecked   = "unchecked"     // no roster was at hand
)

// SettingMinOS names the setting giving the oldest OS version counted as
// up to date per platform: "macOS=15.5, Windows=10.0.26100, iOS=18.5".
const SettingMinOS = "min_os_version"

// device is what every source says about one machine.
type device struct {
	Serial, Name, Platform, OSVersion string
	Source                            string // fleet, jamf, intune, kandji
	Managed                           bool
	OwnerEmail                        string
	Encryption, ScreenLock, Firewall  string
	OSUpToDate                        string
	LastSeen                          *time.Time
}

// resources turns devices into resources: a serial seen twice keeps the
// record seen last, owners are joined to the roster, and OS versions are
// judged against the minimums where the source did not judge them.
func resources(ctx context.Context, cfg monitor.Config, list []device, now time.Time) ([]assay.Resource, error) {
	mins, err := minVersions(cfg.Settings[SettingMinOS])
	if err != nil {
		return nil, err
	}
	roster, err := rosterOf(ctx, cfg)
	if err != nil {
		return nil, err
	}
	byID := map[string]device{}
	for _, d := range list {
		id := strings.ToLower(strings.TrimSpace(d.Serial))
		if id == "" {
			continue
		}
		if old, ok := byID[id]; ok && old.LastSeen != nil && (d.LastSeen == nil || d.LastSeen.Before(*old.LastSeen)) {
			continue
		}
		byID[id] = d
	}
	out := make([]assay.Resource, 0, len(byID))
	for id, d := range byID {
		if d.OSUpToDate == "" || d.OSUpToDate == Unknown {
			d.OSUpToDate = judgeOS(mins, d.Platform, d.OSVersion)
		}
		owner := strings.ToLower(strings.TrimSpace(d.OwnerEmail))
		status := OwnerUnchecked
		switch {
		case owner == "":
			status = OwnerNone
		case roster != nil:
			status = OwnerNotOnRoster
			if s, ok := roster[owner]; ok {
				status = s
			}
		}
		seen := int64(-1)
		if d.LastSeen != nil {
			seen = max(int64(now.Sub(*d.LastSeen)/(24*time.Hour)), 0)
		}
		name := d.Name
		if name == "" {
			name = d.Serial
		}
		out = append(out, assay.Resource{Kind: KindDevice, ID: id, Name: name, Attrs: map[string]any{
			"serial":          strings.ToUpper(strings.TrimSpace(d.Serial)),
			"platform":        d.Platform,
			"os_version":      d.OSVersion,
			"source":          d.Source,
			"managed":         d.Managed,
			"owner_email":     owner,
			"owner_status":    status,
			"disk_encryption": orUnknown(d.Encryption),
			"screen_lock":     orUnknown(d.ScreenLock),
			"firewall":        orUnknown(d.Firewall),
			"os_up_to_date":   orUnknown(d.OSUpToDate),
			"last_seen_days":  seen,
		}})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func orUnknown(v string) string {
	if v == Yes || v == No {
		return v
	}
	return Unknown
}

// rosterOf maps lower-cased e-mail to roster status (nil: no roster).
func rosterOf(ctx context.Context, cfg monitor.Config) (map[string]string, error) {
	if cfg.People == nil {
		return nil, nil
	}
	people, err := cfg.People(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the roster to find the devices' owners: %w", err)
	}
	m := make(map[string]string, len(people))
	for _, p := range people {
		if e := strings.ToLower(strings.TrimSpace(p.Email)); e != "" {
			m[e] = string(p.Status)
		}
	}
	return m, nil
}

// minVersions reads "macOS=15.5, Windows=10.0.26100" into platform →
// version (platform names lower-cased).
func minVersions(s string) (map[string][]int, error) {
	m := map[string][]int{}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		k, v, ok := strings.Cut(part, "=")
		ver := parseVersion(v)
		if !ok || strings.TrimSpace(k) == "" || ver == nil {
			return nil, assay.Invalid(SettingMinOS, "min_os_version takes platform=version pairs separated by commas, such as macOS=15.5, Windows=10.0.26100; %q is not one", strings.TrimSpace(part))
		}
		m[platformKey(k)] = ver
	}
	return m, nil
}

// platformKey folds the names sources give a platform: "darwin", "Mac",
// "macOS 15.5" are macos; "Windows 11 Pro" is windows.
func platformKey(p string) string {
	p = strings.ToLower(strings.TrimSpace(p))
	switch {
	case strings.HasPrefix(p, "mac") || p == "darwin" || strings.HasPrefix(p, "os x"):
		return "macos"
	case strings.HasPrefix(p, "win"):
		return "windows"
	case strings.HasPrefix(p, "ipados"):
		return "ipados"
	case strings.HasPrefix(p, "ios"):
		return "ios"
	}
	f := strings.Fields(p)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// parseVersion reads the dotted number in s with the most parts ("macOS
// 15.5.1" → 15 5 1; "Windows 11 Pro 23H2 10.0.22631" → 10 0 22631).
func parseVersion(s string) []int {
	var best []int
	for _, f := range strings.Fields(s) {
		var out []int
		for _, p := range strings.Split(strings.Trim(f, "(),"), ".") {
			n, err := strconv.Atoi(p)
			if err != nil {
				out = nil
				break
			}
			out = append(out, n)
		}
		if len(out) > len(best) {
			best = out
		}
	}
	return best
}

func judgeOS(mins map[string][]int, platform, version string) string {
	min, ok := mins[platformKey(platform)]
	have := parseVersion(version)
	if !ok || have == nil {
		return Unknown
	}
	for i := range max(len(min), len(have)) {
		a, b := 0, 0
		if i < len(have) {
			a = have[i]
		}
		if i < len(min) {
			b = min[i]
		}
		if a != b {
			if a > b {
				return Yes
			}
			return No
		}
	}
	return Yes
}
