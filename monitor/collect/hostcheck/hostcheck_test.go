package hostcheck

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

const libraryFile = "../../../catalog/data/checks/host.json"

// tree writes files (path -> content) under a new root; a content of
// "->target" makes a symlink instead.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, content := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if len(content) > 2 && content[:2] == "->" {
			if err := os.Symlink(content[2:], full); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// hardened is a host that should pass every host check. Its sshd_config
// repeats weak settings after the Include and inside a Match block, which
// must not win.
var hardened = map[string]string{
	"/etc/hostname": "web-1\n",
	"/etc/ssh/sshd_config": `# main file
Include /etc/ssh/sshd_config.d/*.conf
PermitRootLogin yes
PasswordAuthentication yes
X11Forwarding yes
Match User backup
    PasswordAuthentication yes
    MaxAuthTries 10
`,
	"/etc/ssh/sshd_config.d/10-hardening.conf":  "PermitRootLogin no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nMaxAuthTries 3\nX11Forwarding=no\nClientAliveInterval 5m\n",
	"/etc/ssh/sshd_config.d/20-late.conf":       "PermitRootLogin yes\nMaxAuthTries 9\n",
	"/etc/apt/apt.conf.d/20auto-upgrades":       "APT::Periodic::Update-Package-Lists \"1\";\nAPT::Periodic::Unattended-Upgrade \"1\";\n",
	"/etc/apt/apt.conf.d/50unattended-upgrades": "Unattended-Upgrade::Origins-Pattern { \"origin=Debian,label=Debian-Security\"; };\n",
	"/etc/nftables.conf": `table inet filter {
  chain input {
    type filter hook input priority 0; policy drop;
    ct state established,related accept
    iif lo accept
    tcp dport 22 accept
  }
}
`,
	"/etc/systemd/system/sysinit.target.wants/nftables.service": "->/lib/systemd/system/nftables.service",
	"/proc/mounts":            "/dev/mapper/vg0-root / ext4 rw,relatime 0 0\nproc /proc proc rw 0 0\n",
	"/etc/crypttab":           "# <target> <source> <key> <options>\nsda3_crypt UUID=1234 none luks,discard\n",
	"/etc/chrony/chrony.conf": "pool 2.debian.pool.ntp.org iburst\nserver time.example.com iburst\n",
	"/etc/systemd/system/multi-user.target.wants/chrony.service": "->/lib/systemd/system/chrony.service",
	"/etc/audit/auditd.conf":                                     "max_log_file_action = ROTATE\n",
	"/etc/audit/rules.d/50-identity.rules":                       "-w /etc/passwd -p wa -k identity\n-w /etc/shadow -p wa -k identity\n-a always,exit -F arch=b64 -S execve -F euid=0 -k rootcmd\n-e 2\n",
	"/etc/systemd/system/multi-user.target.wants/auditd.service": "->/lib/systemd/system/auditd.service",
	"/etc/login.defs": "PASS_MAX_DAYS 90\nPASS_MIN_DAYS 1\nPASS_WARN_AGE 14\nENCRYPT_METHOD YESCRYPT\n",
}

// weak fails every host check.
var weak = map[string]string{
	"/etc/hostname":                       "legacy-db\n",
	"/etc/ssh/sshd_config":                "PermitRootLogin yes\nPasswordAuthentication yes\nPermitEmptyPasswords yes\nPubkeyAuthentication no\nMaxAuthTries 10\nX11Forwarding yes\n",
	"/etc/apt/apt.conf.d/20auto-upgrades": "APT::Periodic::Update-Package-Lists \"0\";\nAPT::Periodic::Unattended-Upgrade \"0\";\n",
	// a rules file with the service not enabled is not a firewall
	"/etc/iptables/rules.v4": "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n",
	"/proc/mounts":           "/dev/sda1 / ext4 rw 0 0\n",
	// chrony configured but masked
	"/etc/chrony/chrony.conf":                                    "pool pool.ntp.org\n",
	"/etc/systemd/system/chrony.service":                         "->/dev/null",
	"/etc/systemd/system/multi-user.target.wants/chrony.service": "->/lib/systemd/system/chrony.service",
	"/etc/login.defs":                                            "PASS_MAX_DAYS 99999\nPASS_MIN_DAYS 0\nPASS_WARN_AGE 0\nENCRYPT_METHOD MD5\n",
}

