package alert

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// sealFor returns the store's seal callback for secrets: it seals them
// for the channel id the store assigns.
func (n *Notifier) sealFor(orgID int64, secrets map[string]string) (store.SealFunc, error) {
	if n.Box == nil {
		return nil, errors.New("alerts: no secret key to seal channel secrets")
	}
	return func(id int64) ([]byte, []string, error) {
		sealed, err := n.Box.Seal(aad(orgID, id), secrets)
		if err != nil {
			return nil, nil, err
		}
		return sealed, slices.Sorted(maps.Keys(secrets)), nil
	}, nil
}

func nonEmpty(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if v = strings.TrimSpace(v); v != "" {
			out[k] = v
		}
	}
	return out
}

// CreateChannel checks a new channel's settings and secrets against its
// kind and stores it with its secrets sealed.
func (n *Notifier) CreateChannel(ctx context.Context, os store.OrgStore, actor assay.Actor, c assay.NewAlertChannel, secrets map[string]string) (assay.AlertChannel, error) {
	if err := c.Validate(); err != nil {
		return assay.AlertChannel{}, err
	}
	secrets = nonEmpty(secrets)
	if err := validate(c.Kind, c.Settings, secrets); err != nil {
		return assay.AlertChannel{}, err
	}
	seal, err := n.sealFor(os.OrgID(), secrets)
	if err != nil {
		return assay.AlertChannel{}, err
	}
	return os.CreateAlertChannel(ctx, actor, c, seal)
}

// UpdateChannel changes a channel. Secrets given with a value replace the
// stored ones; secrets not given (or blank) are kept, so forms can leave
// write-only fields empty. clear names secrets to remove.
func (n *Notifier) UpdateChannel(ctx context.Context, os store.OrgStore, actor assay.Actor, id int64, p assay.AlertChannelPatch, secrets map[string]string, clear []string) (assay.AlertChannel, error) {
	if err := p.Validate(); err != nil {
		return assay.AlertChannel{}, err
	}
	cur, err := os.AlertChannel(ctx, id)
	if err != nil {
		return assay.AlertChannel{}, err
	}
	settings := cur.Settings
	if p.Settings != nil {
		settings = p.Settings
	}
	secrets = nonEmpty(secrets)
	if len(secrets) == 0 && len(clear) == 0 {
		// Secrets unchanged: check settings against the stored secret names.
		known := map[string]string{}
		for _, k := range cur.SecretKeys {
			known[k] = "set"
		}
		if err := validateSettingsOnly(cur.Kind, settings, known); err != nil {
			return assay.AlertChannel{}, err
		}
		return os.UpdateAlertChannel(ctx, actor, id, p, nil)
	}
	all := map[string]string{}
	if len(cur.Secrets) > 0 {
		if n.Box == nil {
			return assay.AlertChannel{}, errors.New("alerts: no secret key to open channel secrets")
		}
		if all, err = n.Box.Open(aad(os.OrgID(), id), cur.Secrets); err != nil {
			return assay.AlertChannel{}, fmt.Errorf("alerts: open channel secrets: %w", err)
		}
	}
	for _, k := range clear {
		delete(all, k)
	}
	maps.Copy(all, secrets)
	if err := validate(cur.Kind, settings, all); err != nil {
		return assay.AlertChannel{}, err
	}
	seal, err := n.sealFor(os.OrgID(), all)
	if err != nil {
		return assay.AlertChannel{}, err
	}
	return os.UpdateAlertChannel(ctx, actor, id, p, seal)
}

// validateSettingsOnly validates settings when the secrets are unknown
// (sealed): their presence is checked, URL checks on secrets are skipped.
func validateSettingsOnly(kind assay.AlertKind, settings, secretsSet map[string]string) error {
	if kind == assay.AlertSlack {
		if secretsSet["url"] == "" {
			return assay.Invalid("url", "Incoming webhook URL is required.")
		}
		return validate(kind, settings, map[string]string{"url": "https://sealed.invalid/"})
	}
	return validate(kind, settings, secretsSet)
}

// SendTest sends a sample message to a channel, outside de-duplication
// (each test is its own delivery), and logs it like any delivery.
func (n *Notifier) SendTest(ctx context.Context, os store.OrgStore, actor assay.Actor, id int64) (assay.AlertDelivery, error) {
	ch, err := os.AlertChannel(ctx, id)
	if err != nil {
		return assay.AlertDelivery{}, err
	}
	now := n.now()
	src := assay.Source{Name: "Test source", Kind: "http"}
	run := assay.MonitorRun{Trigger: assay.TriggerManual, StartedAt: now, EndedAt: now}
	evs := []Event{{Kind: EventFailure, CheckID: "test-alert", CheckTitle: "Test alert from Assay", Severity: assay.SeverityLow,
		ResourceID: "example", ResourceName: "example resource", From: assay.CheckPass, To: assay.CheckFail,
		Reason: "This is a test message sent by " + actor.Name + "; nothing is failing.", Link: n.link("/settings/alerts")}}
	uid := newUID()
	evs[0].key = "test\x1f" + uid
	m := newMessage(uid, now, src, run, evs, n.link)
	d, _, err := os.ClaimAlertEvents(ctx, assay.NewAlertDelivery{ChannelID: ch.ID, UID: uid, Keys: []string{evs[0].key}, Summary: "test message"})
	if err != nil {
		return assay.AlertDelivery{}, err
	}
	attempts, sendErr := n.send(ctx, os.OrgID(), ch, m)
	out := assay.AlertOutcome{Status: assay.DeliverySent, Attempts: attempts, Events: 1}
	if sendErr != nil {
		out.Status, out.Error = assay.DeliveryFailed, sendErr.Error()
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	d, err = os.FinishAlertDelivery(fctx, actor, d.ID, out)
	if err != nil {
		return d, err
	}
	return d, sendErr
}
