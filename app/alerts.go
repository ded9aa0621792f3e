package app

import (
	"context"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// AlertNotifier manages alert channels and sends their test messages: it
// seals a channel's secrets and knows how to reach it (monitor/alert's
// Notifier).
type AlertNotifier interface {
	CreateChannel(ctx context.Context, org store.OrgStore, actor assay.Actor, c assay.NewAlertChannel, secrets map[string]string) (assay.AlertChannel, error)
	UpdateChannel(ctx context.Context, org store.OrgStore, actor assay.Actor, id int64, p assay.AlertChannelPatch, secrets map[string]string, clear []string) (assay.AlertChannel, error)
	SendTest(ctx context.Context, org store.OrgStore, actor assay.Actor, id int64) (assay.AlertDelivery, error)
}

// ErrNoAlerts is the refusal when no notifier is configured (no secret
// key to seal channel secrets with).
var ErrNoAlerts = assay.Errorf(assay.ECONFLICT, "Alert channels are not available on this server (no secret key is configured).")

// WithAlerts returns the services with alert channels managed by n (the
// notifier is made after the services, since it asks them for checks).
func (a *App) WithAlerts(n AlertNotifier) *App {
	c := *a
	c.alerts = n
	return &c
}

// AlertsEnabled tells whether alert channels can be added and tested.
func (a *App) AlertsEnabled() bool { return a.alerts != nil }

func mayManageAlerts(p Principal) error {
	if !p.User.Can(assay.ActionManageMonitoring, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Only admins manage alert channels; your role is %s.", p.User.Role)
	}
	return nil
}

func (a *App) notifier(p Principal) (AlertNotifier, error) {
	if err := mayManageAlerts(p); err != nil {
		return nil, err
	}
	if a.alerts == nil {
		return nil, ErrNoAlerts
	}
	return a.alerts, nil
}

// AlertChannels lists the channels (secrets are never shown, only which
// are set).
func (a *App) AlertChannels(ctx context.Context, p Principal) ([]assay.AlertChannel, error) {
	if err := mayManageAlerts(p); err != nil {
		return nil, err
	}
	return p.Org.AlertChannels(ctx)
}

// AlertChannel is one channel.
func (a *App) AlertChannel(ctx context.Context, p Principal, id int64) (assay.AlertChannel, error) {
	if err := mayManageAlerts(p); err != nil {
		return assay.AlertChannel{}, err
	}
	return p.Org.AlertChannel(ctx, id)
}

// AlertDeliveries is the delivery log, newest first: of one channel, or
// of all (channel 0).
func (a *App) AlertDeliveries(ctx context.Context, p Principal, channel int64, limit int) ([]assay.AlertDelivery, error) {
	if err := mayManageAlerts(p); err != nil {
		return nil, err
	}
	return p.Org.AlertDeliveries(ctx, channel, limit)
}

// CreateAlertChannel checks a new channel against its kind and stores it,
// its secrets sealed.
func (a *App) CreateAlertChannel(ctx context.Context, p Principal, c assay.NewAlertChannel, secrets map[string]string) (assay.AlertChannel, error) {
	n, err := a.notifier(p)
	if err != nil {
		return assay.AlertChannel{}, err
	}
	return n.CreateChannel(ctx, p.Org, p.Actor(), c, secrets)
}

// UpdateAlertChannel changes a channel: secrets given replace the stored
// ones, secrets not given are kept, clear removes secrets.
func (a *App) UpdateAlertChannel(ctx context.Context, p Principal, id int64, patch assay.AlertChannelPatch, secrets map[string]string, clear []string) (assay.AlertChannel, error) {
	n, err := a.notifier(p)
	if err != nil {
		return assay.AlertChannel{}, err
	}
	return n.UpdateChannel(ctx, p.Org, p.Actor(), id, patch, secrets, clear)
}

// DeleteAlertChannel removes a channel (its delivery log stays).
func (a *App) DeleteAlertChannel(ctx context.Context, p Principal, id int64) error {
	if err := mayManageAlerts(p); err != nil {
		return err
	}
	return p.Org.DeleteAlertChannel(ctx, p.Actor(), id)
}

// TestAlertChannel sends a sample message now. A failed send is still a
// delivery (status failed) returned with the error.
func (a *App) TestAlertChannel(ctx context.Context, p Principal, id int64) (assay.AlertDelivery, error) {
	n, err := a.notifier(p)
	if err != nil {
		return assay.AlertDelivery{}, err
	}
	return n.SendTest(ctx, p.Org, p.Actor(), id)
}
