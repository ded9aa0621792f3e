package app

import (
	"context"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// SourceAccounts lets the tests read a source's accounts without loading them.
func (a *App) SourceAccounts(ctx context.Context, org store.OrgStore, sourceID int64, system string) ([]assay.NewAccessAccount, error) {
	return a.sourceAccounts(ctx, org, sourceID, system)
}
