package assay

import (
	"net/url"
	"slices"
	"strings"
	"time"
)

// TrainingStatus is where an assignment stands.
type TrainingStatus string

const (
	TrainingPending    TrainingStatus = "pending"
	TrainingInProgress TrainingStatus = "in_progress"
	TrainingCompleted  TrainingStatus = "completed"
)

// TrainingStatuses lists every status.
var TrainingStatuses = []TrainingStatus{TrainingPending, TrainingInProgress, TrainingCompleted}

// Valid reports whether s is a known status.
func (s TrainingStatus) Valid() bool { return slices.Contains(TrainingStatuses, s) }

// Course limits and defaults.
const (
	DefaultRenewalMonths = 12
	MaxRenewalMonths     = 120
	MaxCourseText        = 4000
)

// Course is a named training with a link and an attestation a person
// agrees to when they complete it.
type Course struct {
	ID             int64     `json:"id"`
	Name           string    `json:"name"`
	Link           string    `json:"link"`
	Description    string    `json:"description"`
	RenewalMonths  int       `json:"renewal_months"` // 0: never renewed
	Attestation    string    `json:"attestation"`
	RequiredAtHire bool      `json:"required_at_hire"`
	Security       bool      `json:"security"` // counts as security awareness training (CC1.4, onboarding)
	CreatedAt      time.Time `json:"created_at"`
}

// NewCourse is the input to add or replace a course.
type NewCourse struct {
	Name           string `json:"name"`
	Link           string `json:"link"`
	Description    string `json:"description"`
	RenewalMonths  *int   `json:"renewal_months"`
	Attestation    string `json:"attestation"`
	RequiredAtHire bool   `json:"required_at_hire"`
	Security       bool   `json:"security"`
}

// Validate checks and tidies a course, filling the defaults.
func (n *NewCourse) Validate() error {
	n.Name = strings.TrimSpace(n.Name)
	n.Link = strings.TrimSpace(n.Link)
	n.Description = strings.TrimSpace(n.Description)
	n.Attestation = strings.TrimSpace(n.Attestation)
	if n.Name == "" {
		return Invalid("name", "name is required")
	}
	if len(n.Name) > MaxPersonField {
		return Invalid("name", "name is longer than %d characters", MaxPersonField)
	}
	if n.Link != "" {
		u, err := url.Parse(n.Link)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return Invalid("link", "link %q is not an http(s) address", n.Link)
		}
	}
	if len(n.Description) > MaxCourseText || len(n.Attestation) > MaxCourseText {
		return Invalid("description", "description and attestation are limited to %d characters", MaxCourseText)
	}
	if n.Attestation == "" {
		n.Attestation = "I completed this training and understood its content."
	}
	if n.RenewalMonths == nil {
		m := DefaultRenewalMonths
		n.RenewalMonths = &m
	}
	if *n.RenewalMonths < 0 || *n.RenewalMonths > MaxRenewalMonths {
		return Invalid("renewal_months", "renewal_months must be between 0 and %d", MaxRenewalMonths)
	}
	return nil
}

// TrainingAssignment is one course assigned to one person.
type TrainingAssignment struct {
	ID            int64          `json:"id"`
	CourseID      int64          `json:"course_id"`
	CourseName    string         `json:"course_name"`
	CourseLink    string         `json:"course_link"`
	Attestation   string         `json:"attestation"`
	RenewalMonths int            `json:"renewal_months"`
	Security      bool           `json:"security"`
	PersonID      int64          `json:"person_id"`
	PersonName    string         `json:"person_name"`
	PersonEmail   string         `json:"person_email"`
	Due           time.Time      `json:"due"`
	StoredStatus  TrainingStatus `json:"stored_status"`
	StartedAt     *time.Time     `json:"started_at,omitempty"`
	CompletedAt   *time.Time     `json:"completed_at,omitempty"`
	Evidence      string         `json:"evidence,omitempty"` // how completion was shown
	CreatedAt     time.Time      `json:"created_at"`
	// Status and DueAt are derived at read time (renewal).
	Status TrainingStatus `json:"status"`
	DueAt  time.Time      `json:"due_at"`
}

// ExpiresAt is when a completion stops counting, or nil when it does not
// expire (not completed, or a course without renewal).
func (a TrainingAssignment) ExpiresAt() *time.Time {
	if a.CompletedAt == nil || a.RenewalMonths <= 0 {
		return nil
	}
	t := a.CompletedAt.AddDate(0, a.RenewalMonths, 0)
	return &t
}

// Derive fills Status and DueAt at now: a completion older than the
// course's renewal period makes the assignment pending and due again at
// the renewal date.
func (a TrainingAssignment) Derive(now time.Time) TrainingAssignment {
	a.Status, a.DueAt = a.StoredStatus, a.Due
	if a.StoredStatus == TrainingCompleted {
		if exp := a.ExpiresAt(); exp != nil {
			a.DueAt = *exp
			if !now.Before(*exp) {
				a.Status = TrainingPending
			}
		}
	}
	return a
}

// Current reports whether the assignment is completed and not expired at now.
func (a TrainingAssignment) Current(now time.Time) bool {
	return a.Derive(now).Status == TrainingCompleted
}

// OverdueAt reports whether the assignment is open past its due date.
func (a TrainingAssignment) OverdueAt(now time.Time) bool {
	d := a.Derive(now)
	return d.Status != TrainingCompleted && now.After(d.DueAt)
}

// TrainingFilter narrows a list of assignments.
type TrainingFilter struct {
	PersonID int64 `json:"person_id,omitempty"`
	CourseID int64 `json:"course_id,omitempty"`
}

// NewAssignment assigns a course to people: the listed ones, or every
// active person (optionally of one department) when PersonIDs is empty.
type NewAssignment struct {
	CourseID   int64     `json:"course_id"`
	PersonIDs  []int64   `json:"person_ids"`
	Department string    `json:"department"`
	Due        time.Time `json:"due"`
}

// TrainingCompletion is an imported completion record.
type TrainingCompletion struct {
	Email       string    `json:"email"`
	Course      string    `json:"course"` // the course name, without case
	CompletedAt time.Time `json:"completed_at"`
}

// CourseFigures is a course's completion figures.
type CourseFigures struct {
	Course    Course `json:"course"`
	Assigned  int    `json:"assigned"`
	Completed int    `json:"completed"` // current completions
	Overdue   int    `json:"overdue"`
	Rate      int    `json:"rate"` // per cent of assigned, rounded down
}

// TrainingFiguresAt computes per-course figures over assignments at now.
func TrainingFiguresAt(now time.Time, courses []Course, list []TrainingAssignment) []CourseFigures {
	out := make([]CourseFigures, 0, len(courses))
	for _, c := range courses {
		f := CourseFigures{Course: c}
		for _, a := range list {
			if a.CourseID != c.ID {
				continue
			}
			f.Assigned++
			if a.Current(now) {
				f.Completed++
			} else if a.OverdueAt(now) {
				f.Overdue++
			}
		}
		if f.Assigned > 0 {
			f.Rate = f.Completed * 100 / f.Assigned
		}
		out = append(out, f)
	}
	return out
}
