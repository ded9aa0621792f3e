package app

import (
	"context"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// MonitorService is continuous monitoring as the handlers use it. The
// program passes runner.Service (package monitor/runner); without it
// (Config.Monitor nil) monitoring pages show sources and results but
// cannot run, push, import or save secrets.
type MonitorService interface {
	// RunSource collects a source now (trigger "manual" from "Run now")
	// and records the run. A failing collector is a recorded run with
	// status error, not an error; the error is for a run that could not be
	// recorded. Attribute the run to a user with runner.WithActor(ctx, actor).
	RunSource(ctx context.Context, org store.OrgStore, sourceID int64, trigger string) (assay.MonitorRun, error)
	// Ingest records resources an agent pushed (trigger "push").
	Ingest(ctx context.Context, org store.OrgStore, sourceID int64, resources []assay.Resource) (assay.MonitorRun, error)
	// Import gives a file-kind source a new document and runs it (trigger
	// "import"); an unreadable document is EINVALID and changes nothing.
	Import(ctx context.Context, org store.OrgStore, sourceID int64, input []byte) (assay.MonitorRun, error)
	// Checks lists the organisation's checks: the library and its custom checks.
	Checks(ctx context.Context, org store.OrgStore) ([]assay.Check, error)
	// SealSecrets encrypts secrets bound to (org, source).
	SealSecrets(orgID, sourceID int64, secrets map[string]string) ([]byte, error)
	// ValidateSource checks settings and secrets with the kind's collector.
	ValidateSource(kind string, settings, secrets map[string]string) error
	// CreateSource validates, stores and seals a new source's secrets.
	CreateSource(ctx context.Context, org store.OrgStore, actor assay.Actor, src assay.Source, secrets map[string]string) (assay.Source, error)
	// UpdateSource changes a source; a secret given as "" (or nil secrets)
	// keeps the stored value.
	UpdateSource(ctx context.Context, org store.OrgStore, actor assay.Actor, id int64, src assay.Source, secrets map[string]string) (assay.Source, error)
	// TestSource collects a live source once and says whether it could
	// read everything, recording nothing ("test connection").
	TestSource(ctx context.Context, org store.OrgStore, sourceID int64) (assay.ConnectionTest, error)
}

// ErrNoMonitor is the answer to a monitoring run, push, import or secret
// when the server has no monitoring service (no secret key is configured).
var ErrNoMonitor = assay.Errorf(assay.ECONFLICT, "Monitoring runs are not available on this server (no secret key is configured).")
