package main

import (
	"context"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store/sqlstore"
)

// demoBatcher writes many records of one kind in one transaction, each with
// its audit-trail entry and ledger leaf (sqlstore's batch writes): the
// larger demo sizes seed in seconds on PostgreSQL instead of minutes.
type demoBatcher interface {
	AcceptPolicies(ctx context.Context, orgID int64, list []sqlstore.BatchAcceptance) error
	CreateEvidenceBatch(ctx context.Context, orgID int64, actor assay.Actor, list []assay.NewEvidence) error
}

// demoBatchSize bounds one batch, so no transaction holds the writers for
// long.
const demoBatchSize = 1000
