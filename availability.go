package assay

import (
	"math"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Availability monitoring: services probed from outside (package
// availability probes; the store keeps the services, their probe results
// compactly and their status periods).
//
// Storage model. A probe result is a measurement, not a change: it has no
// activity entry or ledger leaf (creating, changing and removing services
// and maintenance windows do). Each result is kept raw for RawRetention,
// and folded, as it is recorded, into a per-minute roll-up of its probe
// location (kept for MinuteRetention), an hourly roll-up (kept for
// HourlyRetention) and a daily one (kept for good): counts of probes up,
// down, unknown and in maintenance, and a small latency histogram. Besides
// the counts, the store keeps the service's status periods: every stretch
// of time it was down or its state unknown (up is the default), with exact
// start and end. Uptime and SLA figures are computed from the periods and
// the maintenance windows (a few rows a year per service), so a one-year
// uptime reads no probe rows at all.

// ProbeKind is how a service is probed.
type ProbeKind string

// Probe kinds.
const (
	ProbeHTTP ProbeKind = "http" // GET the URL: expected status, optional body keyword, latency threshold
	ProbeTCP  ProbeKind = "tcp"  // connect to host:port
	ProbeTLS  ProbeKind = "tls"  // TLS handshake to host:port, certificate valid
	ProbeDNS  ProbeKind = "dns"  // the name resolves
)

// ProbeKinds lists the kinds.
var ProbeKinds = []ProbeKind{ProbeHTTP, ProbeTCP, ProbeTLS, ProbeDNS}

// Valid reports whether k is a known kind.
func (k ProbeKind) Valid() bool {
	return k == ProbeHTTP || k == ProbeTCP || k == ProbeTLS || k == ProbeDNS
}

// Service defaults and limits.
const (
	DefaultProbeInterval   = 60 * time.Second
	MinProbeInterval       = 10 * time.Second
	MaxProbeInterval       = 24 * time.Hour
	DefaultProbeTimeout    = 10 * time.Second
	DefaultProbeRetries    = 2
	DefaultIncidentAfter   = 5 * time.Minute
	DefaultSLATarget       = 99.9
	RawRetention           = 24 * time.Hour
	HourlyRetention        = 35 * 24 * time.Hour
	MaxMaintenanceDuration = 7 * 24 * time.Hour
)

// ServiceState is a service's current state.
type ServiceState string

// Service states.
const (
	StateUp          ServiceState = "up"
	StateDown        ServiceState = "down"
	StateUnknown     ServiceState = "unknown"     // the prober could not tell (it was unhealthy)
	StateMaintenance ServiceState = "maintenance" // in a maintenance window
	StatePending     ServiceState = "pending"     // not probed yet
)

// ProbeOutcome is how one probe ended.
type ProbeOutcome string

// Probe outcomes.
const (
	OutcomeUp          ProbeOutcome = "up"
	OutcomeDown        ProbeOutcome = "down"
	OutcomeUnknown     ProbeOutcome = "unknown"
	OutcomeMaintenance ProbeOutcome = "maintenance"
)

// Service is one thing probed.
type Service struct {
	ID    int64     `json:"id"`
	OrgID int64     `json:"-"`
	Name  string    `json:"name"`
	Kind  ProbeKind `json:"kind"`
	// Target is the URL (http), host:port (tcp, tls) or name (dns).
	Target         string  `json:"target"`
	ExpectStatus   int     `json:"expect_status,omitempty"` // http; 0: any 2xx or 3xx
	Keyword        string  `json:"keyword,omitempty"`       // http: the body must contain it
	LatencyMillis  int     `json:"latency_ms,omitempty"`    // http: slower than this is down (0: no limit)
	IntervalSecs   int     `json:"interval_seconds"`        // between probes (default 60, at least 10)
	TimeoutSecs    int     `json:"timeout_seconds"`         // per probe (default 10)
	Retries        int     `json:"retries"`                 // failed probes in a row beyond the first before "down"
	IncidentAfterS int     `json:"incident_after_seconds"`  // downtime longer than this opens an incident (default 300)
	SLATarget      float64 `json:"sla_target"`              // percent a month, such as 99.95
	Public         bool    `json:"public"`
	Enabled        bool    `json:"enabled"`
	Description    string  `json:"description,omitempty"`

	State       ServiceState `json:"state"`
	StateSince  *time.Time   `json:"state_since,omitempty"`
	FailStreak  int          `json:"fail_streak"`
	FailSince   *time.Time   `json:"fail_since,omitempty"`
	LastProbeAt *time.Time   `json:"last_probe_at,omitempty"`
	LastLatency int          `json:"last_latency_ms"`
	LastError   string       `json:"last_error,omitempty"`
	NextProbeAt time.Time    `json:"next_probe_at"`
	IncidentID  int64        `json:"incident_id,omitempty"` // the open incident of the current downtime
	FirstProbe  *time.Time   `json:"first_probe_at,omitempty"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// ProbeGap is how long a service may go without a probe result before
// the time is unknown (the prober was not running, or the service was
// paused) rather than counted as up: three intervals.
func (s Service) ProbeGap() time.Duration { return 3 * s.Interval() }

// Interval is the time between probes.
func (s Service) Interval() time.Duration { return time.Duration(s.IntervalSecs) * time.Second }

// Timeout bounds one probe.
func (s Service) Timeout() time.Duration { return time.Duration(s.TimeoutSecs) * time.Second }

// IncidentAfter is how long a downtime lasts before it opens an incident.
func (s Service) IncidentAfter() time.Duration { return time.Duration(s.IncidentAfterS) * time.Second }

// Normalize fills in defaults.
func (s *Service) Normalize() {
	s.Name, s.Target, s.Keyword, s.Description = strings.TrimSpace(s.Name), strings.TrimSpace(s.Target), strings.TrimSpace(s.Keyword), strings.TrimSpace(s.Description)
	if s.IntervalSecs == 0 {
		s.IntervalSecs = int(DefaultProbeInterval / time.Second)
	}
	if s.TimeoutSecs == 0 {
		s.TimeoutSecs = int(DefaultProbeTimeout / time.Second)
	}
	if s.IncidentAfterS == 0 {
		s.IncidentAfterS = int(DefaultIncidentAfter / time.Second)
	}
	if s.SLATarget == 0 {
		s.SLATarget = DefaultSLATarget
	}
}

// Validate fills in defaults and checks the service.
func (s *Service) Validate() error {
	s.Normalize()
	switch {
	case s.Name == "":
		return Invalid("name", "Give the service a name.")
	case utf8.RuneCountInString(s.Name) > 100:
		return Invalid("name", "Keep the name under 100 characters.")
	case !s.Kind.Valid():
		return Invalid("kind", "Unknown probe kind %q; use http, tcp, tls or dns.", s.Kind)
	case s.Target == "" || len(s.Target) > 2000:
		return Invalid("target", "Give what to probe: a URL, host:port or a name.")
	case s.IntervalSecs < int(MinProbeInterval/time.Second) || s.IntervalSecs > int(MaxProbeInterval/time.Second):
		return Invalid("interval_seconds", "The interval must be between 10 seconds and a day.")
	case s.TimeoutSecs < 1 || s.TimeoutSecs > 60 || s.TimeoutSecs > s.IntervalSecs:
		return Invalid("timeout_seconds", "The timeout must be between 1 and 60 seconds and no longer than the interval.")
	case s.Retries < 0 || s.Retries > 10:
		return Invalid("retries", "Retries must be between 0 and 10.")
	case s.IncidentAfterS < 0 || s.IncidentAfterS > 7*24*3600:
		return Invalid("incident_after_seconds", "The incident threshold must be between 0 and a week.")
	case math.IsNaN(s.SLATarget) || s.SLATarget <= 0 || s.SLATarget > 100:
		return Invalid("sla_target", "The SLA target is a percentage above 0 and at most 100, such as 99.95.")
	case s.ExpectStatus != 0 && (s.ExpectStatus < 100 || s.ExpectStatus > 599):
		return Invalid("expect_status", "The expected status must be an HTTP status (100 to 599).")
	case s.LatencyMillis < 0 || s.LatencyMillis > 60000:
		return Invalid("latency_ms", "The latency threshold must be between 0 and 60000 ms.")
	case utf8.RuneCountInString(s.Keyword) > 200:
		return Invalid("keyword", "Keep the keyword under 200 characters.")
	case utf8.RuneCountInString(s.Description) > 2000:
		return Invalid("description", "Keep the description under 2000 characters.")
	}
	switch s.Kind {
	case ProbeHTTP:
		u, err := url.Parse(s.Target)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return Invalid("target", "An http service's target is an http:// or https:// URL.")
		}
	case ProbeTCP, ProbeTLS:
		host, port, err := net.SplitHostPort(s.Target)
		if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
			return Invalid("target", "A %s service's target is host:port.", s.Kind)
		}
	case ProbeDNS:
		if strings.ContainsAny(s.Target, " /:") {
			return Invalid("target", "A dns service's target is a name, such as example.com.")
		}
	}
	if s.Kind != ProbeHTTP && (s.ExpectStatus != 0 || s.Keyword != "" || s.LatencyMillis != 0) {
		return Invalid("kind", "Expected status, keyword and latency threshold apply to http services only.")
	}
	return nil
}

// ProbeResult is one probe.
type ProbeResult struct {
	ServiceID int64        `json:"service_id"`
	At        time.Time    `json:"at"`
	Outcome   ProbeOutcome `json:"outcome"`
	LatencyMS int          `json:"latency_ms"`
	Error     string       `json:"error,omitempty"`
	// Location is the named probe location that measured it ("": the
	// cluster's one probe per interval; see availability_locations.go).
	Location string `json:"location,omitempty"`
}

// MaintenanceWindow is planned downtime of a service, recorded in advance.
type MaintenanceWindow struct {
	ID        int64     `json:"id"`
	ServiceID int64     `json:"service_id"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	Reason    string    `json:"reason"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate checks a window to record at now: it must be in advance.
func (m *MaintenanceWindow) Validate(now time.Time) error {
	m.Reason = strings.TrimSpace(m.Reason)
	switch {
	case m.ServiceID == 0:
		return Invalid("service_id", "Choose the service.")
	case m.Reason == "" || utf8.RuneCountInString(m.Reason) > 500:
		return Invalid("reason", "Give the reason (under 500 characters).")
	case m.StartsAt.IsZero() || m.EndsAt.IsZero() || !m.EndsAt.After(m.StartsAt):
		return Invalid("ends_at", "A maintenance window ends after it starts.")
	case m.EndsAt.Sub(m.StartsAt) > MaxMaintenanceDuration:
		return Invalid("ends_at", "A maintenance window lasts at most a week.")
	case m.StartsAt.Before(now.Add(-time.Minute)):
		return Invalid("starts_at", "Maintenance is recorded in advance: the window must not start in the past.")
	}
	return nil
}

// StatusPeriod is a stretch of time a service was down or its state
// unknown. EndedAt is nil while it lasts.
type StatusPeriod struct {
	ID         int64        `json:"id"`
	ServiceID  int64        `json:"service_id"`
	State      ServiceState `json:"state"` // down or unknown
	StartedAt  time.Time    `json:"started_at"`
	EndedAt    *time.Time   `json:"ended_at,omitempty"`
	Error      string       `json:"error,omitempty"`
	IncidentID int64        `json:"incident_id,omitempty"`
}

// End is when the period ended, or now while it lasts.
func (p StatusPeriod) End(now time.Time) time.Time {
	if p.EndedAt != nil {
		return *p.EndedAt
	}
	return now
}

// Rollup is the probes of a service in one minute (of one location), one
// hour or one day.
type Rollup struct {
	ServiceID   int64     `json:"service_id"`
	Start       time.Time `json:"start"`
	Location    string    `json:"location,omitempty"` // per-minute roll-ups only
	Probes      int       `json:"probes"`
	Up          int       `json:"up"`
	Down        int       `json:"down"`
	Unknown     int       `json:"unknown"`
	Maintenance int       `json:"maintenance"`
	Histogram   Histogram `json:"-"`
	P50         int       `json:"p50_ms"`
	P95         int       `json:"p95_ms"`
	P99         int       `json:"p99_ms"`
}

// Count folds one result into the roll-up's counts and histogram.
func (ru *Rollup) Count(r ProbeResult) {
	ru.Probes++
	switch r.Outcome {
	case OutcomeUp:
		ru.Up++
	case OutcomeDown:
		ru.Down++
	case OutcomeUnknown:
		ru.Unknown++
	case OutcomeMaintenance:
		ru.Maintenance++
	}
	if r.Outcome == OutcomeUp || r.Outcome == OutcomeDown {
		ru.Histogram.Add(r.LatencyMS)
	}
}

// LatencyBuckets are the upper bounds (ms) of a Histogram's buckets; the
// last bucket holds everything slower.
var LatencyBuckets = []int{5, 10, 25, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000}

// Histogram counts latencies per LatencyBuckets bucket (one more bucket
// for the slowest).
type Histogram []int

// LatencyBucket is the bucket of a latency.
func LatencyBucket(ms int) int {
	return sort.SearchInts(LatencyBuckets, ms)
}

// Add counts a latency.
func (h *Histogram) Add(ms int) {
	if len(*h) < len(LatencyBuckets)+1 {
		n := make(Histogram, len(LatencyBuckets)+1)
		copy(n, *h)
		*h = n
	}
	(*h)[LatencyBucket(ms)]++
}

// Merge adds o's counts to h.
func (h *Histogram) Merge(o Histogram) {
	for i, n := range o {
		if n == 0 {
			continue
		}
		if len(*h) <= i {
			nh := make(Histogram, len(LatencyBuckets)+1)
			copy(nh, *h)
			*h = nh
		}
		(*h)[i] += n
	}
}

// Quantile estimates quantile q (0..1) of the latencies counted,
// interpolating linearly inside the bucket that holds it; 0 for an empty
// histogram. The slowest bucket reaches twice the last bound.
func (h Histogram) Quantile(q float64) int {
	total := 0
	for _, n := range h {
		total += n
	}
	if total == 0 {
		return 0
	}
	rank := q * float64(total)
	if rank < 1 {
		rank = 1
	}
	seen := 0
	for i, n := range h {
		if n == 0 {
			continue
		}
		if float64(seen+n) >= rank {
			lower, upper := 0, 2*LatencyBuckets[len(LatencyBuckets)-1]
			if i > 0 {
				lower = LatencyBuckets[i-1]
			}
			if i < len(LatencyBuckets) {
				upper = LatencyBuckets[i]
			}
			return lower + int(math.Round(float64(upper-lower)*(rank-float64(seen))/float64(n)))
		}
		seen += n
	}
	return 2 * LatencyBuckets[len(LatencyBuckets)-1]
}

// Percentiles fills in P50, P95 and P99 from the histogram.
func (r *Rollup) Percentiles() {
	r.P50, r.P95, r.P99 = r.Histogram.Quantile(0.50), r.Histogram.Quantile(0.95), r.Histogram.Quantile(0.99)
}

// EncodeHistogram packs a histogram compactly (uvarints, trailing zero
// buckets dropped).
func EncodeHistogram(h Histogram) []byte {
	end := len(h)
	for end > 0 && h[end-1] == 0 {
		end--
	}
	out := make([]byte, 0, end*2)
	for _, n := range h[:end] {
		v := uint64(n)
		for v >= 0x80 {
			out = append(out, byte(v)|0x80)
			v >>= 7
		}
		out = append(out, byte(v))
	}
	return out
}

// DecodeHistogram reads EncodeHistogram's bytes.
func DecodeHistogram(b []byte) Histogram {
	h := make(Histogram, len(LatencyBuckets)+1)
	i := 0
	var v uint64
	var shift uint
	for _, c := range b {
		v |= uint64(c&0x7f) << shift
		if c&0x80 != 0 {
			shift += 7
			continue
		}
		if i < len(h) {
			h[i] = int(v)
		}
		i++
		v, shift = 0, 0
	}
	return h
}

// ProbeStep is what one probe does to a service: the service after it, the
// status period to close (at CloseAt) and the one to open.
type ProbeStep struct {
	Service Service
	// Close ends the open status period at CloseAt (nil: none to close).
	CloseAt *time.Time
	// Open starts a status period (nil: none).
	Open *StatusPeriod
	// WentDown and Recovered tell a state change from up to down and from
	// down back to anything else.
	WentDown, Recovered bool
}

// Step applies a probe result to s. A failed probe counts toward "down"
// only after Retries more failures in a row; the downtime then starts at
// the first of them. An unknown result (the prober was unhealthy) opens an
// unknown period and forgets the failures counted so far; a result in a
// maintenance window ends any down or unknown period.
func (s Service) Step(r ProbeResult) ProbeStep {
	at := r.At.UTC()
	prev := s.State
	st := ProbeStep{}
	s.LastProbeAt, s.LastLatency, s.LastError = &at, r.LatencyMS, r.Error
	if s.FirstProbe == nil {
		s.FirstProbe = &at
	}
	periodOpen := prev == StateDown || prev == StateUnknown
	set := func(state ServiceState, since time.Time) {
		if s.State != state {
			s.State = state
			s.StateSince = &since
		}
	}
	closeAt := func(t time.Time) {
		if periodOpen {
			if s.StateSince != nil && t.Before(*s.StateSince) {
				t = *s.StateSince
			}
			st.CloseAt = &t
			periodOpen = false
		}
	}
	switch r.Outcome {
	case OutcomeUp, OutcomeMaintenance:
		s.FailStreak, s.FailSince = 0, nil
		closeAt(at)
		if r.Outcome == OutcomeUp {
			set(StateUp, at)
		} else {
			set(StateMaintenance, at)
		}
	case OutcomeUnknown:
		s.FailStreak, s.FailSince = 0, nil
		if prev != StateUnknown {
			closeAt(at)
			set(StateUnknown, at)
			st.Open = &StatusPeriod{ServiceID: s.ID, State: StateUnknown, StartedAt: at, Error: r.Error}
		}
	case OutcomeDown:
		s.FailStreak++
		if s.FailSince == nil {
			s.FailSince = &at
		}
		if prev != StateDown && s.FailStreak > s.Retries {
			since := *s.FailSince
			if prev == StateUnknown && s.StateSince != nil && since.Before(*s.StateSince) {
				since = *s.StateSince
			}
			closeAt(since)
			set(StateDown, since)
			st.Open = &StatusPeriod{ServiceID: s.ID, State: StateDown, StartedAt: since, Error: r.Error}
		} else if prev == StatePending {
			// Not down yet, but not known to be up either.
			set(StatePending, at)
		}
	}
	st.WentDown = prev != StateDown && s.State == StateDown
	st.Recovered = prev == StateDown && s.State != StateDown
	if st.Recovered {
		s.IncidentID = 0
	}
	st.Service = s
	return st
}

// ProbeRecord is what recording a probe did.
type ProbeRecord struct {
	Service   Service `json:"service"` // after the probe
	WentDown  bool    `json:"went_down"`
	Recovered bool    `json:"recovered"`
	// PeriodID is the service's open down or unknown period (0: none).
	PeriodID int64 `json:"period_id,omitempty"`
	// EndedIncidentID is, on recovery, the incident opened for the
	// downtime that ended (0: none).
	EndedIncidentID int64 `json:"ended_incident_id,omitempty"`
	// DownPeriod is the downtime that ended, on recovery.
	DownPeriod *StatusPeriod `json:"down_period,omitempty"`
}

// Availability alert events.
const (
	AvailabilityDown     = "down"     // a downtime lasted past the service's incident threshold
	AvailabilityRecovery = "recovery" // the service answers again after such a downtime
)

// AvailabilityEvent is a downtime worth telling people about.
type AvailabilityEvent struct {
	Kind       string     `json:"kind"` // down or recovery
	Service    Service    `json:"service"`
	Since      time.Time  `json:"since"`
	Until      *time.Time `json:"until,omitempty"` // recovery: when it answered again
	Error      string     `json:"error,omitempty"`
	IncidentID int64      `json:"incident_id"`
	PeriodID   int64      `json:"period_id"`
}
