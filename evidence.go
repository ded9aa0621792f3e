package assay

import (
	"mime"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// EvidenceKind says what an evidence item holds.
type EvidenceKind string

const (
	EvidenceFile EvidenceKind = "file" // a stored file, addressed by its SHA-256
	EvidenceLink EvidenceKind = "link" // a URL to something kept elsewhere
	EvidenceNote EvidenceKind = "note" // a written statement
)

// EvidenceKinds lists every kind.
var EvidenceKinds = []EvidenceKind{EvidenceFile, EvidenceLink, EvidenceNote}

// Valid reports whether k is a known kind.
func (k EvidenceKind) Valid() bool { return slices.Contains(EvidenceKinds, k) }

// Label is the kind as a person reads it.
func (k EvidenceKind) Label() string {
	switch k {
	case EvidenceFile:
		return "File"
	case EvidenceLink:
		return "Link"
	case EvidenceNote:
		return "Note"
	}
	return string(k)
}

// Evidence is one immutable evidence item: what was collected, when, for
// which period, and until when it counts. Its content never changes; a
// correction is a new item that supersedes it. Only the controls it is
// attached to, and SupersededBy (set once), change after it is written.
type Evidence struct {
	ID          int64        `json:"id"`
	Kind        EvidenceKind `json:"kind"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	// File evidence: the content's SHA-256 (lower-case hex), size in
	// bytes, media type and the name it was uploaded with.
	SHA256    string `json:"sha256,omitempty"`
	Size      int64  `json:"size,omitempty"`
	MediaType string `json:"media_type,omitempty"`
	Filename  string `json:"filename,omitempty"`
	URL       string `json:"url,omitempty"`       // link evidence
	NoteText  string `json:"note_text,omitempty"` // note evidence
	// The period the evidence covers (whole days, UTC), when it covers one.
	PeriodStart *time.Time `json:"period_start,omitempty"`
	PeriodEnd   *time.Time `json:"period_end,omitempty"`
	// ValidDays is how long it counts: ExpiresAt is the end of the period
	// (or, without one, the time it was collected) plus ValidDays days.
	ValidDays     int       `json:"valid_days"`
	ExpiresAt     time.Time `json:"expires_at"`
	CollectedAt   time.Time `json:"collected_at"`
	CreatedBy     int64     `json:"created_by,omitempty"`
	CreatedByName string    `json:"created_by_name"`
	CreatedAt     time.Time `json:"created_at"`
	SupersededBy  int64     `json:"superseded_by,omitempty"`
	Supersedes    int64     `json:"supersedes,omitempty"`
	Controls      []string  `json:"controls"`
}

// Evidence states, as lists filter them and pages show them.
const (
	EvidenceCurrent    = "current"    // counts, and will for more than EvidenceDueSoon
	EvidenceExpiring   = "expiring"   // counts, but expires within EvidenceDueSoon
	EvidenceExpired    = "expired"    // no longer counts
	EvidenceSuperseded = "superseded" // replaced by a correction
)

// EvidenceDueSoon is how far ahead "due soon" looks.
const EvidenceDueSoon = 30 * 24 * time.Hour

// State is the item's state at now.
func (e Evidence) State(now time.Time) string {
	switch {
	case e.SupersededBy != 0:
		return EvidenceSuperseded
	case !now.Before(e.ExpiresAt):
		return EvidenceExpired
	case e.ExpiresAt.Sub(now) <= EvidenceDueSoon:
		return EvidenceExpiring
	}
	return EvidenceCurrent
}

// EvidenceFilter narrows a list of evidence. Zero fields match everything
// still in force (not superseded).
type EvidenceFilter struct {
	ControlID string       // attached to this control
	Kind      EvidenceKind // of this kind
	// State is "" (in force: not superseded), one of the Evidence* states,
	// or "all" (superseded items included).
	State string
	Limit int
}

// EvidenceStates are the values EvidenceFilter.State takes besides "".
var EvidenceStates = []string{EvidenceCurrent, EvidenceExpiring, EvidenceExpired, EvidenceSuperseded, "all"}

// Evidence limits.
const (
	DefaultEvidenceValidDays = 365
	MaxEvidenceValidDays     = 3660
	MaxEvidenceControls      = 50
	MaxURLLen                = 2000
	MaxFilenameLen           = 255
)

// NewEvidence is the input to add an evidence item.
type NewEvidence struct {
	Kind        EvidenceKind `json:"kind"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	URL         string       `json:"url"`
	NoteText    string       `json:"note_text"`
	// File fields: set from the stored blob, never from a client's word.
	SHA256    string `json:"-"`
	Size      int64  `json:"-"`
	MediaType string `json:"-"`
	Filename  string `json:"-"`

	PeriodStart *time.Time `json:"period_start"`
	PeriodEnd   *time.Time `json:"period_end"`
	ValidDays   int        `json:"valid_days"`   // 0: DefaultEvidenceValidDays
	CollectedAt *time.Time `json:"collected_at"` // nil: now
	Controls    []string   `json:"controls"`
	// Supersedes is the item this one corrects; without controls, the new
	// item takes the old one's.
	Supersedes int64 `json:"supersedes"`
}

var sha256RE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ValidDigest reports whether s is a lower-case hex SHA-256.
func ValidDigest(s string) bool { return sha256RE.MatchString(s) }

// Normalize trims and checks everything that needs no database, at now.
// For file evidence it checks the metadata too, so call it with the digest
// filled in; ValidateMetadata checks the rest before a file is stored.
func (n *NewEvidence) Normalize(now time.Time) error {
	if err := n.ValidateMetadata(now); err != nil {
		return err
	}
	if n.Kind == EvidenceFile {
		if !ValidDigest(n.SHA256) {
			return Invalid("file", "The file's digest is missing.")
		}
		if n.Size < 0 {
			return Invalid("file", "The file's size is negative.")
		}
		if n.Title == "" {
			n.Title = n.Filename
			for len(n.Title) > MaxNameLen {
				_, size := utf8.DecodeLastRuneInString(n.Title)
				n.Title = n.Title[:len(n.Title)-size]
			}
		}
		if n.Title == "" {
			return Invalid("title", "Give the evidence a title.")
		}
	} else if n.SHA256 != "" || n.Size != 0 || n.Filename != "" || n.MediaType != "" {
		return Invalid("kind", "Only file evidence has stored content.")
	}
	return nil
}

// ValidateMetadata checks and normalises every field a person gives,
// before any file content is read.
func (n *NewEvidence) ValidateMetadata(now time.Time) error {
	n.Kind = EvidenceKind(strings.ToLower(strings.TrimSpace(string(n.Kind))))
	n.Title = strings.TrimSpace(n.Title)
	n.Description = strings.TrimSpace(n.Description)
	n.URL = strings.TrimSpace(n.URL)
	n.Controls = normalizeIDs(n.Controls)
	if !n.Kind.Valid() {
		return Invalid("kind", "Unknown evidence kind %q; use file, link or note.", n.Kind)
	}
	if n.Title == "" && n.Kind != EvidenceFile {
		return Invalid("title", "Give the evidence a title.")
	}
	if len(n.Title) > MaxNameLen {
		return Invalid("title", "The title is longer than %d characters.", MaxNameLen)
	}
	if len(n.Description) > MaxControlText {
		return Invalid("description", "The description is longer than %d characters.", MaxControlText)
	}
	switch n.Kind {
	case EvidenceLink:
		if err := validateEvidenceURL(n.URL); err != nil {
			return err
		}
	case EvidenceNote:
		if strings.TrimSpace(n.NoteText) == "" {
			return Invalid("note_text", "Write the note.")
		}
		if len(n.NoteText) > MaxNotesLen {
			return Invalid("note_text", "The note is longer than %d characters.", MaxNotesLen)
		}
	}
	if n.Kind != EvidenceLink && n.URL != "" {
		return Invalid("url", "Only link evidence has a URL.")
	}
	if n.Kind != EvidenceNote && n.NoteText != "" {
		return Invalid("note_text", "Only note evidence has note text.")
	}
	if n.ValidDays == 0 {
		n.ValidDays = DefaultEvidenceValidDays
	}
	if n.ValidDays < 1 || n.ValidDays > MaxEvidenceValidDays {
		return Invalid("valid_days", "Valid days must be between 1 and %d.", MaxEvidenceValidDays)
	}
	if n.CollectedAt != nil {
		c := n.CollectedAt.UTC().Truncate(time.Microsecond)
		if c.After(now.Add(5 * time.Minute)) {
			return Invalid("collected_at", "Evidence cannot be collected in the future.")
		}
		if c.Year() < 2000 {
			return Invalid("collected_at", "The collection date is before 2000.")
		}
		n.CollectedAt = &c
	}
	if (n.PeriodStart == nil) != (n.PeriodEnd == nil) {
		field := "period_end"
		if n.PeriodStart == nil {
			field = "period_start"
		}
		return Invalid(field, "Give both the start and the end of the period, or neither.")
	}
	if n.PeriodStart != nil {
		s, e := Day(*n.PeriodStart), Day(*n.PeriodEnd)
		n.PeriodStart, n.PeriodEnd = &s, &e
		if e.Before(s) {
			return Invalid("period_end", "The period ends before it starts.")
		}
		collected := now
		if n.CollectedAt != nil {
			collected = *n.CollectedAt
		}
		if e.After(Day(collected)) {
			return Invalid("period_end", "The period cannot end after the evidence was collected (%s).", collected.Format("2006-01-02"))
		}
		if s.Year() < 2000 {
			return Invalid("period_start", "The period starts before 2000.")
		}
	}
	if len(n.Controls) == 0 && n.Supersedes == 0 {
		return Invalid("controls", "Attach the evidence to at least one control.")
	}
	if len(n.Controls) > MaxEvidenceControls {
		return Invalid("controls", "Evidence attaches to at most %d controls.", MaxEvidenceControls)
	}
	for _, id := range n.Controls {
		if len(id) > MaxControlIDLen || !controlIDRE.MatchString(id) {
			return Invalid("controls", "%q is not a control id.", id)
		}
	}
	if n.Supersedes < 0 {
		return Invalid("supersedes", "supersedes must be an evidence id.")
	}
	if n.Kind == EvidenceFile {
		n.Filename = CleanFilename(n.Filename)
		n.MediaType = cleanMediaType(n.MediaType, n.Filename)
	}
	return nil
}

func validateEvidenceURL(raw string) error {
	if raw == "" {
		return Invalid("url", "Give the link's URL.")
	}
	if len(raw) > MaxURLLen {
		return Invalid("url", "The URL is longer than %d characters.", MaxURLLen)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return Invalid("url", "The URL must start with https:// or http:// and name a host.")
	}
	if u.User != nil {
		return Invalid("url", "Leave credentials out of the URL.")
	}
	return nil
}

// EvidenceExpiry is when evidence collected at collected, covering a
// period ending periodEnd (nil for none), stops counting.
func EvidenceExpiry(collected time.Time, periodEnd *time.Time, validDays int) time.Time {
	from := collected
	if periodEnd != nil {
		from = *periodEnd
	}
	return from.UTC().AddDate(0, 0, validDays)
}

// Day returns the UTC day t falls on, at midnight.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// CleanFilename keeps the last element of a file name a client sent,
// without control characters, and at most MaxFilenameLen bytes.
func CleanFilename(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' || r == '/' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "." || name == ".." || name == "/" {
		name = ""
	}
	for len(name) > MaxFilenameLen {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" {
		return "evidence"
	}
	return name
}

