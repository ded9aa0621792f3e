package store

import (
	"context"

	"github.com/assay-platform/assay"
)

// EvidenceStore is an organisation's evidence and evidence requests. It is
// part of OrgStore, so every method is bound to one organisation: an item,
// a control or a request of another organisation is simply not found.
//
// Evidence items are immutable. CreateEvidence writes a new item (a file's
// blob must already be durable: the caller stores it first and passes its
// digest); with Supersedes set, the new item replaces an older one, which
// is marked superseded in the same transaction. Only the controls an item
// is attached to change afterwards.
type EvidenceStore interface {
	CreateEvidence(ctx context.Context, actor assay.Actor, n assay.NewEvidence) (assay.Evidence, error)
	Evidence(ctx context.Context, id int64) (assay.Evidence, error)
	EvidenceList(ctx context.Context, f assay.EvidenceFilter) ([]assay.Evidence, error)
	// UpdateEvidenceControls attaches the item to the controls in attach
	// and detaches it from those in detach. An item keeps at least one
	// control; a superseded item cannot be attached to more.
	UpdateEvidenceControls(ctx context.Context, actor assay.Actor, id int64, attach, detach []string) (assay.Evidence, error)
	// EvidenceByControl summarises, per control, the evidence in force
	// (not superseded): what readiness and the dashboard need.
	EvidenceByControl(ctx context.Context) ([]assay.ControlEvidence, error)

	CreateEvidenceRequest(ctx context.Context, actor assay.Actor, n assay.NewEvidenceRequest) (assay.EvidenceRequest, error)
	// CreateEvidenceRequests creates several requests, all or none (an
	// imported request list, one request per sampled item); an error
	// names the request, counted from 1, that failed.
	CreateEvidenceRequests(ctx context.Context, actor assay.Actor, ns []assay.NewEvidenceRequest) ([]assay.EvidenceRequest, error)
	// CommentEvidenceRequest adds to a request's thread.
	CommentEvidenceRequest(ctx context.Context, actor assay.Actor, requestID int64, body string) (assay.RequestComment, error)
	// EvidenceRequestComments is a request's thread, oldest first.
	EvidenceRequestComments(ctx context.Context, requestID int64) ([]assay.RequestComment, error)
	EvidenceRequest(ctx context.Context, id int64) (assay.EvidenceRequest, error)
	EvidenceRequests(ctx context.Context, f assay.EvidenceRequestFilter) ([]assay.EvidenceRequest, error)
	// SubmitEvidenceRequest answers an open (or rejected) request with
	// evidence items, attaching each to the request's control.
	SubmitEvidenceRequest(ctx context.Context, actor assay.Actor, id int64, evidenceIDs []int64, note string) (assay.EvidenceRequest, error)
	// AnswerEvidenceRequest adds a new evidence item and submits it to an
	// open (or rejected) request in one transaction, with both audit-trail
	// entries: if the request cannot take it (decided meanwhile, not found),
	// the item is not created either. The request's control is added to the
	// item's controls when missing.
	AnswerEvidenceRequest(ctx context.Context, actor assay.Actor, requestID int64, n assay.NewEvidence, response string) (assay.Evidence, assay.EvidenceRequest, error)
	// DecideEvidenceRequest accepts or returns a submitted request; the
	// reason is required.
	DecideEvidenceRequest(ctx context.Context, actor assay.Actor, id int64, accept bool, reason string) (assay.EvidenceRequest, error)
}
