package alert

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
)

// availabilityKind marks the messages about availability monitoring: the
// message has the same shape as a monitoring alert (the service in place
// of the source, the downtime in place of the run), so every channel kind
// delivers it as it is.
const availabilityKind = "availability"

// NotifyAvailability tells every enabled channel of the organisation about
// a downtime past its service's incident threshold, or its end. Each
// event is sent to a channel once (its key is the downtime's period).
func (n *Notifier) NotifyAvailability(ctx context.Context, orgID int64, ev assay.AvailabilityEvent) error {
	svc := ev.Service
	at := n.now()
	if ev.Until != nil {
		at = *ev.Until
	}
	e := Event{Kind: EventFailure, CheckID: "availability", CheckTitle: fmt.Sprintf("%s is down", svc.Name), Severity: assay.SeverityHigh,
		ResourceID: fmt.Sprintf("service:%d", svc.ID), ResourceName: fmt.Sprintf("%s (%s %s)", svc.Name, svc.Kind, svc.Target),
		From: assay.CheckPass, To: assay.CheckFail, Link: n.link(fmt.Sprintf("/availability/%d", svc.ID)),
		key: fmt.Sprintf("availability:%d:%d:%s", svc.ID, ev.PeriodID, ev.Kind)}
	e.Reason = fmt.Sprintf("down since %s", ev.Since.UTC().Format("2006-01-02 15:04 UTC"))
	if ev.Error != "" {
		e.Reason += ": " + ev.Error
	}
	if ev.IncidentID != 0 {
		e.Reason += fmt.Sprintf(" (incident %d)", ev.IncidentID)
	}
	if ev.Kind == assay.AvailabilityRecovery {
		e.Kind, e.From, e.To = EventRecovery, assay.CheckFail, assay.CheckPass
		e.CheckTitle = fmt.Sprintf("%s is up again", svc.Name)
		e.Reason = fmt.Sprintf("down from %s for %s", ev.Since.UTC().Format("2006-01-02 15:04 UTC"), at.Sub(ev.Since).Round(time.Second))
	}
	src := assay.Source{ID: 0, Name: svc.Name, Kind: availabilityKind}
	run := assay.MonitorRun{Trigger: availabilityKind, StartedAt: ev.Since, EndedAt: at}
	os := n.Store.Org(orgID)
	channels, err := os.AlertChannels(ctx)
	if err != nil {
		return fmt.Errorf("alerts: channels: %w", err)
	}
	var errs []error
	for _, ch := range channels {
		if !ch.Enabled {
			continue
		}
		if err := n.deliver(ctx, os, ch, src, run, []Event{e}); err != nil {
			errs = append(errs, fmt.Errorf("channel %q: %w", ch.Name, err))
		}
	}
	return errors.Join(errs...)
}
