package app

import (
	"context"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
)

// LatestCheckpoint is the ledger's newest signed checkpoint, or nil when
// none is signed yet.
func (a *App) LatestCheckpoint(ctx context.Context) (*ledger.Checkpoint, error) {
	cp, err := a.store.LatestCheckpoint(ctx)
	if assay.ErrorCode(err) == assay.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return &cp, nil
}
