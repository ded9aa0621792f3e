package devices

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

// Exports as each console writes them (headers in the vendor's words),
// written here for the tests.
const (
	jamfCSV = "Computer Name,Serial Number,Username,Email Address,Operating System Version,Last Check-in,FileVault 2 Status,Managed\n" +
		"Ada's MacBook Pro,C02ADA0001,ada,ada@example.com,15.5,2026-12-06 09:12:44,All Partitions Encrypted,Managed\n" +
		"Tomás's MacBook Air,C02TOM0004,tomas,tomas@example.com,14.6.1,2026-11-02 18:00:00,Not Encrypted,Managed\n" +
		"Old iMac,C02OLD0009,,,13.6,2026-06-01 08:00:00,Some Partitions Encrypted,Unmanaged\n" +
		"Ada's MacBook Pro,C02ADA0001,ada,ada@example.com,15.4,2026-10-01 09:00:00,Not Encrypted,Managed\n"
	intuneCSV = "Device ID,Device name,Managed by,Ownership,Compliance,OS,OS version,Last check-in,Primary user UPN,Primary user email address,Serial number,Encrypted\n" +
		"a1,BO-LAPTOP,Intune,Corporate,Noncompliant,Windows,10.0.22631.4460,12/6/2026 4:05:11 PM,bo@example.com,bo@example.com,PF3BO0002,False\n" +
		"a2,ADA-SURFACE,Co-managed,Corporate,Compliant,Windows,10.0.26100.2033,12/7/2026 8:00:00 AM,ada@example.com,ada@example.com,PF3ADA003,True\n" +
		"a3,Android phone,Intune,Personal,Compliant,Android,14,12/7/2026 8:00:00 AM,cy@example.com,,,True\n"
	// The devices report as Intune's reporting exports it (the IntuneDevices
	// fields: one word per column, EncryptionStatusString, LastContact).
	intuneReportCSV = "DeviceName,SerialNumber,OS,OSVersion,LastContact,EncryptionStatusString,ManagedBy,UPN,UserEmail,CompliantState\n" +
		"BO-LAPTOP,PF3BO0002,Windows,10.0.26100.2033,2026-12-07T08:00:00Z,NotEncrypted,Intune,bo@example.com,bo@example.com,Noncompliant\n" +
		"ADA-SURFACE,PF3ADA003,Windows,10.0.26100.2033,2026-12-07T08:00:00Z,Encrypted,Intune,ada@example.com,ada@example.com,Compliant\n"
	kandjiCSV = "Device Name\tSerial Number\tPlatform\tOS Version\tUser Email\tBlueprint\tLast Check In\tFileVault\tFirewall\tMDM Enabled\n" +
		"joiner-mbp\tH4JOIN0005\tMac\t15.5\tjoiner@example.com\tEngineering\t2026-12-07T09:00:00.000Z\tOn\tOn\tTrue\n" +
		"temp-mbp\tH4TEMP0006\tMac\t15.1\ttemp@contractor.example\tContractors\t2026-12-07T09:00:00.000Z\tOff\tOff\tTrue\n"
)

func collectExport(t testing.TB, kind string, doc []byte) ([]assay.Resource, error) {
	t.Helper()
	c := NewExport(kind)(&assay.FixedClock{T: now})
	cfg := monitor.Config{Settings: map[string]string{SettingMinOS: "macOS=15.5, Windows=10.0.26100"}, Input: doc, People: roster}
	if err := c.Validate(cfg); err != nil {
		return nil, err
	}
	return c.Collect(context.Background(), cfg)
}

func TestJamfExportInEveryEncoding(t *testing.T) {
	docs := collecttest.Encodings([]byte(jamfCSV))
	docs["plain"] = []byte(jamfCSV)
	for name, doc := range docs {
		res, err := collectExport(t, "jamf", doc)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		m := byID(res)
		if len(res) != 3 {
			t.Fatalf("%s: %d devices, want 3 (a serial twice): %v", name, len(res), m)
		}
		if a := m["c02ada0001"]; a["disk_encryption"] != Yes || a["os_up_to_date"] != Yes || a["owner_status"] != "active" || a["platform"] != "macOS" || a["last_seen_days"] != int64(1) {
			t.Errorf("%s: ada's Mac (the later check-in wins): %v", name, a)
		}
		if a := m["c02tom0004"]; a["disk_encryption"] != No || a["owner_status"] != "departed" || a["os_up_to_date"] != No {
			t.Errorf("%s: tomás's Mac: %v", name, a)
		}
		if a := m["c02old0009"]; a["managed"] != false || a["owner_status"] != OwnerNone || a["disk_encryption"] != No || a["firewall"] != Unknown {
			t.Errorf("%s: old iMac: %v", name, a)
		}
		for _, r := range res {
			collecttest.SameKeys(t, library, r)
		}
	}
}

