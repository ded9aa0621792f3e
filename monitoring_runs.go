package assay

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Monitoring runs: a configured source is collected on a schedule or on
// demand; each run's results are compared with what the source said before,
// and only the changes are kept (transitions), with a summary per run, a
// daily roll-up per check and a finding for every new failure.

// Source kinds: the collectors Assay ships (package monitor/collect).
var SourceKinds = []string{"http", "postgres", "host", "terraform", "k8s", "prowler", "trivy", "roster", "github", "okta", "google-workspace", "entra", "aws", "fleet", "jamf", "intune", "kandji"}

// FileSourceKinds are the kinds whose input is an uploaded document (a
// Terraform state, a Prowler or Trivy report, a roster) rather than a live
// connection; the document's hash is Source.InputHash.
var FileSourceKinds = []string{"terraform", "k8s", "prowler", "trivy", "roster", "jamf", "intune", "kandji"}

// Limits on sources.
const (
	MaxSourceName          = 100
	DefaultIntervalMinutes = 60
	MinIntervalMinutes     = 5
	MaxIntervalMinutes     = 10080 // a week
	MaxSourceSettings      = 50
	MaxSourceSetting       = 4000 // characters in one setting value
)

// Run triggers: why a run happened.
const (
	TriggerSchedule = "schedule"
	TriggerManual   = "manual"
	TriggerPush     = "push"
	TriggerImport   = "import"
)

// RunTriggers lists every trigger.
var RunTriggers = []string{TriggerSchedule, TriggerManual, TriggerPush, TriggerImport}

// Run statuses: ok when the collector produced resources (checks may still
// fail), error when it did not (then results are source-level errors).
const (
	RunOK    = "ok"
	RunError = "error"
)

// CheckGone is the status a transition records when a resource (or a check
// on it) disappears from a successful run; it is never a current result.
const CheckGone CheckStatus = "gone"

// Source is a configured connection (or an uploaded document) that a
// collector turns into resources. Its secrets are stored sealed and are
// never part of a Source: SecretNames says which are set.
type Source struct {
	ID              int64             `json:"id"`
	OrgID           int64             `json:"org_id"`
	Name            string            `json:"name"`
	Kind            string            `json:"kind"`
	Settings        map[string]string `json:"settings"`
	SecretNames     []string          `json:"secret_names"`
	IntervalMinutes int               `json:"interval_minutes"`
	Enabled         bool              `json:"enabled"`
	NextRunAt       time.Time         `json:"next_run_at"`
	LastRunAt       *time.Time        `json:"last_run_at"`
	LastStatus      string            `json:"last_status"` // "", ok or error
	LastError       string            `json:"last_error"`
	InputHash       string            `json:"input_hash"` // file kinds: hash of the uploaded document in the blob store
	CreatedAt       time.Time         `json:"created_at"`
	UpdatedAt       time.Time         `json:"updated_at"`
}

// IsFileKind reports whether the source's input is an uploaded document.
func (s Source) IsFileKind() bool { return slices.Contains(FileSourceKinds, s.Kind) }

// Validate checks s, trimming its name and defaulting its interval.
func (s *Source) Validate() error {
	s.Name = strings.TrimSpace(s.Name)
	if s.IntervalMinutes == 0 {
		s.IntervalMinutes = DefaultIntervalMinutes
	}
	switch {
	case s.Name == "":
		return Invalid("name", "Name the source.")
	case utf8.RuneCountInString(s.Name) > MaxSourceName:
		return Invalid("name", "The name is longer than %d characters.", MaxSourceName)
	case !slices.Contains(SourceKinds, s.Kind):
		return Invalid("kind", "Unknown source kind %q; use one of %s.", s.Kind, strings.Join(SourceKinds, ", "))
	case s.IntervalMinutes < MinIntervalMinutes || s.IntervalMinutes > MaxIntervalMinutes:
		return Invalid("interval_minutes", "Run between every %d minutes and once a week (%d minutes).", MinIntervalMinutes, MaxIntervalMinutes)
	case len(s.Settings) > MaxSourceSettings:
		return Invalid("settings", "Give at most %d settings.", MaxSourceSettings)
	}
	for k, v := range s.Settings {
		if strings.TrimSpace(k) == "" || len(k) > 100 {
			return Invalid("settings", "A setting needs a name of at most 100 characters.")
		}
		if utf8.RuneCountInString(v) > MaxSourceSetting {
			return Invalid("settings", "Setting %q is longer than %d characters.", k, MaxSourceSetting)
		}
	}
	for _, n := range s.SecretNames {
		if strings.TrimSpace(n) == "" || len(n) > 100 {
			return Invalid("secrets", "A secret needs a name of at most 100 characters.")
		}
	}
	return nil
}

