// Package hostcheck is the "host" collector: it reads a Linux machine's
// configuration files under a root folder (read-only, never runs a
// program) and reports the effective sshd settings, automatic security
// updates, firewall, root disk encryption, time sync, audit logging and
// password ageing as resources.
package hostcheck

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
)

// Resource kinds this collector produces.
const (
	KindSSHD      = "host.sshd"
	KindUpdates   = "host.updates"
	KindFirewall  = "host.firewall"
	KindDisk      = "host.disk"
	KindTimeSync  = "host.timesync"
	KindAudit     = "host.audit"
	KindPasswords = "host.passwords"
)

type collector struct{}

// New returns the host collector.
func New() monitor.Collector { return collector{} }

func (collector) Kind() string { return "host" }

func (collector) ResourceKinds() []string {
	return []string{KindSSHD, KindUpdates, KindFirewall, KindDisk, KindTimeSync, KindAudit, KindPasswords}
}

// Validate accepts an empty root (meaning "/") or an absolute path.
func (collector) Validate(cfg monitor.Config) error {
	root := cfg.Settings["root"]
	if root != "" && !filepath.IsAbs(root) {
		return assay.Invalid("root", "root must be an absolute path, got %q", root)
	}
	return nil
}

// Collect reads the files under the configured root. Missing files are
// facts (sshd not installed, no firewall rules), not errors; a root that
// is not a readable folder is an error.
func (c collector) Collect(ctx context.Context, cfg monitor.Config) ([]assay.Resource, error) {
	if err := c.Validate(cfg); err != nil {
		return nil, err
	}
	root := cfg.Settings["root"]
	if root == "" {
		root = "/"
	}
	st, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("host: read root %s: %w", root, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("host: root %s is not a folder", root)
	}
	fs := hostFS{root: root}
	host := hostname(fs, cfg.Settings["hostname"])
	parts := []struct {
		kind  string
		attrs func(hostFS) map[string]any
	}{
		{KindSSHD, sshdAttrs},
		{KindUpdates, updatesAttrs},
		{KindFirewall, firewallAttrs},
		{KindDisk, diskAttrs},
		{KindTimeSync, timeSyncAttrs},
		{KindAudit, auditAttrs},
		{KindPasswords, passwordAttrs},
	}
	out := make([]assay.Resource, 0, len(parts))
	for _, p := range parts {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("host: %w", err)
		}
		out = append(out, assay.Resource{Kind: p.kind, ID: host + "/" + p.kind, Name: host, Attrs: p.attrs(fs)})
	}
	return out, nil
}

// hostname is the setting if given, else root/etc/hostname, else (for the
// live machine) the kernel's host name.
func hostname(fs hostFS, setting string) string {
	if h := strings.TrimSpace(setting); h != "" {
		return h
	}
	if b, ok := fs.read("/etc/hostname"); ok {
		if h := strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]); h != "" {
			return h
		}
	}
	if filepath.Clean(fs.root) == "/" {
		if h, err := os.Hostname(); err == nil && h != "" {
			return h
		}
	}
	return "unknown-host"
}