func TestIntuneAndKandjiExports(t *testing.T) {
	res, err := collectExport(t, "intune", collecttest.Encodings([]byte(intuneCSV))["utf-16le"])
	if err != nil {
		t.Fatal(err)
	}
	m := byID(res)
	if len(res) != 2 {
		t.Fatalf("%d devices, want 2 (a phone without a serial left out): %v", len(res), m)
	}
	if a := m["pf3bo0002"]; a["disk_encryption"] != No || a["os_up_to_date"] != No || a["last_seen_days"] != int64(0) || a["platform"] != "Windows" || a["screen_lock"] != Unknown {
		t.Errorf("bo's laptop: %v", a)
	}
	if a := m["pf3ada003"]; a["disk_encryption"] != Yes || a["os_up_to_date"] != Yes || a["managed"] != true {
		t.Errorf("ada's Surface: %v", a)
	}
	res, err = collectExport(t, "intune", collecttest.Encodings([]byte(intuneReportCSV))["utf-8 with bom"])
	if err != nil {
		t.Fatal(err)
	}
	m = byID(res)
	if a := m["pf3bo0002"]; a["disk_encryption"] != No || a["managed"] != true || a["owner_email"] != "bo@example.com" {
		t.Errorf("the report's NotEncrypted laptop: %v", a)
	}
	if a := m["pf3ada003"]; a["disk_encryption"] != Yes {
		t.Errorf("the report's encrypted Surface: %v", a)
	}
	res, err = collectExport(t, "kandji", []byte(kandjiCSV))
	if err != nil {
		t.Fatal(err)
	}
	m = byID(res)
	if a := m["h4join0005"]; a["owner_status"] != "upcoming" || a["firewall"] != Yes || a["disk_encryption"] != Yes {
		t.Errorf("joiner's Mac: %v", a)
	}
	if a := m["h4temp0006"]; a["owner_status"] != OwnerNotOnRoster || a["firewall"] != No || a["os_up_to_date"] != No {
		t.Errorf("contractor's Mac: %v", a)
	}
	got := map[string]assay.CheckStatus{}
	for _, r := range collecttest.RunLibrary(t, "device-", res) {
		got[r.CheckID+" "+r.ResourceID] = r.Status
	}
	if got["device-owner-on-roster h4temp0006"] != assay.CheckFail || got["device-owner-on-roster h4join0005"] != assay.CheckPass ||
		got["device-firewall-on h4temp0006"] != assay.CheckFail || got["device-disk-encrypted h4join0005"] != assay.CheckPass {
		t.Errorf("kandji results: %v", got)
	}
}

func TestBadExportsAreRefusedWithTheirLine(t *testing.T) {
	for name, tc := range map[string]struct{ kind, doc, want string }{
		"not an export": {"jamf", "Name,Email\nAda,ada@example.com\n", "serial number"},
		"empty":         {"intune", "", "imported"},
		"a bad date":    {"jamf", "Serial Number,Last Check-in\nC02X,yesterday\n", "line 2"},
		"a bad minimum": {"kandji", "Serial Number\nH4X\n", ""},
		"only a header": {"kandji", "Serial Number,OS Version\n", ""},
	} {
		res, err := collectExport(t, tc.kind, []byte(tc.doc))
		switch name {
		case "only a header":
			if err != nil || len(res) != 0 {
				t.Errorf("%s: %v, %d", name, err, len(res))
			}
			continue
		case "a bad minimum":
			c := NewExport(tc.kind)(&assay.FixedClock{T: now})
			var e *assay.Error
			if err := c.Validate(monitor.Config{Settings: map[string]string{SettingMinOS: "latest"}}); !errors.As(err, &e) || e.Field != SettingMinOS {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(strings.ToLower(err.Error()), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
}

// Outside the runner no roster is at hand: owners are "unchecked", which
// never passes the roster check.
func TestWithoutARosterOwnersAreUnchecked(t *testing.T) {
	c := NewExport("jamf")(&assay.FixedClock{T: now})
	res, err := c.Collect(context.Background(), monitor.Config{Input: []byte(jamfCSV)})
	if err != nil {
		t.Fatal(err)
	}
	if a := byID(res)["c02ada0001"]; a["owner_status"] != OwnerUnchecked || a["os_up_to_date"] != Unknown {
		t.Errorf("%v", a)
	}
}
