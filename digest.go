package assay

import (
	"slices"
	"strings"
	"time"
)

// Reminder digests: one e-mail per person, daily or weekly, listing what
// they own or must do that is overdue or falls due soon.

// Digest frequencies.
const (
	DigestDaily  = "daily"
	DigestWeekly = "weekly"
	DigestOff    = "off"
)

// DigestFrequencies lists the frequencies a setting may take.
var DigestFrequencies = []string{DigestDaily, DigestWeekly, DigestOff}

// Digest kinds: each one can be unsubscribed from on its own.
const (
	DigestPolicies          = "policies"           // policies to accept, reviews of policies one owns
	DigestTraining          = "training"           // one's own training assignments
	DigestOnboarding        = "onboarding"         // one's own onboarding and offboarding checklist items
	DigestEvidence          = "evidence"           // evidence to renew on controls one owns
	DigestEvidenceRequests  = "evidence_requests"  // evidence requests assigned to one
	DigestCorrectiveActions = "corrective_actions" // corrective actions one owns
	DigestAccessReviews     = "access_reviews"     // access reviews of systems one owns
	DigestVendorReviews     = "vendor_reviews"     // reviews of vendors one owns
	DigestRiskReviews       = "risk_reviews"       // reviews of risks one owns
)

// DigestKinds lists every kind in the order a digest shows them.
var DigestKinds = []string{DigestPolicies, DigestTraining, DigestOnboarding, DigestEvidence, DigestEvidenceRequests,
	DigestCorrectiveActions, DigestAccessReviews, DigestVendorReviews, DigestRiskReviews}

// DigestKindTitles are the headings of a digest's sections.
var DigestKindTitles = map[string]string{
	DigestPolicies: "Policies", DigestTraining: "Training", DigestOnboarding: "Onboarding and offboarding",
	DigestEvidence: "Evidence to renew", DigestEvidenceRequests: "Evidence requests", DigestCorrectiveActions: "Corrective actions",
	DigestAccessReviews: "Access reviews", DigestVendorReviews: "Vendor reviews", DigestRiskReviews: "Risk reviews",
}

// DigestDays is how far ahead a digest looks: overdue items and those due
// within this many days.
const DigestDays = 14

// DefaultDigestHour is the local hour digests go out when no one chose.
const DefaultDigestHour = 8

// DigestSettings are the organisation's defaults: how often, on which
// weekday (weekly), at which local hour and in which time zone digests go
// out, and the kinds left out unless a person opts in again.
type DigestSettings struct {
	Frequency string       `json:"frequency"`
	Weekday   time.Weekday `json:"weekday"`  // 0 Sunday .. 6 Saturday
	Hour      int          `json:"hour"`     // 0..23, local
	Timezone  string       `json:"timezone"` // IANA name; "" is UTC
	OptOut    []string     `json:"opt_out"`
	UpdatedAt *time.Time   `json:"updated_at,omitempty"`
}

// DefaultDigestSettings are the defaults before an admin sets any: a
// weekly digest on Monday at 08:00 UTC.
func DefaultDigestSettings() DigestSettings {
	return DigestSettings{Frequency: DigestWeekly, Weekday: time.Monday, Hour: DefaultDigestHour, OptOut: []string{}}
}

// DigestPrefs are one user's own choices; an empty Frequency and a nil
// Weekday follow the organisation's defaults.
type DigestPrefs struct {
	UserID    int64         `json:"user_id"`
	Frequency string        `json:"frequency"` // "" follows the organisation
	Weekday   *time.Weekday `json:"weekday,omitempty"`
	OptOut    []string      `json:"opt_out"`
	UpdatedAt *time.Time    `json:"updated_at,omitempty"`
}

// DigestSchedule is what applies to one person: their choices over the
// organisation's defaults.
type DigestSchedule struct {
	Frequency string       `json:"frequency"`
	Weekday   time.Weekday `json:"weekday"`
	Hour      int          `json:"hour"`
	Timezone  string       `json:"timezone"`
	OptOut    []string     `json:"opt_out"`
}

