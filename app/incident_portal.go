package app

import (
	"context"
	"time"

	"github.com/assay-platform/assay"
)

// PortalIncident is what anyone reports from the employee portal: what
// happened and when they noticed (zero: now).
type PortalIncident struct {
	Title       string
	Description string
	NoticedAt   time.Time
}

// ReportIncidentFromPortal records an incident any signed-in person of the
// organisation reports from the portal, employees included: it occurred
// and was detected when they noticed it; the security team triages it.
func (a *App) ReportIncidentFromPortal(ctx context.Context, p Principal, in PortalIncident) (assay.Incident, error) {
	if !p.User.Can(assay.ActionUsePortal, nil) || p.User.EngagementLimited() {
		return assay.Incident{}, assay.Errorf(assay.EFORBIDDEN, "Your account does not report incidents here.")
	}
	at := in.NoticedAt
	if at.IsZero() {
		at = a.clock.Now()
	}
	n := assay.NewIncident{Title: in.Title, Description: in.Description, OccurredAt: at, DetectedAt: at}
	if err := n.Validate(a.clock.Now()); err != nil {
		return assay.Incident{}, err
	}
	return p.Org.CreateIncident(ctx, p.Actor(), n)
}

// SetIncidentOwner gives an incident the admin or member who sees it
// through (0: nobody): admins only.
func (a *App) SetIncidentOwner(ctx context.Context, p Principal, id, ownerID int64) (assay.Incident, error) {
	if err := mayManageIncidents(p); err != nil {
		return assay.Incident{}, err
	}
	if ownerID != 0 {
		if err := checkOwner(ctx, p.Org, "owner_id", ownerID); err != nil {
			return assay.Incident{}, err
		}
	}
	return p.Org.SetIncidentOwner(ctx, p.Actor(), id, ownerID)
}
