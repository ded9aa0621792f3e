package main

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect"
	"github.com/assay-platform/assay/monitor/runner"
	"github.com/assay-platform/assay/store"
)

// The demo's monitoring documents: a small Terraform plan (one bucket
// without encryption, SSH open to the world), a Trivy report of the API
// image (one critical vulnerability with a fix) and an identity roster
// (one admin without MFA, whom nobody on the roster owns). Written for the demo, not taken from anywhere.
const demoTerraform = `{
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_s3_bucket.invoices", "mode": "managed", "type": "aws_s3_bucket", "name": "invoices",
     "values": {"bucket": "northwind-invoices", "tags": {"owner": "finance"}}},
    {"address": "aws_s3_bucket.backups", "mode": "managed", "type": "aws_s3_bucket", "name": "backups",
     "values": {"bucket": "northwind-backups", "tags": {"owner": "platform"}}},
    {"address": "aws_s3_bucket_server_side_encryption_configuration.backups", "mode": "managed",
     "type": "aws_s3_bucket_server_side_encryption_configuration", "name": "backups",
     "values": {"bucket": "northwind-backups", "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}]}]}},
    {"address": "aws_s3_bucket_versioning.backups", "mode": "managed", "type": "aws_s3_bucket_versioning", "name": "backups",
     "values": {"bucket": "northwind-backups", "versioning_configuration": [{"status": "Enabled"}]}},
    {"address": "aws_s3_bucket_public_access_block.backups", "mode": "managed", "type": "aws_s3_bucket_public_access_block", "name": "backups",
     "values": {"bucket": "northwind-backups", "block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true}},
    {"address": "aws_security_group.bastion", "mode": "managed", "type": "aws_security_group", "name": "bastion",
     "values": {"name": "bastion", "ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}], "egress": []}},
    {"address": "aws_db_instance.ledger", "mode": "managed", "type": "aws_db_instance", "name": "ledger",
     "values": {"identifier": "ledger", "engine": "postgres", "storage_encrypted": true, "publicly_accessible": false,
       "backup_retention_period": 14, "deletion_protection": true, "multi_az": true}}
  ]}}
}`

// demoTrivy is the report, scanned the day before now.
func demoTrivy(now time.Time) string {
	return strings.NewReplacer("SCANNED", now.AddDate(0, 0, -1).Format(time.RFC3339), "PUBLISHED", now.AddDate(0, 0, -20).Format(time.RFC3339)).Replace(`{
  "SchemaVersion": 2,
  "CreatedAt": "SCANNED",
  "ArtifactName": "registry.northwind.example/ledger-api:2.8.1",
  "ArtifactType": "container_image",
  "Metadata": {"OS": {"Family": "debian", "Name": "12.5"}, "ImageConfig": {"config": {"User": "app"}}},
  "Results": [{"Target": "registry.northwind.example/ledger-api:2.8.1 (debian 12.5)", "Class": "os-pkgs", "Type": "debian",
    "Vulnerabilities": [
      {"VulnerabilityID": "CVE-2026-4242", "PkgName": "libexpat1", "InstalledVersion": "2.5.0-1", "FixedVersion": "2.5.0-1+deb12u1",
       "Severity": "CRITICAL", "Title": "libexpat: crafted input overflows a buffer", "PublishedDate": "PUBLISHED"},
      {"VulnerabilityID": "CVE-2026-1717", "PkgName": "tzdata", "InstalledVersion": "2024a-0", "Severity": "LOW", "Title": "tzdata: minor issue"}
    ]}]
}`)
}

// demoAccount is one account of the demo's identity provider; lastLogin
// is days ago.
type demoAccount struct {
	email, name string
	mfa, admin  bool
	status      string
	lastLogin   int
}

// demoAccounts are the identity provider's accounts now: the staff (Tomás,
// who left, suspended), Lee's admin account without MFA that nobody on the
// roster owns, and the outside bookkeeper's.
var demoAccounts = []demoAccount{
	{demoEmail, "Dana Reyes", true, true, "active", 1},
	{demoApproverEmail, "Alex Moreno", true, true, "active", 3},
	{"sam@northwind.example", "Sam Okafor", true, false, "active", 2},
	{"priya@northwind.example", "Priya Natarajan", true, true, "active", 1},
	{"jordan@northwind.example", "Jordan Blake", true, false, "active", 4},
	{"lena@northwind.example", "Lena Fischer", true, false, "active", 2},
	{"chris@northwind.example", "Chris Wong", true, false, "active", 5},
	{demoEmployeeEmail, "Ella Park", true, false, "active", 1},
	{"ben@northwind.example", "Ben Carter", true, false, "active", 1},
	{"fatima@northwind.example", "Fatima Malik", true, false, "active", 2},
	{"noah@northwind.example", "Noah Kim", true, false, "active", 8},
	{"tomas@northwind.example", "Tomás Rivera", true, false, "suspended", 12},
	{"lee@northwind.example", "Lee Park", false, true, "active", 1},
	{"ivy@northwind.example", "Ivy Chen", true, false, "active", 6},
}

// demoRosterCSV writes accounts as an identity provider's CSV export at now.
func demoRosterCSV(now time.Time, accounts []demoAccount) string {
	yes := map[bool]string{true: "yes", false: "no"}
	var b strings.Builder
	b.WriteString("email,name,mfa,admin,status,last_login\n")
	for _, a := range accounts {
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s\n", a.email, a.name, yes[a.mfa], yes[a.admin], a.status, now.AddDate(0, 0, -a.lastLogin).Format("2006-01-02"))
	}
	return b.String()
}

