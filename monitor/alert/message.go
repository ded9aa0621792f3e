package alert

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

// Event kinds.
const (
	EventFailure  = "failure"  // a check started failing on a resource
	EventRecovery = "recovery" // a failing check passes again (or the resource is gone)
)

// Event is one change worth telling people about.
type Event struct {
	Kind         string              `json:"kind"`
	CheckID      string              `json:"check_id"`
	CheckTitle   string              `json:"check_title"`
	Severity     assay.CheckSeverity `json:"severity"`
	SourceID     int64               `json:"source_id"`
	ResourceID   string              `json:"resource_id"`
	ResourceName string              `json:"resource_name"`
	From         assay.CheckStatus   `json:"from"`
	To           assay.CheckStatus   `json:"to"`
	Reason       string              `json:"reason,omitempty"`
	Link         string              `json:"link"` // the check's page (a path, or a URL with a base URL)

	key string // channel-independent de-duplication key
}

// Message is the JSON body of a webhook delivery, and what the Slack text
// and the email are written from.
type Message struct {
	Type       string    `json:"type"` // "assay.monitoring.alert"
	Delivery   string    `json:"delivery"`
	SentAt     time.Time `json:"sent_at"`
	Source     MsgSource `json:"source"`
	Run        MsgRun    `json:"run"`
	Failures   []Event   `json:"failures"`
	Recoveries []Event   `json:"recoveries"`
	Link       string    `json:"link"` // the monitoring page
}

// MsgSource names the source that ran.
type MsgSource struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// MsgRun is the run that caused the changes.
type MsgRun struct {
	ID        int64     `json:"id"`
	Trigger   string    `json:"trigger"`
	StartedAt time.Time `json:"started_at"`
	EndedAt   time.Time `json:"ended_at"`
}

// events turns a run's changes into alert events: a new failure is any
// change to fail; a recovery is a change from fail to pass or gone. Other
// changes (errors, first passes) are not alerted. Severities and titles
// come from checks (an unknown check keeps its id and medium).
func events(src assay.Source, run assay.MonitorRun, changes []assay.RunChange, checks map[string]assay.Check, link func(string) string) []Event {
	var out []Event
	for _, c := range changes {
		kind := ""
		switch {
		case c.To == assay.CheckFail && c.From != assay.CheckFail:
			kind = EventFailure
		case c.From == assay.CheckFail && (c.To == assay.CheckPass || c.To == assay.CheckGone):
			kind = EventRecovery
		default:
			continue
		}
		ch, ok := checks[c.Check]
		if !ok {
			ch = assay.Check{ID: c.Check, Title: c.Check, Severity: assay.SeverityMedium}
		}
		srcID := c.SourceID
		if srcID == 0 {
			srcID = src.ID
		}
		name := c.Name
		if name == "" {
			name = c.Resource
		}
		e := Event{Kind: kind, CheckID: c.Check, CheckTitle: ch.Title, Severity: ch.Severity, SourceID: srcID, ResourceID: c.Resource,
			ResourceName: name, From: c.From, To: c.To, Reason: c.Reason, Link: link("/monitoring/checks/" + url.PathEscape(c.Check))}
		e.key = strings.Join([]string{"v1", c.Check, strconv.FormatInt(srcID, 10), c.Resource, string(c.To),
			strconv.FormatInt(run.ID, 10), run.EndedAt.UTC().Format(time.RFC3339Nano)}, "\x1f")
		out = append(out, e)
	}
	// Most severe first, then by check and resource, so messages read the
	// same however the changes were ordered.
	rank := func(s assay.CheckSeverity) int {
		if i := slices.Index(assay.CheckSeverities, s); i >= 0 {
			return i
		}
		return len(assay.CheckSeverities)
	}
	slices.SortStableFunc(out, func(a, b Event) int {
		if d := rank(a.Severity) - rank(b.Severity); d != 0 {
			return d
		}
		if c := strings.Compare(a.CheckID, b.CheckID); c != 0 {
			return c
		}
		return strings.Compare(a.ResourceID, b.ResourceID)
	})
	return out
}

// newMessage groups events into one message.
func newMessage(uid string, now time.Time, src assay.Source, run assay.MonitorRun, evs []Event, link func(string) string) Message {
	m := Message{Type: "assay.monitoring.alert", Delivery: uid, SentAt: now.UTC(),
		Source:   MsgSource{ID: src.ID, Name: src.Name, Kind: src.Kind},
		Run:      MsgRun{ID: run.ID, Trigger: run.Trigger, StartedAt: run.StartedAt.UTC(), EndedAt: run.EndedAt.UTC()},
		Failures: []Event{}, Recoveries: []Event{}, Link: link("/monitoring")}
	if src.Kind == availabilityKind {
		m.Type, m.Link = "assay.availability.alert", link("/availability")
	}
	for _, e := range evs {
		if e.Kind == EventFailure {
			m.Failures = append(m.Failures, e)
		} else {
			m.Recoveries = append(m.Recoveries, e)
		}
	}
	return m
}

// Summary says what the message holds: "2 new failures, 1 recovery".
func (m Message) Summary() string {
	var parts []string
	if n := len(m.Failures); n > 0 {
		parts = append(parts, plural(n, "new failure", "new failures"))
	}
	if n := len(m.Recoveries); n > 0 {
		parts = append(parts, plural(n, "recovery", "recoveries"))
	}
	if len(parts) == 0 {
		return "no changes"
	}
	return strings.Join(parts, ", ")
}

// Subject is the email subject and the first line of the Slack text.
func (m Message) Subject() string {
	return fmt.Sprintf("[Assay] %s: %s", m.Source.Name, m.Summary())
}

// Text is the plain-text body: one line per event.
func (m Message) Text() string {
	var b strings.Builder
	if m.Source.Kind == availabilityKind {
		fmt.Fprintf(&b, "Availability monitoring of %q at %s.\n", m.Source.Name, m.Run.EndedAt.Format("2006-01-02 15:04 UTC"))
	} else {
		fmt.Fprintf(&b, "Monitoring run %d of source %q (%s) finished at %s.\n", m.Run.ID, m.Source.Name, m.Source.Kind, m.Run.EndedAt.Format("2006-01-02 15:04 UTC"))
	}
	section := func(title string, evs []Event) {
		if len(evs) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s:\n", title)
		for _, e := range evs {
			fmt.Fprintf(&b, "- [%s] %s on %s", e.Severity, e.CheckTitle, e.ResourceName)
			if e.Reason != "" && e.Kind == EventFailure {
				fmt.Fprintf(&b, ": %s", e.Reason)
			}
			fmt.Fprintf(&b, " (%s)\n", e.Link)
		}
	}
	section("New failures", m.Failures)
	section("Recovered", m.Recoveries)
	if m.Source.Kind == availabilityKind {
		fmt.Fprintf(&b, "\nAll services: %s\n", m.Link)
	} else {
		fmt.Fprintf(&b, "\nAll checks: %s\n", m.Link)
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
