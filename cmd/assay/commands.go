package main

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// globals are the flags every command shares.
type globals struct {
	data  string
	db    string
	blobs string      // --blobs / ASSAY_BLOBS: s3://bucket/prefix, or empty for DATA/blobs
	now   string      // --now / ASSAY_NOW: run as if it were then (demos, tests)
	clk   assay.Clock // the clock every command runs on (clock.go)
}

func newRootCmd() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:           "assay",
		Short:         "Assay: a self-hosted SOC 2 compliance platform",
		Long:          "Assay keeps your SOC 2 program (scope, controls, readiness) in one binary with an embedded database.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.data, "data", envOr("ASSAY_DATA", "assay-data"), "data folder for the embedded SQLite database (env ASSAY_DATA)")
	root.PersistentFlags().StringVar(&g.db, "db", os.Getenv("ASSAY_DB"), "database URL: postgres://... for PostgreSQL; empty for SQLite in --data (env ASSAY_DB)")
	root.PersistentFlags().StringVar(&g.blobs, "blobs", os.Getenv("ASSAY_BLOBS"), "evidence blob store: s3://bucket/prefix[?path-style=true] for S3-compatible storage (endpoint and credentials from the AWS_* variables); empty for blobs/ in --data (env ASSAY_BLOBS)")
	root.PersistentFlags().StringVar(&g.now, "now", os.Getenv("ASSAY_NOW"), "run as if it were this date or RFC 3339 time, then on from there (demos and tests; env ASSAY_NOW)")
	root.PersistentPreRunE = func(*cobra.Command, []string) error { return g.setClock() }
	root.AddCommand(
		newServeCmd(g, false),
		newServeCmd(g, true),
		newMigrateCmd(g),
		newUserCmd(g),
		newTokenCmd(g),
		newSCIMCmd(g),
		newReadinessCmd(g),
		newEvidenceCmd(g),
		newLedgerCmd(g),
		newAuditCmd(g),
		newVerifyCmd(g),
		newBlobsCmd(g),
		newBackupCmd(g),
		newRestoreCmd(g),
		newExportCmd(g),
		newCatalogCmd(),
		newCheckCmd(g),
		newSourceCmd(g),
		newImportCmd(g),
		newCollectCmd(g),
		newRiskCmd(g),
		newVendorCmd(g),
		newTrustCmd(g),
		newSSOCmd(g),
		newPolicyCmd(g),
		newIncidentCmd(g),
		newCorrectiveCmd(g),
		newPersonCmd(g),
		newTrainingCmd(g),
		newAccessReviewCmd(g),
		newControlCmd(g),
		newScopeCmd(g),
		newActivityCmd(g),
		newAlertCmd(g),
		newServiceCmd(g),
		newUpcomingCmd(g),
		newDigestCmd(g),
		newCalendarCmd(g),
		&cobra.Command{
			Use:   "version",
			Short: "Print the version",
			Run:   func(cmd *cobra.Command, _ []string) { cmd.Println("assay " + assay.Version) },
		},
	)
	return root
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// open returns a Main with its store open, for commands that do not serve.
func (g *globals) open(ctx context.Context, cmd *cobra.Command) (*Main, error) {
	m := NewMain(Config{DataDir: g.data, DBURL: g.db, BlobsURL: g.blobs, Clock: g.clock(), Stdout: cmd.OutOrStdout()})
	if err := m.OpenStore(ctx); err != nil {
		return nil, err
	}
	return m, nil
}