// MonitorRun is one collection of a source and the evaluation of its
// checks: the summary the store keeps per run.
type MonitorRun struct {
	ID        int64     `json:"id"`
	SourceID  int64     `json:"source_id"`
	Trigger   string    `json:"trigger"`
	StartedAt time.Time `json:"started_at"`
	EndedAt   time.Time `json:"ended_at"`
	Status    string    `json:"status"` // ok or error
	Error     string    `json:"error,omitempty"`
	Resources int       `json:"resources"` // distinct resources with results
	Pass      int       `json:"pass"`
	Fail      int       `json:"fail"`
	Errors    int       `json:"errors"`
	// Digest is the hex SHA-256 over the run's results, computed as
	// DigestVersion says (RunDigestOf): 1 is RunDigest, 2 RunDigestV2.
	Digest        string `json:"digest"`
	DigestVersion int    `json:"digest_version"`
	// Snapshot is the hash of the run's resource manifest in the blob
	// store, so the run can be evaluated again (set by the runner).
	Snapshot string `json:"snapshot,omitempty"`
	// Notes are what the collector wanted the reader to know besides the
	// results (a document that held nothing the checks judge, a value taken
	// as the provider's default): one line each, at most MaxRunNotes.
	Notes []string `json:"notes,omitempty"`
}

// Bounds of a run's notes.
const (
	MaxRunNotes   = 20
	MaxRunNoteLen = 500
)

// Validate checks the parts of r the caller supplies.
func (r MonitorRun) Validate() error {
	switch {
	case r.SourceID <= 0:
		return Invalid("source_id", "Say which source ran.")
	case !slices.Contains(RunTriggers, r.Trigger):
		return Invalid("trigger", "Unknown trigger %q; use schedule, manual, push or import.", r.Trigger)
	case r.Status != RunOK && r.Status != RunError:
		return Invalid("status", "Unknown run status %q; use ok or error.", r.Status)
	case r.StartedAt.IsZero():
		return Invalid("started_at", "Give the time the run started.")
	case r.EndedAt.Before(r.StartedAt):
		return Invalid("ended_at", "The run cannot end before it started.")
	case utf8.RuneCountInString(r.Error) > 4000:
		return Invalid("error", "The error is longer than 4000 characters.")
	case len(r.Notes) > MaxRunNotes:
		return Invalid("notes", "Give at most %d notes.", MaxRunNotes)
	}
	for _, n := range r.Notes {
		if strings.TrimSpace(n) == "" || strings.ContainsAny(n, "\r\n") || utf8.RuneCountInString(n) > MaxRunNoteLen {
			return Invalid("notes", "A note is one line of at most %d characters.", MaxRunNoteLen)
		}
	}
	return nil
}

