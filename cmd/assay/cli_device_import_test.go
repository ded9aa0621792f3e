package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// From the command line: a Jamf export (UTF-8 with a byte order mark, as
// Excel saves it) is imported into a jamf source and judged; a Fleet
// source's dry run prints its requests and never the token.
func TestCLIDeviceSources(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "data")
	cli := func(stdin string, args ...string) (string, error) {
		t.Helper()
		return runCLI(t, stdin, append([]string{"--data", data}, args...)...)
	}
	if _, err := cli("a long passphrase\n", "user", "create", "--admin", "--email", "root@example.com", "--name", "Root", "--org-name", "Example Inc", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	out, err := cli("", "source", "add", "--kind", "fleet", "--name", "Fleet", "--set", "url=https://fleet.example.com", "--secret", "token=fl33t-secret", "--dry-run")
	if err != nil || !strings.Contains(out, "GET https://fleet.example.com/api/v1/fleet/hosts?") || strings.Contains(out, "fl33t-secret") {
		t.Fatalf("fleet dry run: %v\n%s", err, out)
	}
	if out, err = cli("", "source", "add", "--kind", "jamf", "--name", "Jamf", "--set", "min_os_version=macOS=15.5"); err != nil {
		t.Fatalf("add jamf source: %v\n%s", err, out)
	}
	export := filepath.Join(t.TempDir(), "computers.csv")
	doc := "\xEF\xBB\xBFComputer Name,Serial Number,Email Address,Operating System Version,Last Check-in,FileVault 2 Status\n" +
		"Mac 1,C02AAA0001,root@example.com,15.5,2026-12-01 09:00:00,All Partitions Encrypted\n" +
		"Mac 2,C02AAA0002,,14.7,2026-12-01 09:00:00,Not Encrypted\n"
	if err := os.WriteFile(export, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err = cli("", "import", "jamf", export, "--source", "Jamf"); err != nil {
		t.Fatalf("import jamf: %v\n%s", err, out)
	}
	if !strings.Contains(out, "2 resources") || !strings.Contains(out, "Read a Jamf Pro computers export: 2 rows, 2 devices") {
		t.Errorf("import output: %s", out)
	}
	if out, err = cli("", "import", "nope", export); err == nil || !strings.Contains(err.Error(), "jamf, intune, kandji") {
		t.Errorf("an unknown kind: %v", err)
	}
}
