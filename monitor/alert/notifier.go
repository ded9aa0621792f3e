package alert

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/secret"
	"github.com/assay-platform/assay/store"
)

// Actor is who the audit trail says sent an alert.
var Actor = assay.Actor{Name: "assay alerts", Via: "system"}

// Notifier sends alerts. The zero value is not usable: Store, Box and
// Checks are required; the rest have defaults.
type Notifier struct {
	Store store.Store
	Box   *secret.Box // opens the channels' sealed secrets
	// Checks returns the organisation's checks (library and custom) by id,
	// for titles and severities (app.App.ChecksByID).
	Checks func(ctx context.Context, orgID int64) (map[string]assay.Check, error)
	// BaseURL ("https://assay.example.com") makes links absolute; empty
	// leaves them as paths.
	BaseURL  string
	HTTP     *http.Client // nil: a client with a 20-second timeout
	TLS      *tls.Config  // SMTP TLS settings (tests: RootCAs); nil: system roots
	Hostname string       // EHLO name; "localhost" when empty
	Attempts int          // tries per delivery; 0: 3
	// Backoff is the wait after the n-th failed attempt; nil: 1s, 2s, 4s...
	Backoff func(attempt int) time.Duration
	Clock   assay.Clock
	Logger  *slog.Logger
}

func (n *Notifier) now() time.Time {
	if n.Clock == nil {
		return time.Now().UTC()
	}
	return n.Clock.Now().UTC()
}

func (n *Notifier) client() *http.Client {
	if n.HTTP != nil {
		return n.HTTP
	}
	return &http.Client{Timeout: 20 * time.Second}
}

func (n *Notifier) logger() *slog.Logger {
	if n.Logger != nil {
		return n.Logger
	}
	return slog.Default()
}

func (n *Notifier) link(path string) string {
	return strings.TrimRight(n.BaseURL, "/") + path
}

func newUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Hook is Notify in the shape of the runner's NotifyFunc: failures are
// logged (and in the delivery log), never returned to the run.
// The alerts outlive the request that started the run (a browser that
// stops waiting for "Run now" does not cancel them), within two minutes.
func (n *Notifier) Hook(ctx context.Context, orgID int64, src assay.Source, run assay.MonitorRun, changes []assay.RunChange) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	if err := n.Notify(ctx, orgID, src, run, changes); err != nil {
		n.logger().Warn("alerts not all delivered", "org", orgID, "source", src.ID, "run", run.ID, "err", err)
	}
}

// checks returns the organisation's checks by id (Notifier.Checks, which
// is required: an alert names its check).
func (n *Notifier) checks(ctx context.Context, orgID int64) (map[string]assay.Check, error) {
	if n.Checks == nil {
		return nil, errors.New("alert: no check list configured (Notifier.Checks)")
	}
	return n.Checks(ctx, orgID)
}

// aad binds a channel's sealed secrets to the organisation and channel.
func aad(orgID, channelID int64) []byte {
	return secret.AAD(orgID, "alert:"+strconv.FormatInt(channelID, 10))
}

// Notify sends one message per enabled channel of the organisation about
// the run's new failures and recoveries. Events a channel was already
// sent (or is being sent) are left out; a channel with nothing new gets
// nothing. Every delivery is logged in the store. The error joins the
// failures of every channel (a failed delivery is logged either way).
func (n *Notifier) Notify(ctx context.Context, orgID int64, src assay.Source, run assay.MonitorRun, changes []assay.RunChange) error {
	if len(changes) == 0 {
		return nil
	}
	checks, err := n.checks(ctx, orgID)
	if err != nil {
		return fmt.Errorf("alerts: checks: %w", err)
	}
	evs := events(src, run, changes, checks, n.link)
	if len(evs) == 0 {
		return nil
	}
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
		if err := n.deliver(ctx, os, ch, src, run, evs); err != nil {
			errs = append(errs, fmt.Errorf("channel %q: %w", ch.Name, err))
		}
	}
	return errors.Join(errs...)
}

// deliver claims the events not yet sent to ch, sends them in one message
// and records the outcome.
func (n *Notifier) deliver(ctx context.Context, os store.OrgStore, ch assay.AlertChannel, src assay.Source, run assay.MonitorRun, evs []Event) error {
	keys := make([]string, len(evs))
	for i, e := range evs {
		keys[i] = e.key
	}
	uid := newUID()
	pre := newMessage(uid, n.now(), src, run, evs, n.link)
	d, claimed, err := os.ClaimAlertEvents(ctx, assay.NewAlertDelivery{ChannelID: ch.ID, UID: uid, RunID: run.ID, SourceID: src.ID,
		Keys: keys, Summary: pre.Summary()})
	if err != nil {
		return fmt.Errorf("claim events: %w", err)
	}
	if len(claimed) == 0 {
		return nil // every event was sent already
	}
	mine := map[string]bool{}
	for _, k := range claimed {
		mine[k] = true
	}
	var send []Event
	for _, e := range evs {
		if mine[e.key] {
			send = append(send, e)
		}
	}
	m := newMessage(uid, n.now(), src, run, send, n.link)
	attempts, sendErr := n.send(ctx, os.OrgID(), ch, m)
	out := assay.AlertOutcome{Status: assay.DeliverySent, Attempts: attempts, Events: len(send), Summary: m.Summary()}
	if sendErr != nil {
		out.Status, out.Error = assay.DeliveryFailed, sendErr.Error()
	}
	// The outcome is recorded even when ctx was cancelled mid-send.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := os.FinishAlertDelivery(fctx, Actor, d.ID, out); err != nil {
		return errors.Join(sendErr, fmt.Errorf("record delivery: %w", err))
	}
	if sendErr != nil {
		n.logger().Warn("alert delivery failed", "org", os.OrgID(), "channel", ch.ID, "delivery", uid, "attempts", attempts, "err", sendErr)
	} else {
		n.logger().Info("alert delivered", "org", os.OrgID(), "channel", ch.ID, "delivery", uid, "events", len(send))
	}
	return sendErr
}

// send opens the channel's secrets and delivers m once (with retries).
func (n *Notifier) send(ctx context.Context, orgID int64, ch assay.AlertChannel, m Message) (int, error) {
	secrets := map[string]string{}
	if len(ch.Secrets) > 0 {
		if n.Box == nil {
			return 0, errors.New("no secret key to open the channel's secrets")
		}
		var err error
		if secrets, err = n.Box.Open(aad(orgID, ch.ID), ch.Secrets); err != nil {
			return 0, err
		}
	}
	if err := validate(ch.Kind, ch.Settings, secrets); err != nil {
		return 0, fmt.Errorf("channel settings: %w", err)
	}
	switch ch.Kind {
	case assay.AlertWebhook:
		return n.sendWebhook(ctx, ch.Settings, secrets, m)
	case assay.AlertSlack:
		return n.sendSlack(ctx, secrets, m)
	case assay.AlertEmail:
		return n.sendEmail(ctx, ch.Settings, secrets, m)
	}
	return 0, fmt.Errorf("unknown channel kind %q", ch.Kind)
}
