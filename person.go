package assay

import (
	"net/mail"
	"slices"
	"strings"
	"time"
)

// PersonStatus is where a person stands on the roster, derived from the
// start and end dates at the time asked.
type PersonStatus string

const (
	PersonUpcoming PersonStatus = "upcoming" // starts in the future
	PersonActive   PersonStatus = "active"   // started, not yet left
	PersonDeparted PersonStatus = "departed" // the end date has passed
)

// PersonStatuses lists every status.
var PersonStatuses = []PersonStatus{PersonUpcoming, PersonActive, PersonDeparted}

// Valid reports whether s is a known status.
func (s PersonStatus) Valid() bool { return slices.Contains(PersonStatuses, s) }

// EmploymentType is how a person works for the organisation.
type EmploymentType string

const (
	EmploymentEmployee   EmploymentType = "employee"
	EmploymentContractor EmploymentType = "contractor"
	EmploymentIntern     EmploymentType = "intern"
)

// EmploymentTypes lists every employment type.
var EmploymentTypes = []EmploymentType{EmploymentEmployee, EmploymentContractor, EmploymentIntern}

// Valid reports whether t is a known employment type.
func (t EmploymentType) Valid() bool { return slices.Contains(EmploymentTypes, t) }

// DateLayout is how dates without a time are written (start and end dates).
const DateLayout = "2006-01-02"

// Person is someone on the organisation's roster. A person is linked to a
// user account by e-mail address (compared without case).
type Person struct {
	ID             int64          `json:"id"`
	OrgID          int64          `json:"org_id"`
	Name           string         `json:"name"`
	Email          string         `json:"email"`
	Title          string         `json:"title"`
	Department     string         `json:"department"`
	ManagerEmail   string         `json:"manager_email"`
	StartDate      *time.Time     `json:"start_date"` // a date, at midnight UTC
	EndDate        *time.Time     `json:"end_date"`   // a date, at midnight UTC: the last day
	EmploymentType EmploymentType `json:"employment_type"`
	// Status is derived from the dates when the person is read.
	Status    PersonStatus `json:"status"`
	CreatedAt time.Time    `json:"created_at"`
	UpdatedAt time.Time    `json:"updated_at"`
}

// StatusAt derives the person's status at now: upcoming before the start
// date, departed after the end date (the end date is the last day worked),
// active otherwise.
func (p Person) StatusAt(now time.Time) PersonStatus {
	day := Day(now)
	if p.EndDate != nil && day.After(*p.EndDate) {
		return PersonDeparted
	}
	if p.StartDate != nil && p.StartDate.After(day) {
		return PersonUpcoming
	}
	return PersonActive
}

// ParseDate reads a YYYY-MM-DD date; the empty string is no date.
func ParseDate(field, s string) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return nil, Invalid(field, "%s %q is not a date (YYYY-MM-DD)", field, s)
	}
	return &t, nil
}

// FormatDate writes a date as YYYY-MM-DD, or "" for none.
func FormatDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(DateLayout)
}

// Limits on a person's text fields.
const (
	MaxPersonField = 200
)

// NewPerson is the input to add a person, or one row of a roster import
// (where an existing e-mail address updates that person).
type NewPerson struct {
	Name           string         `json:"name"`
	Email          string         `json:"email"`
	Title          string         `json:"title"`
	Department     string         `json:"department"`
	ManagerEmail   string         `json:"manager_email"`
	StartDate      *time.Time     `json:"start_date"`
	EndDate        *time.Time     `json:"end_date"`
	EmploymentType EmploymentType `json:"employment_type"`
}

// NormalizeEmail lowers and trims an e-mail address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && len(s) <= 254
}

// Validate checks and tidies a new person.
func (n *NewPerson) Validate() error {
	n.Name = strings.TrimSpace(n.Name)
	n.Email = NormalizeEmail(n.Email)
	n.Title = strings.TrimSpace(n.Title)
	n.Department = strings.TrimSpace(n.Department)
	n.ManagerEmail = NormalizeEmail(n.ManagerEmail)
	if n.EmploymentType == "" {
		n.EmploymentType = EmploymentEmployee
	}
	n.EmploymentType = EmploymentType(strings.ToLower(strings.TrimSpace(string(n.EmploymentType))))
	if n.Name == "" {
		return Invalid("name", "name is required")
	}
	if !validEmail(n.Email) {
		return Invalid("email", "email %q is not a valid address", n.Email)
	}
	if n.ManagerEmail != "" && !validEmail(n.ManagerEmail) {
		return Invalid("manager", "manager %q is not a valid address", n.ManagerEmail)
	}
	if n.ManagerEmail != "" && n.ManagerEmail == n.Email {
		return Invalid("manager", "a person cannot be their own manager")
	}
	for f, v := range map[string]string{"name": n.Name, "title": n.Title, "department": n.Department} {
		if len(v) > MaxPersonField {
			return Invalid(f, "%s is longer than %d characters", f, MaxPersonField)
		}
	}
	if !n.EmploymentType.Valid() {
		return Invalid("employment_type", "employment_type %q is not one of employee, contractor, intern", n.EmploymentType)
	}
	if n.StartDate != nil {
		d := Day(*n.StartDate)
		n.StartDate = &d
	}
	if n.EndDate != nil {
		d := Day(*n.EndDate)
		n.EndDate = &d
	}
	if n.StartDate != nil && n.EndDate != nil && n.EndDate.Before(*n.StartDate) {
		return Invalid("end_date", "end_date %s is before start_date %s", FormatDate(n.EndDate), FormatDate(n.StartDate))
	}
	return nil
}

// PersonPatch changes a person; nil fields are left alone. ClearEndDate
// removes the end date (a departure cancelled).
type PersonPatch struct {
	Name           *string         `json:"name,omitempty"`
	Email          *string         `json:"email,omitempty"`
	Title          *string         `json:"title,omitempty"`
	Department     *string         `json:"department,omitempty"`
	ManagerEmail   *string         `json:"manager_email,omitempty"`
	StartDate      *time.Time      `json:"start_date,omitempty"`
	EndDate        *time.Time      `json:"end_date,omitempty"`
	ClearEndDate   bool            `json:"clear_end_date,omitempty"`
	EmploymentType *EmploymentType `json:"employment_type,omitempty"`
}

// Apply returns the person's fields as a NewPerson with the patch applied,
// for validation.
func (p PersonPatch) Apply(cur Person) NewPerson {
	n := NewPerson{Name: cur.Name, Email: cur.Email, Title: cur.Title, Department: cur.Department,
		ManagerEmail: cur.ManagerEmail, StartDate: cur.StartDate, EndDate: cur.EndDate, EmploymentType: cur.EmploymentType}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&n.Name, p.Name)
	set(&n.Email, p.Email)
	set(&n.Title, p.Title)
	set(&n.Department, p.Department)
	set(&n.ManagerEmail, p.ManagerEmail)
	if p.StartDate != nil {
		n.StartDate = p.StartDate
	}
	if p.EndDate != nil {
		n.EndDate = p.EndDate
	}
	if p.ClearEndDate {
		n.EndDate = nil
	}
	if p.EmploymentType != nil {
		n.EmploymentType = *p.EmploymentType
	}
	return n
}

// PeopleImportResult says what a roster import did.
type PeopleImportResult struct {
	Created int `json:"created"`
	Updated int `json:"updated"`
	// Unchanged counts rows that matched a person exactly.
	Unchanged int      `json:"unchanged"`
	People    []Person `json:"people"`
}
