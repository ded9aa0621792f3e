package assay

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// PolicyVersion is one version of a policy's text and where it stands.
type PolicyVersion struct {
	ID          int64        `json:"id"`
	PolicyID    int64        `json:"policy_id"`
	PolicyTitle string       `json:"policy_title"`
	Number      PolicyNumber `json:"number"`
	Version     string       `json:"version"` // Number as "3.2"
	Status      PolicyStatus `json:"status"`
	Body        string       `json:"body"` // Markdown
	Changelog   string       `json:"changelog"`
	// The last person who changed the text: an approver must be someone else.
	EditedByID   int64     `json:"edited_by_id"`
	EditedByName string    `json:"edited_by_name"`
	EditedAt     time.Time `json:"edited_at"`
	// The approver, recorded when the version is approved.
	ApprovedByID   int64      `json:"approved_by_id,omitempty"`
	ApprovedByName string     `json:"approved_by_name,omitempty"`
	ApprovedAt     *time.Time `json:"approved_at,omitempty"`
	PublishedAt    *time.Time `json:"published_at,omitempty"` // the effective date
	RetiredAt      *time.Time `json:"retired_at,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
}

// Editable reports whether the text of v may change in place.
func (v PolicyVersion) Editable() bool { return v.Status == PolicyDraft }

// PolicyEdit is an edit of a policy's text. Editing a draft changes it in
// place; editing when no draft is open (the latest version is published or
// retired) starts a new version, Bump "minor" or "major", and then a
// changelog line is required.
type PolicyEdit struct {
	Body      string `json:"body"`
	Changelog string `json:"changelog"`
	Bump      string `json:"bump"`
}

// Validate checks the text and the changelog.
func (d *PolicyEdit) Validate(newVersion bool) error {
	if err := validatePolicyBody(d.Body); err != nil {
		return err
	}
	d.Changelog = strings.TrimSpace(d.Changelog)
	if newVersion && d.Changelog == "" {
		return Invalid("changelog", "Say in the changelog what this version changes.")
	}
	if utf8.RuneCountInString(d.Changelog) > MaxPolicyChangelog {
		return Invalid("changelog", "The changelog is at most %d characters.", MaxPolicyChangelog)
	}
	if d.Bump != "" && d.Bump != "minor" && d.Bump != "major" {
		return Invalid("bump", "Choose a minor or a major version, not %q.", d.Bump)
	}
	return nil
}

// PolicyAcceptance records that a person accepted a published version.
type PolicyAcceptance struct {
	ID          int64     `json:"id"`
	PolicyID    int64     `json:"policy_id"`
	PolicyTitle string    `json:"policy_title"`
	VersionID   int64     `json:"version_id"`
	Version     string    `json:"version"`
	PersonID    int64     `json:"person_id"`
	PersonName  string    `json:"person_name"`
	PersonEmail string    `json:"person_email"`
	AcceptedAt  time.Time `json:"accepted_at"`
	// Who recorded it: the person's own account through the portal, or an
	// admin on their behalf.
	ByUserID int64  `json:"by_user_id,omitempty"`
	ByName   string `json:"by_name"`
}

// Counts reports whether the acceptance covers version n of its policy:
// any version of the same major counts.
func (a PolicyAcceptance) Counts(n PolicyNumber) bool {
	m, err := ParsePolicyNumber(a.Version)
	return err == nil && m.Major == n.Major
}

// PolicyFigure is how many of the people a published policy applies to
// have accepted its current major version.
type PolicyFigure struct {
	PolicyID  int64    `json:"policy_id"`
	Title     string   `json:"title"`
	VersionID int64    `json:"version_id"`
	Version   string   `json:"version"`
	Accepted  int      `json:"accepted"`
	Required  int      `json:"required"`
	Percent   int      `json:"percent"` // rounded down; 0 when nobody is required
	Missing   []string `json:"missing"` // names of people who have not accepted
}

// Met reports whether the figure reaches PolicyAcceptanceTarget with at
// least one person required.
func (f PolicyFigure) Met() bool {
	return f.Required > 0 && f.Accepted*100 >= f.Required*PolicyAcceptanceTarget
}

// NewPolicyFigure computes Percent.
func NewPolicyFigure(f PolicyFigure) PolicyFigure {
	if f.Required > 0 {
		f.Percent = f.Accepted * 100 / f.Required
	}
	if f.Missing == nil {
		f.Missing = []string{}
	}
	return f
}

// PolicyPlaceholders are the placeholders a template may use.
var PolicyPlaceholders = []string{"company", "owner", "review_cadence", "effective_date"}

var placeholderRE = regexp.MustCompile(`\{\{\s*([a-z_]+)\s*\}\}`)

// TemplatePlaceholders lists the placeholders used in body, in order of
// first use.
func TemplatePlaceholders(body string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range placeholderRE.FindAllStringSubmatch(body, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	return out
}

// FillPolicyTemplate replaces the placeholders in body with vars; unknown
// placeholders stay as they are. {{effective_date}} is left for
// publication when vars has no value for it.
func FillPolicyTemplate(body string, vars map[string]string) string {
	return placeholderRE.ReplaceAllStringFunc(body, func(m string) string {
		name := placeholderRE.FindStringSubmatch(m)[1]
		if v, ok := vars[name]; ok && v != "" {
			return v
		}
		return m
	})
}

// PolicyVars are the placeholder values from the organisation.
func PolicyVars(company, owner string, reviewMonths int) map[string]string {
	cadence := "every 12 months"
	if reviewMonths > 0 {
		cadence = fmt.Sprintf("every %d months", reviewMonths)
		if reviewMonths == 12 {
			cadence = "every 12 months (annually)"
		}
	}
	return map[string]string{"company": company, "owner": owner, "review_cadence": cadence}
}

// FillEffectiveDate fills {{effective_date}} at publication.
func FillEffectiveDate(body string, at time.Time) string {
	return FillPolicyTemplate(body, map[string]string{"effective_date": at.UTC().Format("2 January 2006")})
}