// Location is the schedule's time zone (UTC when unset or unknown).
func (s DigestSchedule) Location() *time.Location {
	if s.Timezone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Wants reports whether kind is sent.
func (s DigestSchedule) Wants(kind string) bool { return !slices.Contains(s.OptOut, kind) }

// ResolveDigest is p's schedule over the organisation's defaults. A
// person's own opt-outs replace the organisation's once they have saved
// any choice.
func ResolveDigest(org DigestSettings, p DigestPrefs) DigestSchedule {
	s := DigestSchedule{Frequency: org.Frequency, Weekday: org.Weekday, Hour: org.Hour, Timezone: org.Timezone, OptOut: slices.Clone(org.OptOut)}
	if p.Frequency != "" {
		s.Frequency = p.Frequency
	}
	if p.Weekday != nil {
		s.Weekday = *p.Weekday
	}
	if p.UpdatedAt != nil || p.OptOut != nil {
		s.OptOut = slices.Clone(p.OptOut)
	}
	if s.OptOut == nil {
		s.OptOut = []string{}
	}
	return s
}

// DigestPeriod is the period a digest sent at now belongs to ("daily:2027-03-14",
// "weekly:2027-03-15", local dates) and whether it is due: today is a
// sending day and its local hour has come. A period is sent at most once.
func DigestPeriod(s DigestSchedule, now time.Time) (period string, due bool) {
	loc := s.Location()
	local := now.In(loc)
	y, m, d := local.Date()
	date := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	switch s.Frequency {
	case DigestDaily:
		period = "daily:" + date
	case DigestWeekly:
		period = "weekly:" + date
		if local.Weekday() != s.Weekday {
			return period, false
		}
	default:
		return "", false
	}
	at := time.Date(y, m, d, s.Hour, 0, 0, 0, loc)
	if at.In(loc).Hour() < s.Hour { // a skipped hour (DST) moves on to the next one
		at = at.Add(time.Hour)
	}
	return period, !now.Before(at)
}

// CheckDigestKinds refuses an unknown kind and returns the list sorted
// in digest order without duplicates.
func CheckDigestKinds(field string, kinds []string) ([]string, error) {
	out := []string{}
	for _, k := range DigestKinds {
		for _, in := range kinds {
			if strings.TrimSpace(in) == k {
				out = append(out, k)
				break
			}
		}
	}
	for _, in := range kinds {
		if in = strings.TrimSpace(in); in != "" && !slices.Contains(DigestKinds, in) {
			return nil, Invalid(field, "Unknown reminder kind %q; choose from %s.", in, strings.Join(DigestKinds, ", "))
		}
	}
	return out, nil
}

func checkFrequency(f string, allowEmpty bool) error {
	if (f == "" && allowEmpty) || slices.Contains(DigestFrequencies, f) {
		return nil
	}
	return Invalid("frequency", "Frequency must be daily, weekly or off.")
}

func checkWeekday(w time.Weekday) error {
	if w < time.Sunday || w > time.Saturday {
		return Invalid("weekday", "Weekday must be 0 (Sunday) to 6 (Saturday).")
	}
	return nil
}

// Normalize checks the settings and returns them tidied.
func (s DigestSettings) Normalize() (DigestSettings, error) {
	if err := checkFrequency(s.Frequency, false); err != nil {
		return s, err
	}
	if err := checkWeekday(s.Weekday); err != nil {
		return s, err
	}
	if s.Hour < 0 || s.Hour > 23 {
		return s, Invalid("hour", "Hour must be 0 to 23 (local time).")
	}
	s.Timezone = strings.TrimSpace(s.Timezone)
	if s.Timezone == "UTC" {
		s.Timezone = ""
	}
	if s.Timezone != "" {
		if _, err := time.LoadLocation(s.Timezone); err != nil || strings.EqualFold(s.Timezone, "Local") {
			return s, Invalid("timezone", "Unknown time zone %q; give an IANA name such as Europe/Berlin or America/New_York.", s.Timezone)
		}
	}
	var err error
	s.OptOut, err = CheckDigestKinds("opt_out", s.OptOut)
	return s, err
}

// Normalize checks a person's choices and returns them tidied.
func (p DigestPrefs) Normalize() (DigestPrefs, error) {
	if err := checkFrequency(p.Frequency, true); err != nil {
		return p, err
	}
	if p.Weekday != nil {
		if err := checkWeekday(*p.Weekday); err != nil {
			return p, err
		}
	}
	var err error
	p.OptOut, err = CheckDigestKinds("opt_out", p.OptOut)
	return p, err
}

// DigestItem is one line of a digest.
type DigestItem struct {
	Kind    string    `json:"kind"`
	Title   string    `json:"title"`
	Due     time.Time `json:"due,omitzero"` // zero: no date (a policy to accept)
	Overdue bool      `json:"overdue"`
	Link    string    `json:"link"` // absolute when a base URL is set
}

// DigestSection is the items of one kind, overdue first.
type DigestSection struct {
	Kind  string       `json:"kind"`
	Title string       `json:"title"`
	Items []DigestItem `json:"items"`
}

// Digest is what one person would be sent.
type Digest struct {
	UserID   int64           `json:"user_id"`
	Email    string          `json:"email"`
	Name     string          `json:"name"`
	AsOf     time.Time       `json:"as_of"`
	Schedule DigestSchedule  `json:"schedule"`
	Sections []DigestSection `json:"sections"`
	Overdue  int             `json:"overdue"`
	Total    int             `json:"total"`
}

// GroupDigest sorts items into sections in DigestKinds order, overdue
// first then by due date (undated first among the rest) and title,
// leaving out the kinds the schedule opts out of.
func GroupDigest(s DigestSchedule, items []DigestItem) (sections []DigestSection, overdue, total int) {
	sections = []DigestSection{}
	for _, kind := range DigestKinds {
		if !s.Wants(kind) {
			continue
		}
		var sec []DigestItem
		for _, it := range items {
			if it.Kind == kind {
				sec = append(sec, it)
			}
		}
		if len(sec) == 0 {
			continue
		}
		slices.SortStableFunc(sec, func(a, b DigestItem) int {
			if a.Overdue != b.Overdue {
				if a.Overdue {
					return -1
				}
				return 1
			}
			if c := a.Due.Compare(b.Due); c != 0 {
				return c
			}
			return strings.Compare(a.Title, b.Title)
		})
		for _, it := range sec {
			if it.Overdue {
				overdue++
			}
		}
		total += len(sec)
		sections = append(sections, DigestSection{Kind: kind, Title: DigestKindTitles[kind], Items: sec})
	}
	return sections, overdue, total
}

// Digest send outcomes.
const (
	DigestSending = "sending"
	DigestSent    = "sent"
	DigestFailed  = "failed"
)

// DigestSend is one line of the digest log: a user's digest of a period.
type DigestSend struct {
	UserID     int64      `json:"user_id"`
	Period     string     `json:"period"`
	Status     string     `json:"status"`
	Items      int        `json:"items"`
	Error      string     `json:"error,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
}

// DigestMail is a reminder digest ready to send: both bodies and the
// extra headers (List-Unsubscribe and List-Unsubscribe-Post, RFC 8058).
type DigestMail struct {
	To      string
	Subject string
	Text    string
	HTML    string
	Headers map[string]string
}