func collect(t *testing.T, root string) map[string]assay.Resource {
	t.Helper()
	res, err := New().Collect(context.Background(), monitor.Config{Settings: map[string]string{"root": root}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]assay.Resource{}
	for _, r := range res {
		out[r.Kind] = r
	}
	if len(out) != len(New().ResourceKinds()) {
		t.Fatalf("got kinds %v", out)
	}
	return out
}

func TestHardenedHost(t *testing.T) {
	res := collect(t, tree(t, hardened))
	sshd := res[KindSSHD]
	if sshd.ID != "web-1/host.sshd" || sshd.Name != "web-1" {
		t.Fatalf("identity %q %q", sshd.ID, sshd.Name)
	}
	want := map[string]any{
		"installed": true, "permit_root_login": "no", "password_authentication": false,
		"kbd_interactive_authentication": false, "pubkey_authentication": true, "permit_empty_passwords": false,
		"max_auth_tries": int64(3), "x11_forwarding": false, "client_alive_interval": int64(300),
	}
	for k, v := range want {
		if sshd.Attrs[k] != v {
			t.Errorf("sshd %s = %#v, want %#v", k, sshd.Attrs[k], v)
		}
	}
	if got := sshd.Attrs["config_files"]; !reflect.DeepEqual(got, []any{"/etc/ssh/sshd_config", "/etc/ssh/sshd_config.d/10-hardening.conf", "/etc/ssh/sshd_config.d/20-late.conf"}) {
		t.Errorf("config files %v", got)
	}
	checkAttrs(t, res[KindUpdates], map[string]any{"auto_updates": true, "mechanism": "unattended-upgrades", "package_manager": "apt"})
	checkAttrs(t, res[KindFirewall], map[string]any{"enabled": true, "default_input_policy": "drop", "rule_count": int64(3)})
	checkAttrs(t, res[KindDisk], map[string]any{"root_encrypted": true, "root_device": "/dev/mapper/vg0-root", "crypttab_entries": int64(1)})
	checkAttrs(t, res[KindTimeSync], map[string]any{"service": "chrony", "enabled": true, "configured": true})
	if got := res[KindTimeSync].Attrs["servers"]; !reflect.DeepEqual(got, []any{"2.debian.pool.ntp.org", "time.example.com"}) {
		t.Errorf("servers %v", got)
	}
	checkAttrs(t, res[KindAudit], map[string]any{"auditd_enabled": true, "rules_count": int64(3), "watches_identity_files": true, "rules_immutable": true, "max_log_file_action": "rotate"})
	checkAttrs(t, res[KindPasswords], map[string]any{"pass_max_days": int64(90), "pass_min_days": int64(1), "pass_warn_age": int64(14), "encrypt_method": "YESCRYPT"})

	for _, r := range res {
		collecttest.SameKeys(t, libraryFile, r)
	}
	progs := collecttest.Library(t, libraryFile)
	for id, r := range collecttest.Evaluate(t, progs, flatten(res)) {
		if r.Status != assay.CheckPass {
			t.Errorf("hardened host: %s = %s (%s)", id, r.Status, r.Reason)
		}
	}
}

func TestWeakHost(t *testing.T) {
	res := collect(t, tree(t, weak))
	checkAttrs(t, res[KindSSHD], map[string]any{"permit_root_login": "yes", "kbd_interactive_authentication": true, "client_alive_interval": int64(0)})
	checkAttrs(t, res[KindFirewall], map[string]any{"enabled": false, "default_input_policy": "unknown"})
	checkAttrs(t, res[KindTimeSync], map[string]any{"enabled": false, "service": "chrony", "configured": true})
	checkAttrs(t, res[KindAudit], map[string]any{"auditd_installed": false, "rules_count": int64(0)})
	progs := collecttest.Library(t, libraryFile)
	results := collecttest.Evaluate(t, progs, flatten(res))
	if len(results) != len(progs) {
		t.Fatalf("%d results for %d checks", len(results), len(progs))
	}
	for id, r := range results {
		if r.Status != assay.CheckFail || r.Reason == "" {
			t.Errorf("weak host: %s = %s (%s)", id, r.Status, r.Reason)
		}
	}
	if r := results["host-ssh-max-auth-tries"]; r.Reason != "sshd on legacy-db allows 10 authentication attempts per connection" {
		t.Errorf("reason %q", r.Reason)
	}
}

// An empty root (no files at all) is a host without sshd: the sshd checks
// pass, everything else fails; nothing errors.
func TestEmptyRootAndErrors(t *testing.T) {
	res := collect(t, t.TempDir())
	if res[KindSSHD].Attrs["installed"] != false || res[KindSSHD].Name != "unknown-host" {
		t.Fatalf("%+v", res[KindSSHD])
	}
	for id, r := range collecttest.Evaluate(t, collecttest.Library(t, libraryFile), flatten(res)) {
		if r.Status == assay.CheckError {
			t.Errorf("%s errored: %s", id, r.Reason)
		}
	}
	c := New()
	if err := c.Validate(monitor.Config{Settings: map[string]string{"root": "relative/path"}}); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("relative root: %v", err)
	}
	if _, err := c.Collect(context.Background(), monitor.Config{Settings: map[string]string{"root": filepath.Join(t.TempDir(), "missing")}}); err == nil {
		t.Fatal("missing root collected")
	}
}

