package assay

import (
	"regexp"
	"sort"
	"time"
)

// Probing from named locations. By default each service is probed once per
// interval across every Assay server sharing the database. A server
// started with a probe location (assay serve --probe-location eu-west)
// instead probes every service once per interval from that location, and
// labels its results with it. A failure seen from one place is then told
// apart from an outage: the service is down only when every location that
// reported within the last three intervals has seen it fail Retries+1 times
// in a row; it is up while any of them reaches it. Each location's own
// state, its per-minute roll-ups and its raw results stay visible on the
// service's page, so a regional failure is shown without being counted as
// downtime.
//
// All servers of a cluster should agree: either none names a location, or
// each names its own. A result without a location, recorded while labelled
// results exist, is judged on its own as before.

// MinuteRetention is how long per-minute roll-ups (one row per service,
// location and minute) are kept.
const MinuteRetention = 48 * time.Hour

// MaxLocationLen bounds a probe location's name.
const MaxLocationLen = 40

var locationName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// ValidLocation reports whether name can label probe results: lower-case
// letters, digits, dots, dashes and underscores, starting with a letter or
// digit, at most MaxLocationLen long. The empty name (no location) is
// valid.
func ValidLocation(name string) error {
	if name == "" {
		return nil
	}
	if len(name) > MaxLocationLen || !locationName.MatchString(name) {
		return Invalid("location", "A probe location is lower-case letters, digits, '.', '-' and '_' (at most %d), such as eu-west; %q is not.", MaxLocationLen, name)
	}
	return nil
}

// LocationStatus is a service as one probe location sees it.
type LocationStatus struct {
	ServiceID   int64        `json:"service_id"`
	Location    string       `json:"location"`
	NextProbeAt time.Time    `json:"next_probe_at"`
	LastProbeAt *time.Time   `json:"last_probe_at,omitempty"`
	LastOutcome ProbeOutcome `json:"last_outcome,omitempty"`
	LastLatency int          `json:"last_latency_ms"`
	LastError   string       `json:"last_error,omitempty"`
	FailStreak  int          `json:"fail_streak"`
	FailSince   *time.Time   `json:"fail_since,omitempty"`
}

// Observe applies one of this location's results to its own state.
func (l LocationStatus) Observe(r ProbeResult) LocationStatus {
	at := r.At.UTC()
	l.LastProbeAt, l.LastOutcome, l.LastLatency, l.LastError = &at, r.Outcome, r.LatencyMS, r.Error
	if r.Outcome == OutcomeDown {
		l.FailStreak++
		if l.FailSince == nil {
			l.FailSince = &at
		}
	} else {
		l.FailStreak, l.FailSince = 0, nil
	}
	return l
}

// LocationVerdict is what the locations together say of a service.
type LocationVerdict struct {
	// Outcome is up, down (confirmed from every reporting location),
	// unknown (no reporting location could tell) or "" (not confirmed
	// either way yet: the service's state stays as it is).
	Outcome ProbeOutcome
	// Since is, for down, when the last of the locations started failing:
	// from then on no location reached the service.
	Since time.Time
	// Reporting lists the locations whose results counted, sorted.
	Reporting []string
}

// CombineLocations judges a service from its locations' states (each
// already updated with its latest result) at now: only locations that
// reported within the service's probe gap count.
func CombineLocations(s Service, locs []LocationStatus, now time.Time) LocationVerdict {
	var v LocationVerdict
	up, confirmed, unknown := false, 0, 0
	var since time.Time
	for _, l := range locs {
		if l.LastProbeAt == nil || now.Sub(*l.LastProbeAt) > s.ProbeGap() {
			continue
		}
		v.Reporting = append(v.Reporting, l.Location)
		switch l.LastOutcome {
		case OutcomeUp:
			up = true
		case OutcomeMaintenance:
			v.Outcome = OutcomeMaintenance
		case OutcomeUnknown:
			unknown++
		case OutcomeDown:
			if l.FailStreak > s.Retries && l.FailSince != nil {
				confirmed++
				if l.FailSince.After(since) {
					since = *l.FailSince
				}
			}
		}
	}
	sort.Strings(v.Reporting)
	n := len(v.Reporting)
	switch {
	case v.Outcome == OutcomeMaintenance:
	case n == 0:
		v.Outcome = ""
	case up:
		v.Outcome = OutcomeUp
	case unknown == n:
		v.Outcome = OutcomeUnknown
	case confirmed == n:
		v.Outcome, v.Since = OutcomeDown, since
	case confirmed+unknown == n:
		// Some could not tell; the rest confirm the failure: down from
		// where it can be seen.
		v.Outcome, v.Since = OutcomeDown, since
	}
	return v
}
