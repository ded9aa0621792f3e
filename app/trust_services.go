package app

import (
	"context"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// trustServices lists the public services' availability. Availability
// monitoring fills it; until a service is chosen there is nothing to show.
func (a *App) trustServices(_ context.Context, _ store.OrgStore, _ assay.TrustSettings, _ time.Time) ([]TrustService, error) {
	return []TrustService{}, nil
}

// uptimeTile is the public services' uptime over 30 days.
func (a *App) uptimeTile(_ context.Context, _ store.OrgStore, d assay.TrustTileDef, _ assay.TrustSettings, now time.Time) (assay.TrustTile, error) {
	return trustNoData(d, "No public service is monitored yet.", now), nil
}
