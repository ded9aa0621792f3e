package app

import (
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

// PersonView is a person as pages, the API and the CLI show them: dates
// as YYYY-MM-DD and the open work on their checklists.
type PersonView struct {
	ID             int64                `json:"id"`
	Name           string               `json:"name"`
	Email          string               `json:"email"`
	Title          string               `json:"title"`
	Department     string               `json:"department"`
	ManagerEmail   string               `json:"manager_email"`
	StartDate      string               `json:"start_date"`
	EndDate        string               `json:"end_date"`
	EmploymentType assay.EmploymentType `json:"employment_type"`
	Status         assay.PersonStatus   `json:"status"`
	OpenItems      int                  `json:"open_items"`
	OverdueItems   int                  `json:"overdue_items"`
	UpdatedAt      time.Time            `json:"updated_at"`
}

// ViewPerson is p with the open and overdue items among items (of anyone)
// at now.
func ViewPerson(p assay.Person, items []assay.ChecklistItem, now time.Time) PersonView {
	v := PersonView{ID: p.ID, Name: p.Name, Email: p.Email, Title: p.Title, Department: p.Department, ManagerEmail: p.ManagerEmail,
		StartDate: assay.FormatDate(p.StartDate), EndDate: assay.FormatDate(p.EndDate), EmploymentType: p.EmploymentType,
		Status: p.Status, UpdatedAt: p.UpdatedAt}
	for _, it := range items {
		if it.PersonID != p.ID || it.Done {
			continue
		}
		v.OpenItems++
		if it.OverdueAt(now) {
			v.OverdueItems++
		}
	}
	return v
}

// ChecklistView is one checklist item with whether it is overdue.
type ChecklistView struct {
	assay.ChecklistItem
	Overdue bool `json:"overdue"`
}

// ViewChecklistItem is it as shown at now.
func ViewChecklistItem(it assay.ChecklistItem, now time.Time) ChecklistView {
	return ChecklistView{ChecklistItem: it, Overdue: it.OverdueAt(now)}
}

// PersonDetail is one person with their checklists and training.
type PersonDetail struct {
	PersonView
	Checklist []ChecklistView            `json:"checklist"`
	Training  []assay.TrainingAssignment `json:"training"`
}

// PortalTasks is what the portal shows one person: only their own tasks.
type PortalTasks struct {
	Person    PersonView                 `json:"person"`
	Policies  []assay.PolicyVersion      `json:"policies_to_accept"`
	Tracked   bool                       `json:"policies_tracked"`
	Training  []assay.TrainingAssignment `json:"training"`
	Checklist []ChecklistView            `json:"checklist"`
	Open      int                        `json:"open_tasks"`
}

// PeopleFilter narrows the roster list.
type PeopleFilter struct {
	Status     string // upcoming, active or departed
	Department string // without case
	Query      string // in name, e-mail or title, without case
	Overdue    bool   // only people with overdue checklist items
}

// Validate refuses an unknown status.
func (f PeopleFilter) Validate() error {
	if f.Status != "" && !assay.PersonStatus(f.Status).Valid() {
		return assay.Invalid("status", "Unknown status %q; use upcoming, active or departed.", f.Status)
	}
	return nil
}

// Keep tells whether v passes the filter.
func (f PeopleFilter) Keep(v PersonView) bool {
	q := strings.ToLower(strings.TrimSpace(f.Query))
	switch {
	case f.Status != "" && string(v.Status) != f.Status:
		return false
	case f.Department != "" && !strings.EqualFold(v.Department, strings.TrimSpace(f.Department)):
		return false
	case f.Overdue && v.OverdueItems == 0:
		return false
	case q != "" && !strings.Contains(strings.ToLower(v.Name+" "+v.Email+" "+v.Title), q):
		return false
	}
	return true
}
