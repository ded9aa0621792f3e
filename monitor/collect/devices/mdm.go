package devices

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/tabular"
)

// export describes one MDM's device export: its columns under the names
// the vendor's console writes, and the platform when the MDM manages one.
type export struct {
	kind, title string
	platform    string // "" when a column says
	columns     []tabular.Column
}

// Logical column names of every export.
const (
	colSerial     = "serial"
	colName       = "name"
	colEmail      = "email"
	colUser       = "user"
	colPlatform   = "platform"
	colOS         = "os_version"
	colLastSeen   = "last_seen"
	colEncryption = "encryption"
	colFirewall   = "firewall"
	colScreenLock = "screen_lock"
	colManaged    = "managed"
)

func c(name string, aliases ...string) tabular.Column {
	return tabular.Column{Name: name, Aliases: aliases}
}

// The exports: Jamf Pro's computer search export, Intune's Devices → All
// devices → Export, and Kandji's device list (or Prism) export. Names are
// compared without case, spaces or punctuation.
var exports = map[string]export{
	"jamf": {kind: "jamf", title: "Jamf Pro computers export", platform: "macOS", columns: []tabular.Column{
		{Name: colSerial, Aliases: []string{"Serial Number", "Serial"}, Required: true},
		c(colName, "Computer Name", "Name"),
		c(colEmail, "Email Address", "Email", "User Email"),
		c(colUser, "Username", "User Name", "Full Name"),
		c(colOS, "Operating System Version", "macOS Version", "OS Version"),
		c(colLastSeen, "Last Check-in", "Last Check In", "Last Inventory Update", "Last Contact Time"),
		c(colEncryption, "FileVault 2 Status", "FileVault Status", "FileVault 2 Partition Encryption State", "FileVault 2 Individual Key Validation", "Disk Encryption"),
		c(colFirewall, "Firewall Enabled", "Firewall Status", "Firewall"),
		c(colScreenLock, "Screen Lock", "Screen Saver Lock", "Password After Sleep"),
		c(colManaged, "Managed", "Management Status", "MDM Capable"),
	}},
	"intune": {kind: "intune", title: "Microsoft Intune devices export", columns: []tabular.Column{
		{Name: colSerial, Aliases: []string{"Serial number", "SerialNumber"}, Required: true},
		c(colName, "Device name", "DeviceName"),
		c(colEmail, "Primary user email address", "Email address", "UserEmail"),
		c(colUser, "Primary user UPN", "User principal name", "UPN", "UserName"),
		c(colPlatform, "OS", "Operating system", "Platform"),
		c(colOS, "OS version", "OSVersion"),
		c(colLastSeen, "Last check-in", "Last sync", "LastContact", "Last sync date time"),
		c(colEncryption, "Encrypted", "Encryption", "IsEncrypted", "Storage encrypted", "EncryptionStatusString"),
		c(colFirewall, "Firewall", "Firewall enabled"),
		c(colScreenLock, "Screen lock", "Password required"),
		c(colManaged, "Managed by", "Management agent", "ManagementAgent"),
	}},
	"kandji": {kind: "kandji", title: "Kandji devices export", columns: []tabular.Column{
		{Name: colSerial, Aliases: []string{"Serial Number", "Serial"}, Required: true},
		c(colName, "Device Name", "Name"),
		c(colEmail, "User Email", "Assigned User Email", "Email"),
		c(colUser, "User Name", "Assigned User", "User"),
		c(colPlatform, "Platform", "Device Family", "OS"),
		c(colOS, "OS Version", "Operating System Version"),
		c(colLastSeen, "Last Check In", "Last Check-In", "Last Checkin", "Last Seen"),
		c(colEncryption, "FileVault", "FileVault Enabled", "FileVault Status", "Disk Encryption"),
		c(colFirewall, "Firewall", "Firewall Enabled", "Firewall Status", "Application Firewall"),
		c(colScreenLock, "Screen Lock", "Screen Saver Password Required", "Require Password After Screen Saver"),
		c(colManaged, "MDM Enabled", "MDM Status", "Agent Installed"),
	}},
}

// ExportKinds are the MDM export source kinds.
var ExportKinds = []string{"jamf", "intune", "kandji"}

// Export reads one MDM's device export.
type Export struct {
	e     export
	clock assay.Clock
}

// NewExport returns the collector of kind ("jamf", "intune" or "kandji").
func NewExport(kind string) func(assay.Clock) monitor.Collector {
	return func(clock assay.Clock) monitor.Collector { return &Export{e: exports[kind], clock: clock} }
}

func (x *Export) Kind() string            { return x.e.kind }
func (x *Export) ResourceKinds() []string { return []string{KindDevice} }

// Validate checks the minimum OS versions and, when an export is attached,
// that it reads.
func (x *Export) Validate(cfg monitor.Config) error {
	if _, err := minVersions(cfg.Settings[SettingMinOS]); err != nil {
		return err
	}
	if len(cfg.Input) == 0 {
		return nil
	}
	_, _, err := x.read(cfg.Input)
	return err
}