// cleanMediaType keeps a well-formed media type without parameters other
// than charset, guessing from the file name when there is none.
func cleanMediaType(mt, filename string) string {
	if mt == "" || mt == "application/octet-stream" {
		if guess := mime.TypeByExtension(path.Ext(filename)); guess != "" {
			mt = guess
		}
	}
	t, params, err := mime.ParseMediaType(mt)
	if err != nil || len(t) > 100 {
		return "application/octet-stream"
	}
	if cs, ok := params["charset"]; ok && len(cs) < 40 {
		return mime.FormatMediaType(t, map[string]string{"charset": cs})
	}
	return t
}

// ControlEvidence is what a control has in evidence still in force.
type ControlEvidence struct {
	ControlID string
	Items     int // evidence items in force (not superseded)
	// The item that counts longest, and when it stops.
	LatestID     int64
	LatestTitle  string
	LatestExpiry time.Time
}

// EvidenceCondition is the readiness condition for evidence: a relied-on
// control that is implemented needs at least one evidence item in force
// that has not expired at now. byControl is keyed by control id.
func EvidenceCondition(now time.Time, byControl map[string]ControlEvidence) ControlCondition {
	return func(c Control) string {
		if c.Status != StatusImplemented {
			return "" // the status already holds it back
		}
		ev, ok := byControl[c.ID]
		if !ok || ev.Items == 0 {
			return "no current evidence"
		}
		if !now.Before(ev.LatestExpiry) {
			return "evidence expired on " + ev.LatestExpiry.UTC().Format("2006-01-02")
		}
		return ""
	}
}
