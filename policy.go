package assay

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// PolicyStatus is where one version of a policy stands.
type PolicyStatus string

const (
	PolicyDraft     PolicyStatus = "draft"     // being written
	PolicyInReview  PolicyStatus = "in_review" // submitted for approval
	PolicyApproved  PolicyStatus = "approved"  // approved by a named approver, not yet published
	PolicyPublished PolicyStatus = "published" // in force; people accept it
	PolicyRetired   PolicyStatus = "retired"   // no longer in force, kept for the record
)

// PolicyStatuses lists every status, in lifecycle order.
var PolicyStatuses = []PolicyStatus{PolicyDraft, PolicyInReview, PolicyApproved, PolicyPublished, PolicyRetired}

// Valid reports whether s is a known status.
func (s PolicyStatus) Valid() bool { return slices.Contains(PolicyStatuses, s) }

// policyMoves are the allowed transitions: a draft is submitted; a review
// approves it or sends it back; an approved version is published or sent
// back; a published version is retired (publishing its successor does it).
var policyMoves = map[PolicyStatus][]PolicyStatus{
	PolicyDraft:     {PolicyInReview},
	PolicyInReview:  {PolicyDraft, PolicyApproved},
	PolicyApproved:  {PolicyDraft, PolicyPublished},
	PolicyPublished: {PolicyRetired},
}

// CanMove reports whether a version may go from s to to.
func (s PolicyStatus) CanMove(to PolicyStatus) bool { return slices.Contains(policyMoves[s], to) }

// NextStatuses lists where a version may go from s.
func (s PolicyStatus) NextStatuses() []PolicyStatus { return policyMoves[s] }

// Limits on policy text.
const (
	MaxPolicyTitle      = 200
	MaxPolicyBody       = 200000
	MaxPolicyChangelog  = 2000
	DefaultReviewMonths = 12
	// PolicyReviewDueDays is how long before its next review date a policy
	// shows "review due".
	PolicyReviewDueDays = 30
	// PolicyAcceptanceTarget is the share (in percent) of people a policy
	// applies to who must have accepted its current major version.
	PolicyAcceptanceTarget = 95
)

// PolicyNumber is a semantic "major.minor" version number. A new major
// version asks everyone to accept again; a minor one does not.
type PolicyNumber struct {
	Major int `json:"major"`
	Minor int `json:"minor"`
}

func (n PolicyNumber) String() string { return fmt.Sprintf("%d.%d", n.Major, n.Minor) }

// Less reports whether n comes before m.
func (n PolicyNumber) Less(m PolicyNumber) bool {
	return n.Major < m.Major || (n.Major == m.Major && n.Minor < m.Minor)
}

// Bump returns the next number: "major" gives (M+1).0, "minor" M.(m+1).
func (n PolicyNumber) Bump(kind string) (PolicyNumber, error) {
	switch kind {
	case "major":
		return PolicyNumber{Major: n.Major + 1}, nil
	case "minor", "":
		return PolicyNumber{Major: n.Major, Minor: n.Minor + 1}, nil
	}
	return n, Invalid("bump", "Choose a minor or a major version, not %q.", kind)
}

// ParsePolicyNumber reads "3.2".
func ParsePolicyNumber(s string) (PolicyNumber, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), ".")
	ma, err1 := strconv.Atoi(a)
	mi, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || ma < 0 || mi < 0 {
		return PolicyNumber{}, Invalid("version", "A version looks like 3.2, not %q.", s)
	}
	return PolicyNumber{Major: ma, Minor: mi}, nil
}

// PolicyScope says whom a policy applies to. Empty lists mean everyone; a
// person matches when their department is listed (or none is) and their
// employment type is listed (or none is).
type PolicyScope struct {
	Departments     []string `json:"departments"`
	EmploymentTypes []string `json:"employment_types"`
}

// All reports whether the policy applies to everyone.
func (s PolicyScope) All() bool { return len(s.Departments) == 0 && len(s.EmploymentTypes) == 0 }

// Matches reports whether a person of that department and employment
// type is covered (case-insensitive).
func (s PolicyScope) Matches(department, employmentType string) bool {
	in := func(list []string, v string) bool {
		if len(list) == 0 {
			return true
		}
		return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(strings.TrimSpace(x), strings.TrimSpace(v)) })
	}
	return in(s.Departments, department) && in(s.EmploymentTypes, employmentType)
}

// String is how pages show the scope.
func (s PolicyScope) String() string {
	if s.All() {
		return "Everyone"
	}
	var parts []string
	if len(s.Departments) > 0 {
		parts = append(parts, "departments: "+strings.Join(s.Departments, ", "))
	}
	if len(s.EmploymentTypes) > 0 {
		parts = append(parts, "employment types: "+strings.Join(s.EmploymentTypes, ", "))
	}
	return strings.Join(parts, "; ")
}

// PolicyEmploymentTypes are the employment types a scope may name.
var PolicyEmploymentTypes = []string{"employee", "contractor", "intern"}