// The machine running the test: only that it yields every resource.
func TestThisMachine(t *testing.T) {
	res, err := New().Collect(context.Background(), monitor.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 7 {
		t.Fatalf("%d resources", len(res))
	}
	for _, r := range res {
		if r.Name == "" || r.ID == "" || len(r.Attrs) == 0 {
			t.Errorf("%+v", r)
		}
	}
}

func checkAttrs(t *testing.T, r assay.Resource, want map[string]any) {
	t.Helper()
	for k, v := range want {
		if !reflect.DeepEqual(r.Attrs[k], v) {
			t.Errorf("%s %s = %#v, want %#v", r.Kind, k, r.Attrs[k], v)
		}
	}
}

func flatten(m map[string]assay.Resource) []assay.Resource {
	out := make([]assay.Resource, 0, len(m))
	for _, r := range m {
		out = append(out, r)
	}
	return out
}

// A RHEL-style host: dnf-automatic, firewalld, systemd-timesyncd, audit
// rules only in audit.rules, and an unquoted ChallengeResponse setting.
func TestRHELStyleHost(t *testing.T) {
	res := collect(t, tree(t, map[string]string{
		"/etc/hostname":           "rhel-9\n",
		"/etc/ssh/sshd_config":    "ChallengeResponseAuthentication no\nKbdInteractiveAuthentication yes\nPermitRootLogin without-password\n",
		"/etc/dnf/dnf.conf":       "[main]\n",
		"/etc/dnf/automatic.conf": "[commands]\nupgrade_type = security\napply_updates = yes\n",
		"/etc/systemd/system/timers.target.wants/dnf-automatic.timer":        "->/usr/lib/systemd/system/dnf-automatic.timer",
		"/etc/firewalld/firewalld.conf":                                      "DefaultZone=public\n",
		"/etc/systemd/system/multi-user.target.wants/firewalld.service":      "->/usr/lib/systemd/system/firewalld.service",
		"/etc/systemd/timesyncd.conf":                                        "[Time]\nNTP=ntp1.example.com ntp2.example.com\n",
		"/etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service": "->/usr/lib/systemd/system/systemd-timesyncd.service",
		"/etc/audit/auditd.conf":                                             "max_log_file_action = keep_logs\n",
		"/etc/audit/audit.rules":                                             "-w /etc/shadow -p wa -k identity\n",
		"/etc/fstab":                                                         "UUID=abcd / xfs defaults 0 0\n",
		"/etc/crypttab":                                                      "luks-1 UUID=ef none\n",
	}))
	checkAttrs(t, res[KindSSHD], map[string]any{"kbd_interactive_authentication": false, "permit_root_login": "prohibit-password"})
	checkAttrs(t, res[KindUpdates], map[string]any{"package_manager": "dnf", "mechanism": "dnf-automatic", "auto_updates": true, "dnf_upgrade_type": "security"})
	checkAttrs(t, res[KindFirewall], map[string]any{"enabled": true, "tools": []any{"firewalld"}, "default_input_policy": "reject"})
	checkAttrs(t, res[KindTimeSync], map[string]any{"service": "systemd-timesyncd", "enabled": true, "servers": []any{"ntp1.example.com", "ntp2.example.com"}})
	checkAttrs(t, res[KindAudit], map[string]any{"auditd_installed": true, "auditd_enabled": false, "rules_count": int64(1), "watches_identity_files": true})
	// / on a plain UUID device is not encrypted even though crypttab has
	// an entry (for another volume).
	checkAttrs(t, res[KindDisk], map[string]any{"root_encrypted": false, "root_device": "UUID=abcd", "mounts_source": "etc/fstab", "root_fs_type": "xfs"})
	checkAttrs(t, res[KindPasswords], map[string]any{"login_defs_present": false, "pass_max_days": int64(99999)})
}
