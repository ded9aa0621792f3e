package assay

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Alert channels: where monitoring alerts go (package monitor/alert sends
// them; the store remembers the channels and what was delivered).

// AlertKind is how a channel delivers.
type AlertKind string

// Alert channel kinds.
const (
	AlertWebhook AlertKind = "webhook" // signed JSON POST
	AlertSlack   AlertKind = "slack"   // Slack-style incoming webhook
	AlertEmail   AlertKind = "email"   // mail over SMTP
)

// AlertKinds lists the channel kinds.
var AlertKinds = []AlertKind{AlertWebhook, AlertSlack, AlertEmail}

// Valid reports whether k is a known kind.
func (k AlertKind) Valid() bool {
	return k == AlertWebhook || k == AlertSlack || k == AlertEmail
}

// AlertChannel is one place alerts go.
type AlertChannel struct {
	ID       int64             `json:"id"`
	Kind     AlertKind         `json:"kind"`
	Name     string            `json:"name"`
	Settings map[string]string `json:"settings"`
	// Secrets is the sealed blob (never shown); SecretKeys names the
	// secrets it holds, for "set" on pages.
	Secrets    []byte    `json:"-"`
	SecretKeys []string  `json:"secret_keys"`
	Enabled    bool      `json:"enabled"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// NewAlertChannel is a channel to create.
type NewAlertChannel struct {
	Kind     AlertKind         `json:"kind"`
	Name     string            `json:"name"`
	Settings map[string]string `json:"settings"`
	Enabled  bool              `json:"enabled"`
}

// Validate checks the parts every kind shares and tidies the name and
// settings; package monitor/alert checks each kind's own settings.
func (n *NewAlertChannel) Validate() error {
	n.Name = strings.TrimSpace(n.Name)
	if !n.Kind.Valid() {
		return Invalid("kind", "Unknown channel kind %q; use webhook, slack or email.", n.Kind)
	}
	if err := validAlertName(n.Name); err != nil {
		return err
	}
	var err error
	n.Settings, err = tidySettings(n.Settings)
	return err
}

// AlertChannelPatch changes a channel; nil fields stay as they are.
type AlertChannelPatch struct {
	Name     *string           `json:"name,omitempty"`
	Settings map[string]string `json:"settings,omitempty"` // replaces every setting when not nil
	Enabled  *bool             `json:"enabled,omitempty"`
}

// Validate checks the fields the patch sets.
func (p *AlertChannelPatch) Validate() error {
	if p.Name != nil {
		n := strings.TrimSpace(*p.Name)
		if err := validAlertName(n); err != nil {
			return err
		}
		p.Name = &n
	}
	if p.Settings != nil {
		s, err := tidySettings(p.Settings)
		if err != nil {
			return err
		}
		p.Settings = s
	}
	return nil
}

func validAlertName(n string) error {
	if n == "" {
		return Invalid("name", "Give the channel a name.")
	}
	if utf8.RuneCountInString(n) > 100 {
		return Invalid("name", "Keep the name under 100 characters.")
	}
	return nil
}

func tidySettings(in map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(in))
	if len(in) > 30 {
		return nil, Invalid("settings", "Too many settings.")
	}
	for k, v := range in {
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if k == "" {
			return nil, Invalid("settings", "A setting has no name.")
		}
		if len(k) > 64 || len(v) > 2000 {
			return nil, Invalid("settings", "The setting %q is too long.", k)
		}
		if v != "" {
			out[k] = v
		}
	}
	return out, nil
}

// AlertDeliveryStatus is where a delivery stands.
type AlertDeliveryStatus string

// Delivery statuses.
const (
	DeliveryPending AlertDeliveryStatus = "pending"
	DeliverySent    AlertDeliveryStatus = "sent"
	DeliveryFailed  AlertDeliveryStatus = "failed"
)

// NewAlertDelivery is a delivery about to be tried.
type NewAlertDelivery struct {
	ChannelID int64
	UID       string // the delivery's public id (X-Assay-Delivery)
	RunID     int64
	SourceID  int64
	Keys      []string // one per event: channel-independent event keys
	Summary   string   // "2 new failures, 1 recovery"
}

// AlertOutcome is how a delivery ended.
type AlertOutcome struct {
	Status   AlertDeliveryStatus // sent or failed
	Attempts int
	Error    string
	Events   int    // how many events the message carried
	Summary  string // "" keeps the summary given at claim time
}

// AlertDelivery is one message to one channel.
type AlertDelivery struct {
	ID          int64               `json:"id"`
	ChannelID   int64               `json:"channel_id"`
	ChannelName string              `json:"channel_name"`
	UID         string              `json:"uid"`
	RunID       int64               `json:"run_id,omitempty"`
	SourceID    int64               `json:"source_id,omitempty"`
	Status      AlertDeliveryStatus `json:"status"`
	Events      int                 `json:"events"`
	Summary     string              `json:"summary"`
	Attempts    int                 `json:"attempts"`
	Error       string              `json:"error,omitempty"`
	CreatedAt   time.Time           `json:"created_at"`
	FinishedAt  *time.Time          `json:"finished_at,omitempty"`
}
