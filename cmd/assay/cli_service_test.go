package main

import (
	"strings"
	"testing"
)

// TestCLIService: availability monitoring from the command line, through
// the services the web calls: an admin adds services and plans
// maintenance; a member lists and reads uptime and the SLA report but
// cannot add; bad input adds nothing.
func TestCLIService(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t).at("2026-03-02T09:00:00Z")
	e.root()
	e.user("member", "mo@example.com", "Mo")
	out := e.must("service", "add", "Customer API", "http", "https://api.example.com/health", "--expect-status", "200", "--sla", "99.95", "--as", "root@example.com")
	if !strings.Contains(out, "Service 1 added: Customer API (http https://api.example.com/health, every 60 s, SLA 99.95%)") {
		t.Fatalf("add: %s", out)
	}
	e.must("service", "add", "Database", "tcp", "db.internal:5432", "--interval", "30", "--as", "root@example.com")
	e.refused("interval", "service", "add", "Fast", "tcp", "db.internal:5432", "--interval", "5", "--as", "root@example.com")
	e.refused("Only admins", "service", "add", "Mine", "dns", "example.com", "--as", "mo@example.com")
	out = e.must("service", "list", "--as", "mo@example.com")
	if !strings.Contains(out, "Customer API") || !strings.Contains(out, "Database") || !strings.Contains(out, "pending") || strings.Contains(out, "Fast") {
		t.Fatalf("list: %s", out)
	}
	out = e.must("service", "maintenance", "1", "--from", "2026-03-10T22:00:00Z", "--to", "2026-03-10T23:30:00Z", "--reason", "Database upgrade", "--as", "root@example.com")
	if !strings.Contains(out, "Maintenance 1 planned for service 1") {
		t.Fatalf("maintenance: %s", out)
	}
	out = e.must("service", "uptime", "1", "--as", "mo@example.com")
	if !strings.Contains(out, "WINDOW") || !strings.Contains(out, "1y") {
		t.Fatalf("uptime: %s", out)
	}
	out = e.must("service", "sla", "1", "--month", "2026-03", "--as", "mo@example.com")
	if !strings.Contains(out, "Customer API, 2026-03") || !strings.Contains(out, "Database upgrade") {
		t.Fatalf("sla: %s", out)
	}
	out = e.must("service", "sla", "1", "--month", "2026-03", "--csv", "--as", "mo@example.com")
	if !strings.HasPrefix(out, "service,month,kind,") || !strings.Contains(out, "maintenance") {
		t.Fatalf("sla csv: %s", out)
	}
	out = e.must("service", "list", "--json", "--as", "mo@example.com")
	if !strings.Contains(out, `"count": 2`) {
		t.Fatalf("json: %s", out)
	}
}