// demoRoster is the identity roster the demo's roster source holds.
func demoRoster(now time.Time) string { return demoRosterCSV(now, demoAccounts) }

// demoSource is one file source of the demo and how its history goes:
// fixedUntil makes failing pairs of the named checks pass on the days
// before it (days ago), so the grid shows when they started failing.
type demoSource struct {
	name, kind, doc string
	fixedUntil      map[string]int
	settings        map[string]string
	// live is a live kind's collector answering from recorded data (nil
	// for file kinds); its source is added disabled, with secrets.
	live    monitor.Collector
	secrets map[string]string
}

// demoMonitoringBasis is what seeding sources needs: the acting admin, the
// library's checks and their severity and controls.
func demoMonitoringBasis(people map[string]assay.User) (assay.Actor, []assay.Check, map[string]store.CheckMeta, error) {
	actor := assay.ActorFor(people[demoEmail], "web")
	checks, err := catalog.LibraryCheckList()
	if err != nil {
		return actor, nil, nil, err
	}
	meta := map[string]store.CheckMeta{}
	for _, c := range checks {
		meta[c.ID] = store.CheckMeta{Severity: c.Severity, Controls: c.Controls}
	}
	return actor, checks, meta, nil
}

// seedDemoMonitoring adds three file sources and 30 days of recorded
// daily runs, so the monitoring grid shows history: checks that started
// failing some days ago, and their findings.
func seedDemoMonitoring(ctx context.Context, os store.OrgStore, blobs evidence.Store, clock assay.Clock, people map[string]assay.User) error {
	actor, checks, meta, err := demoMonitoringBasis(people)
	if err != nil {
		return err
	}
	now := clock.Now().UTC()
	sources := []demoSource{
		{name: "Production Terraform", kind: "terraform", doc: demoTerraform, fixedUntil: map[string]int{"tf-sg-no-open-admin-ports": 6, "tf-s3-bucket-encrypted": 12, "*": 25}},
		{name: "Ledger API image (Trivy)", kind: "trivy", doc: demoTrivy(now), fixedUntil: map[string]int{"*": 9}},
		{name: "Okta roster", kind: "roster", doc: demoRoster(now), fixedUntil: map[string]int{"*": 3}},
	}
	for _, ds := range sources {
		if err := seedDemoSource(ctx, os, blobs, actor, checks, meta, ds, now); err != nil {
			return fmt.Errorf("%s: %w", ds.name, err)
		}
	}
	return nil
}

func seedDemoSource(ctx context.Context, os store.OrgStore, blobs evidence.Store, actor assay.Actor, checks []assay.Check,
	meta map[string]store.CheckMeta, ds demoSource, now time.Time) error {
	col, ok := collect.ByKind(ds.kind, &assay.FixedClock{T: now})
	if !ok {
		return fmt.Errorf("no %s collector", ds.kind)
	}
	if ds.settings == nil {
		ds.settings = map[string]string{}
	}
	cfg := monitor.Config{Settings: ds.settings, Input: []byte(ds.doc), People: os.People}
	if ds.live != nil {
		col, cfg.Input, cfg.Secrets = ds.live, nil, ds.secrets
	}
	resources, err := col.Collect(ctx, cfg)
	if err != nil {
		return err
	}
	kinds := col.ResourceKinds()
	var mine []assay.Check
	for _, c := range checks {
		if slices.Contains(kinds, c.Kind) {
			mine = append(mine, c)
		}
	}
	engine, err := monitor.NewEngine(mine)
	if err != nil {
		return err
	}
	results := engine.Evaluate(ctx, resources)
	src, err := os.CreateSource(ctx, actor, assay.Source{Name: ds.name, Kind: ds.kind, Settings: ds.settings, IntervalMinutes: 1440, Enabled: ds.live == nil}, nil)
	if err != nil {
		return err
	}
	snapshot := ""
	if blobs != nil {
		if ds.live == nil {
			b, err := blobs.Put(bytes.NewReader([]byte(ds.doc)), 1<<20)
			if err != nil {
				return err
			}
			if _, err := os.SetSourceInput(ctx, actor, src.ID, b.SHA256); err != nil {
				return err
			}
		}
		// Every day collected the same resources: one snapshot serves all
		// runs, so a run's resources can be read back (access reviews load
		// accounts from the roster's latest run).
		if snapshot, err = runner.Snapshot(ctx, blobs, resources); err != nil {
			return err
		}
	}
	for ago := 29; ago >= 0; ago-- {
		day := make([]assay.CheckResult, len(results))
		copy(day, results)
		for i, r := range day {
			until, ok := ds.fixedUntil[r.CheckID]
			if !ok {
				until, ok = ds.fixedUntil["*"]
			}
			if ok && r.Status == assay.CheckFail && ago > until {
				day[i].Status, day[i].Reason = assay.CheckPass, ""
			}
		}
		start := assay.Day(now).AddDate(0, 0, -ago).Add(6 * time.Hour)
		if start.After(now) {
			start = now.Add(-time.Minute)
		}
		run := assay.MonitorRun{SourceID: src.ID, Trigger: assay.TriggerSchedule, StartedAt: start, EndedAt: start.Add(2 * time.Second), Status: assay.RunOK,
			Snapshot: snapshot}
		if _, _, err := os.RecordRun(ctx, assay.SystemActor, run, day, meta); err != nil {
			return err
		}
	}
	return nil
}