func newServeCmd(g *globals, demo bool) *cobra.Command {
	var addr, publicURL string
	var secure bool
	var maxUploadMB int64
	var noScheduler bool
	var metricsAddr, trustAddr string
	var size string
	var trustedProxies, probeLocation string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the Assay server",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			demoSize, err := ParseDemoSize(size)
			if err != nil {
				return err
			}
			proxies, err := httpkit.ParseTrustedProxies(trustedProxies)
			if err != nil {
				return err
			}
			if err := assay.ValidLocation(probeLocation); err != nil {
				return fmt.Errorf("--probe-location: %w", err)
			}
			m := NewMain(Config{ProbeLocation: probeLocation, TrustedProxies: proxies, DataDir: g.data, DBURL: g.db, BlobsURL: g.blobs, Clock: g.clock(), Addr: addr, PublicURL: publicURL, SecureCookies: secure, Demo: demo, DemoSize: demoSize,
				Stdout: cmd.OutOrStdout(), MaxUploadMB: maxUploadMB, NoScheduler: noScheduler, MetricsAddr: metricsAddr, TrustAddr: trustAddr})
			if err := m.Run(cmd.Context()); err != nil {
				_ = m.Close()
				return err
			}
			<-cmd.Context().Done()
			m.Config.Logger.Info("shutting down")
			return m.Close()
		},
	}
	if demo {
		cmd.Use = "demo"
		cmd.Short = "Run the server with a demo organisation already in it"
		cmd.Long = "Run the server on its own data folder (default ./assay-demo) with a realistic demo organisation, so you can look around at once."
	}
	cmd.Flags().StringVar(&addr, "addr", envOr("ASSAY_ADDR", ":8080"), "address to listen on (env ASSAY_ADDR)")
	cmd.Flags().StringVar(&publicURL, "public-url", os.Getenv("ASSAY_PUBLIC_URL"), "URL people use to reach Assay, for printed links (env ASSAY_PUBLIC_URL)")
	cmd.Flags().BoolVar(&secure, "secure-cookies", os.Getenv("ASSAY_SECURE_COOKIES") == "true", "mark cookies Secure (set behind a TLS proxy; env ASSAY_SECURE_COOKIES=true)")
	cmd.Flags().BoolVar(&noScheduler, "no-scheduler", os.Getenv("ASSAY_NO_SCHEDULER") == "true", "do not run scheduled monitoring here (another server of the same database does; env ASSAY_NO_SCHEDULER=true)")
	cmd.Flags().StringVar(&trustAddr, "trust-addr", os.Getenv("ASSAY_TRUST_ADDR"), "also serve the public trust center alone on this address, for its own host name such as trust.example.com (off when empty; env ASSAY_TRUST_ADDR)")
	cmd.Flags().StringVar(&metricsAddr, "metrics-addr", os.Getenv("ASSAY_METRICS_ADDR"), "serve Prometheus metrics at /metrics on this address, such as 127.0.0.1:9090 (off when empty; env ASSAY_METRICS_ADDR)")
	cmd.Flags().StringVar(&trustedProxies, "trusted-proxies", os.Getenv("ASSAY_TRUSTED_PROXIES"), "proxies whose X-Forwarded-For names the client, as CIDR prefixes or addresses separated by commas, such as 10.0.0.0/8,192.168.1.5 (default none: the connection's address is the client's; env ASSAY_TRUSTED_PROXIES)")
	cmd.Flags().StringVar(&probeLocation, "probe-location", os.Getenv("ASSAY_PROBE_LOCATION"), "name this server's place, such as eu-west, to probe every availability service from here and label the results (default none: each service is probed once per interval across the servers; env ASSAY_PROBE_LOCATION)")
	cmd.Flags().Int64Var(&maxUploadMB, "max-upload-mb", envInt("ASSAY_MAX_UPLOAD_MB", 100), "largest evidence file accepted, in MB (env ASSAY_MAX_UPLOAD_MB)")
	if demo {
		cmd.Flags().StringVar(&size, "size", envOr("ASSAY_DEMO_SIZE", "demo"), "how big an organisation to seed into an empty database: demo, large (500 controls, 5,000 evidence items, 1,000 people, 10,000 resources with 30 days of hourly runs) or xl (5,000 people, 50,000 resources; for benchmarks) (env ASSAY_DEMO_SIZE)")
		cmd.PreRun = func(cmd *cobra.Command, _ []string) {
			if !cmd.Flags().Changed("data") && os.Getenv("ASSAY_DATA") == "" {
				g.data = "assay-demo"
			}
		}
	}
	return cmd
}

func newMigrateCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade the database schema, then exit",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := g.open(cmd.Context(), cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			cmd.Printf("Database is up to date (%s).\n", m.describeDB())
			return nil
		},
	}
}