// Validate cleans and checks the scope.
func (s *PolicyScope) Validate() error {
	s.Departments = cleanList(s.Departments)
	s.EmploymentTypes = cleanList(s.EmploymentTypes)
	for i, t := range s.EmploymentTypes {
		t = strings.ToLower(t)
		if !slices.Contains(PolicyEmploymentTypes, t) {
			return Invalid("employment_types", "Unknown employment type %q; use employee, contractor or intern.", t)
		}
		s.EmploymentTypes[i] = t
	}
	for _, d := range s.Departments {
		if utf8.RuneCountInString(d) > 100 {
			return Invalid("departments", "A department name is at most 100 characters.")
		}
	}
	return nil
}

func cleanList(in []string) []string {
	out := []string{}
	for _, v := range in {
		if v = strings.TrimSpace(v); v != "" && !slices.ContainsFunc(out, func(x string) bool { return strings.EqualFold(x, v) }) {
			out = append(out, v)
		}
	}
	return out
}

// Policy is one of the organisation's policies; its text lives in versions.
type Policy struct {
	ID           int64       `json:"id"`
	TemplateID   string      `json:"template_id"`
	Title        string      `json:"title"`
	Controls     []string    `json:"controls"`
	OwnerID      int64       `json:"owner_id"`
	OwnerName    string      `json:"owner_name"`
	AppliesTo    PolicyScope `json:"applies_to"`
	ReviewMonths int         `json:"review_months"`
	// ReviewedAt is the last review: the last publication, or a review
	// recorded without changes. Nil until first published.
	ReviewedAt *time.Time `json:"reviewed_at"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	// Latest is the newest version; Published the one in force (if any).
	Latest    *PolicyVersion `json:"latest"`
	Published *PolicyVersion `json:"published"`
}

// NextReview is when the policy must be reviewed next (nil before it is
// first published).
func (p Policy) NextReview() *time.Time {
	if p.ReviewedAt == nil {
		return nil
	}
	months := p.ReviewMonths
	if months <= 0 {
		months = DefaultReviewMonths
	}
	t := p.ReviewedAt.AddDate(0, months, 0)
	return &t
}

// ReviewState is "overdue" when the next review date has passed, "due"
// within PolicyReviewDueDays of it, else "".
func (p Policy) ReviewState(now time.Time) string {
	next := p.NextReview()
	switch {
	case next == nil || p.Published == nil:
		return ""
	case now.After(*next):
		return "overdue"
	case now.AddDate(0, 0, PolicyReviewDueDays).After(*next):
		return "due"
	}
	return ""
}

// NewPolicy adopts a policy: its first version, 1.0, is a draft of Body.
type NewPolicy struct {
	TemplateID   string      `json:"template_id"`
	Title        string      `json:"title"`
	Controls     []string    `json:"controls"`
	Body         string      `json:"body"`
	OwnerID      int64       `json:"owner_id"`
	AppliesTo    PolicyScope `json:"applies_to"`
	ReviewMonths int         `json:"review_months"`
}

// Validate checks and cleans n.
func (n *NewPolicy) Validate() error {
	n.Title = strings.TrimSpace(n.Title)
	if n.Title == "" || utf8.RuneCountInString(n.Title) > MaxPolicyTitle {
		return Invalid("title", "A policy needs a title of 1 to %d characters.", MaxPolicyTitle)
	}
	if err := validatePolicyBody(n.Body); err != nil {
		return err
	}
	if n.ReviewMonths == 0 {
		n.ReviewMonths = DefaultReviewMonths
	}
	if n.ReviewMonths < 1 || n.ReviewMonths > 36 {
		return Invalid("review_months", "The review cadence is 1 to 36 months.")
	}
	n.Controls = cleanList(n.Controls)
	return n.AppliesTo.Validate()
}

func validatePolicyBody(body string) error {
	if strings.TrimSpace(body) == "" {
		return Invalid("body", "The policy text is empty.")
	}
	if len(body) > MaxPolicyBody {
		return Invalid("body", "The policy text is longer than %d bytes.", MaxPolicyBody)
	}
	if !utf8.ValidString(body) {
		return Invalid("body", "The policy text is not valid UTF-8.")
	}
	return nil
}

// PolicyPatch changes a policy's settings (nil fields stay).
type PolicyPatch struct {
	Title        *string      `json:"title"`
	OwnerID      *int64       `json:"owner_id"`
	AppliesTo    *PolicyScope `json:"applies_to"`
	ReviewMonths *int         `json:"review_months"`
}

// Apply validates p against pol and returns the changed policy.
func (p PolicyPatch) Apply(pol Policy) (Policy, error) {
	if p.Title != nil {
		t := strings.TrimSpace(*p.Title)
		if t == "" || utf8.RuneCountInString(t) > MaxPolicyTitle {
			return pol, Invalid("title", "A policy needs a title of 1 to %d characters.", MaxPolicyTitle)
		}
		pol.Title = t
	}
	if p.OwnerID != nil {
		pol.OwnerID = *p.OwnerID
	}
	if p.AppliesTo != nil {
		s := *p.AppliesTo
		if err := s.Validate(); err != nil {
			return pol, err
		}
		pol.AppliesTo = s
	}
	if p.ReviewMonths != nil {
		if *p.ReviewMonths < 1 || *p.ReviewMonths > 36 {
			return pol, Invalid("review_months", "The review cadence is 1 to 36 months.")
		}
		pol.ReviewMonths = *p.ReviewMonths
	}
	return pol, nil
}
