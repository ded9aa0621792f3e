package store

import (
	"context"
	"time"

	"github.com/assay-platform/assay"
)

// TrustStore is an organisation's public trust center: its settings, the
// documents it offers, visitors' requests for them, downloads and the
// signed snapshots of what it showed.
type TrustStore interface {
	// TrustSettings are the settings; never set, the zero settings.
	TrustSettings(ctx context.Context) (assay.TrustSettings, error)
	UpdateTrustSettings(ctx context.Context, actor assay.Actor, t assay.TrustSettings) (assay.TrustSettings, error)

	// CreateTrustDocument offers a document whose blob is already stored.
	CreateTrustDocument(ctx context.Context, actor assay.Actor, n assay.NewTrustDocument) (assay.TrustDocument, error)
	TrustDocuments(ctx context.Context) ([]assay.TrustDocument, error)
	TrustDocument(ctx context.Context, id int64) (assay.TrustDocument, error)
	SetTrustDocumentPublished(ctx context.Context, actor assay.Actor, id int64, published bool) (assay.TrustDocument, error)

	// CreateTrustRequest records a visitor's request with the NDA version
	// they accepted and the hash of the private link they were given; it
	// is pending until decided.
	CreateTrustRequest(ctx context.Context, actor assay.Actor, n assay.NewTrustAccessRequest, ndaVersion, tokenHash string) (assay.TrustAccessRequest, error)
	TrustRequests(ctx context.Context, status assay.TrustRequestStatus) ([]assay.TrustAccessRequest, error)
	TrustRequest(ctx context.Context, id int64) (assay.TrustAccessRequest, error)
	// DecideTrustRequest approves a pending request until expires (when
	// its link stops downloading), or denies it.
	DecideTrustRequest(ctx context.Context, actor assay.Actor, id int64, approve bool, expires time.Time) (assay.TrustAccessRequest, error)
	// TrustRequestByToken finds the request a visitor's link belongs to.
	TrustRequestByToken(ctx context.Context, tokenHash string) (assay.TrustAccessRequest, error)
	// RecordTrustDownload logs one use of a link, with its ledger entry.
	RecordTrustDownload(ctx context.Context, actor assay.Actor, requestID int64, clientAddr string) error

	// SaveTrustSnapshot keeps a signed snapshot document; snapshots are
	// never changed.
	SaveTrustSnapshot(ctx context.Context, payloadSHA256 string, document []byte) (assay.TrustSnapshotRef, error)
	TrustSnapshots(ctx context.Context, limit int) ([]assay.TrustSnapshotRef, error)
	TrustSnapshot(ctx context.Context, id int64) (assay.TrustSnapshotRef, []byte, error)
}

// TrustCenters finds the organisation whose trust center is public.
type TrustCenters interface {
	// PublicTrustOrg is the organisation (the lowest id) whose trust center
	// is enabled; ENOTFOUND when none is.
	PublicTrustOrg(ctx context.Context) (int64, error)
}