// Collect reads the attached export and joins its devices to the roster.
func (x *Export) Collect(ctx context.Context, cfg monitor.Config) ([]assay.Resource, error) {
	if len(cfg.Input) == 0 {
		return nil, assay.Invalid("input", "no %s has been imported for this source yet", x.e.title)
	}
	list, skipped, err := x.read(cfg.Input)
	if err != nil {
		return nil, err
	}
	if skipped > 0 {
		monitor.Note(ctx, "%d rows without a serial number were left out.", skipped)
	}
	res, err := resources(ctx, cfg, list, x.clock.Now())
	if err != nil {
		return nil, err
	}
	monitor.Note(ctx, "Read a %s: %d rows, %d devices.", x.e.title, len(list), len(res))
	return res, nil
}

func (x *Export) read(data []byte) ([]device, int, error) {
	t, err := tabular.ReadBytes(data, tabular.Schema{Columns: x.e.columns, Unguard: true, AllowNoRows: true})
	switch {
	case errors.Is(err, tabular.ErrEmpty):
		return nil, 0, assay.Invalid("input", "the %s is empty", x.e.title)
	case errors.Is(err, tabular.ErrMissingColumn):
		return nil, 0, assay.Invalid("input", "%v; is this a %s? It needs a serial number column", err, x.e.title)
	case err != nil:
		return nil, 0, assay.Invalid("input", "%v", err)
	}
	var errs tabular.Errors
	skipped := 0
	out := make([]device, 0, len(t.Rows))
	for _, r := range t.Rows {
		d := device{Serial: r.Get(colSerial), Name: r.Get(colName), Platform: x.e.platform, OSVersion: r.Get(colOS), Source: x.e.kind,
			OwnerEmail: r.Get(colEmail), Managed: true}
		if d.Serial == "" || d.Serial == "0" {
			skipped++ // virtual machines and some phones report none
			continue
		}
		if p := r.Get(colPlatform); p != "" {
			d.Platform = p
		}
		if d.OwnerEmail == "" && strings.Contains(r.Get(colUser), "@") {
			d.OwnerEmail = r.Get(colUser)
		}
		if !strings.Contains(d.OwnerEmail, "@") {
			d.OwnerEmail = ""
		}
		if r.Has(colManaged) {
			d.Managed = flag(r.Get(colManaged)) == Yes
		}
		d.Encryption, d.Firewall, d.ScreenLock = flag(r.Get(colEncryption)), flag(r.Get(colFirewall)), flag(r.Get(colScreenLock))
		if v := r.Get(colLastSeen); v != "" {
			t, ok := parseTime(v)
			if !ok {
				errs.Add(r.Line, "", r.Error(colLastSeen, errors.New("the date "+v+" cannot be read; use 2026-12-05 09:12:44 or an ISO 8601 time")))
				continue
			}
			d.LastSeen = &t
		}
		out = append(out, d)
	}
	if err := errs.Err(); err != nil {
		return nil, 0, assay.Invalid("input", "%v", err)
	}
	return out, skipped, nil
}

// flag reads the many ways exports say yes and no: True/False, Yes/No,
// Enabled/Disabled, On/Off, 1/0, Managed/Unmanaged, Jamf's "All Partitions
// Encrypted" and "Not Encrypted", Intune's co-management agents and its
// reports' "NotEncrypted".
func flag(v string) string {
	s := strings.ToLower(strings.TrimSpace(v))
	switch {
	case s == "" || s == "unknown" || s == "n/a" || s == "-" || s == "not applicable":
		return Unknown
	case strings.HasPrefix(s, "not") || strings.HasPrefix(s, "no ") || strings.HasPrefix(s, "un") || strings.Contains(s, "partial") ||
		strings.Contains(s, "some partitions") || strings.Contains(s, "decrypt") || strings.HasPrefix(s, "disabled") || strings.HasPrefix(s, "off") ||
		s == "no" || s == "false" || s == "0" || s == "none" || strings.Contains(s, "encrypting"):
		return No
	case s == "yes" || s == "true" || s == "1" || s == "on" || strings.HasPrefix(s, "enabled") || strings.Contains(s, "encrypted") ||
		s == "managed" || s == "intune" || strings.Contains(s, "co-managed") || strings.Contains(s, "mdm") || s == "active" || s == "enforced":
		return Yes
	}
	return Unknown
}

// timeLayouts are the ways the exports write a check-in time.
var timeLayouts = []string{
	time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04",
	"2006-01-02", "1/2/2006 3:04:05 PM", "1/2/2006 15:04:05", "1/2/2006 15:04", "1/2/2006", "2006/01/02 15:04:05",
}

func parseTime(v string) (time.Time, bool) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