// RunDigest is the version 1 digest (DigestV1): the hex SHA-256 over a run's results, in a canonical order
// (by check id, then resource id, kind, status and reason, comparing bytes),
// so anyone holding the results can recompute it. Each result contributes
// check, resource kind, resource id, status and reason, separated by NUL
// and ended by a newline. It is fast when results come grouped by check or
// by resource with resource ids in order: it sorts only what is out of order.
func RunDigest(results []CheckResult) string {
	// Bucket the results by check (stable), then sort each bucket unless it
	// is in order already.
	pos := map[string]int{}
	var ids []string
	var counts []int
	bucket := make([]int32, len(results))
	last, lastPos := "", -1
	for i := range results {
		id := results[i].CheckID
		if lastPos < 0 || id != last {
			p, ok := pos[id]
			if !ok {
				p = len(ids)
				pos[id] = p
				ids = append(ids, id)
				counts = append(counts, 0)
			}
			last, lastPos = id, p
		}
		bucket[i] = int32(lastPos)
		counts[lastPos]++
	}
	order := make([]int, len(ids))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(ids[a], ids[b]) })
	start := make([]int, len(ids))
	next := 0
	for _, p := range order {
		start[p] = next
		next += counts[p]
	}
	idx := make([]int32, len(results))
	for i := range results {
		p := bucket[i]
		idx[start[p]] = int32(i)
		start[p]++
	}
	byResource := func(x, y int32) int {
		a, b := &results[x], &results[y]
		if c := strings.Compare(a.ResourceID, b.ResourceID); c != 0 {
			return c
		}
		if c := strings.Compare(a.ResourceKind, b.ResourceKind); c != 0 {
			return c
		}
		if c := strings.Compare(string(a.Status), string(b.Status)); c != 0 {
			return c
		}
		return strings.Compare(a.Reason, b.Reason)
	}
	from := 0
	for _, p := range order {
		part := idx[from : from+counts[p]]
		if !slices.IsSortedFunc(part, byResource) {
			slices.SortFunc(part, byResource)
		}
		from += counts[p]
	}
	h := sha256.New()
	buf := make([]byte, 0, 64<<10)
	for _, i := range idx {
		r := &results[i]
		buf = append(buf, r.CheckID...)
		buf = append(buf, 0)
		buf = append(buf, r.ResourceKind...)
		buf = append(buf, 0)
		buf = append(buf, r.ResourceID...)
		buf = append(buf, 0)
		buf = append(buf, r.Status...)
		buf = append(buf, 0)
		buf = append(buf, r.Reason...)
		buf = append(buf, '\n')
		if len(buf) > 60<<10 {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	h.Write(buf)
	return hex.EncodeToString(h.Sum(nil))
}

// ValidateResult checks one result of a run.
func ValidateResult(r CheckResult) error {
	switch {
	case r.CheckID == "" || len(r.CheckID) > 100:
		return Invalid("check_id", "A result needs a check id of at most 100 characters.")
	case len(r.ResourceID) > 1000 || len(r.ResourceName) > 1000:
		return Invalid("resource_id", "Resource %q: the id or name is longer than 1000 characters.", truncate(r.ResourceID, 50))
	case r.Status != CheckPass && r.Status != CheckFail && r.Status != CheckError:
		return Invalid("status", "Check %s: unknown status %q.", r.CheckID, r.Status)
	case r.ResourceID == "" && r.Status != CheckError:
		return Invalid("status", "Check %s: a source-level result (no resource) can only be an error.", r.CheckID)
	case len(r.Reason) > 4000:
		return Invalid("reason", "Check %s: the reason is longer than 4000 characters.", r.CheckID)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Transition is a change of one check's status on one resource: the only
// per-result history the store keeps. ResourceID "" is the source itself
// (a collector error).
type Transition struct {
	CheckID      string      `json:"check_id"`
	SourceID     int64       `json:"source_id"`
	ResourceID   string      `json:"resource_id"`
	ResourceName string      `json:"resource_name"`
	At           time.Time   `json:"at"`
	RunID        int64       `json:"run_id"`
	Status       CheckStatus `json:"status"` // pass, fail, error or gone
	Reason       string      `json:"reason,omitempty"`
}

// CurrentResult is what a check says now about a resource, and since when.
type CurrentResult struct {
	CheckResult
	SourceID int64     `json:"source_id"`
	Since    time.Time `json:"since"`
}

// ResultFilter narrows current results; zero fields match everything.
type ResultFilter struct {
	SourceID   int64
	CheckID    string
	ResourceID string
	Status     CheckStatus
	Limit      int  // 0: 10,000
	NoReasons  bool // leave Reason empty, for callers that only count or name (readiness)
	NotPassing bool // only fail and error results (with Status unset)
	// SourceLevel keeps only the results of sources as a whole (their
	// collector failed: ResourceID ""), read without the resources'.
	SourceLevel bool
}

// CheckDay is one check's results on one day (UTC), summed over the day's
// runs: the cells of the Monitoring page's 30-day grid.
type CheckDay struct {
	Day    time.Time `json:"day"`
	Pass   int       `json:"pass"`
	Fail   int       `json:"fail"`
	Error  int       `json:"error"`
	Reason string    `json:"reason,omitempty"` // one failure (or error) reason seen that day
}

// Finding is a check failing in a source: opened when the first resource
// of the source starts failing the check, closed when none fails it any
// more (they pass again or have gone). ResourceID and ResourceName are the
// resource that opened it; Failing is how many fail now (0 once closed).
// Each finding has a corrective action in the register.
type Finding struct {
	ID                 int64         `json:"id"`
	CheckID            string        `json:"check_id"`
	SourceID           int64         `json:"source_id"`
	ResourceID         string        `json:"resource_id"`
	ResourceName       string        `json:"resource_name"`
	Severity           CheckSeverity `json:"severity"`
	Controls           []string      `json:"controls"`
	OwnerID            int64         `json:"owner_id"`
	OwnerName          string        `json:"owner_name"`
	Reason             string        `json:"reason"`
	OpenedAt           time.Time     `json:"opened_at"`
	ClosedAt           *time.Time    `json:"closed_at"`
	OpenedRunID        int64         `json:"opened_run_id"`
	ClosedRunID        int64         `json:"closed_run_id,omitempty"`
	CorrectiveActionID int64         `json:"corrective_action_id"`
	Failing            int           `json:"failing"`
}

// FindingDue is when a finding's corrective action is due, by severity:
// critical 7 days, high 14, medium 30, low (and unknown) 90.
func FindingDue(opened time.Time, s CheckSeverity) time.Time {
	days := map[CheckSeverity]int{SeverityCritical: 7, SeverityHigh: 14, SeverityMedium: 30}[s]
	if days == 0 {
		days = 90
	}
	return Day(opened).AddDate(0, 0, days)
}

// RunChange is one status change a run caused: what alerts are sent for.
// From is "" when the pair was first seen.
type RunChange struct {
	Check    string      `json:"check_id"`
	SourceID int64       `json:"source_id"`
	Resource string      `json:"resource_id"`
	Name     string      `json:"resource_name"`
	From     CheckStatus `json:"from"`
	To       CheckStatus `json:"to"`
	Reason   string      `json:"reason,omitempty"`
}

// ValidateCustomCheck checks the stored fields of a custom check (the
// caller has already compiled its expression).
func ValidateCustomCheck(c *Check) error {
	c.ID, c.Title, c.Kind = strings.TrimSpace(c.ID), strings.TrimSpace(c.Title), strings.TrimSpace(c.Kind)
	c.Custom = true
	switch {
	case !strings.HasPrefix(c.ID, "custom-") || len(c.ID) <= len("custom-") || len(c.ID) > 100:
		return Invalid("id", "A custom check's id starts with \"custom-\" and is at most 100 characters.")
	case strings.IndexFunc(c.ID, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') }) >= 0:
		return Invalid("id", "Use lower-case letters, digits and hyphens in the id.")
	case c.Title == "" || utf8.RuneCountInString(c.Title) > 200:
		return Invalid("title", "Give a title of at most 200 characters.")
	case c.Kind == "" || len(c.Kind) > 100:
		return Invalid("kind", "Say which resource kind the check evaluates.")
	case strings.TrimSpace(c.Expr) == "" || len(c.Expr) > 4000:
		return Invalid("expr", "Give an expression of at most 4000 characters.")
	case !c.Severity.Valid():
		return Invalid("severity", "Unknown severity %q; use critical, high, medium or low.", c.Severity)
	case strings.TrimSpace(c.Reason) == "" || len(c.Reason) > 1000:
		return Invalid("reason", "Give a failure reason of at most 1000 characters.")
	case len(c.Remediation) > 4000:
		return Invalid("remediation", "The remediation is longer than 4000 characters.")
	case len(c.Controls) == 0:
		return Invalid("controls", "Map the check to at least one control.")
	}
	return nil
}
