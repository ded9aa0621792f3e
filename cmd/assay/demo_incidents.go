package main

import (
	"context"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// seedDemoIncidents records a tabletop exercise taken through to its
// review (so CC7.4 and CC7.5 show a tested process) and one open incident.
func seedDemoIncidents(ctx context.Context, os store.OrgStore, clock assay.Clock, people map[string]assay.User) error {
	admin := people[demoEmail]
	actor := assay.ActorFor(admin, "web")
	now := clock.Now()
	ex, err := os.CreateIncident(ctx, actor, assay.NewIncident{Title: "Tabletop: ransomware on the build server", Exercise: true,
		Description: "Walk-through of the incident runbook with engineering and support leads.",
		OccurredAt:  now.Add(-5 * time.Hour), DetectedAt: now.Add(-4 * time.Hour)})
	if err != nil {
		return err
	}
	for _, m := range []assay.IncidentMove{
		{Status: assay.IncidentTriaged, Severity: "SEV2", At: now.Add(-4 * time.Hour)},
		{Status: assay.IncidentContained, At: now.Add(-3 * time.Hour), Note: "Build server isolated from the network."},
		{Status: assay.IncidentResolved, At: now.Add(-time.Hour), Note: "Restored from the nightly backup."},
	} {
		if _, err := os.MoveIncident(ctx, actor, ex.ID, m); err != nil {
			return err
		}
	}
	if _, _, err := os.ReviewIncident(ctx, actor, ex.ID, assay.NewIncidentReview{
		RootCause: "Exercise scenario: a leaked deploy key let an attacker run code on the build server.",
		WentWell:  "Backups restored cleanly; everyone knew who leads.",
		ToImprove: "Rotate deploy keys every 90 days\nAdd the build server to the restore test rota",
	}, admin.ID, assay.Day(now).AddDate(0, 0, 30)); err != nil {
		return err
	}
	_, err = os.CreateIncident(ctx, actor, assay.NewIncident{Title: "Phishing email reported by support",
		Description: "A support agent reported a credential-harvesting email; no click recorded yet.",
		OccurredAt:  now.Add(-26 * time.Hour), DetectedAt: now.Add(-25 * time.Hour)})
	return err
}
