package assay

import (
	"slices"
	"time"
)

// ChecklistKind is which checklist an item is on.
type ChecklistKind string

const (
	ChecklistOnboarding  ChecklistKind = "onboarding"
	ChecklistOffboarding ChecklistKind = "offboarding"
)

// Checklist item keys: what each item asks for.
const (
	ItemPoliciesAccepted = "policies_accepted" // computed: nothing left to accept
	ItemSecurityTraining = "security_training" // computed: every assigned course completed
	ItemBackgroundCheck  = "background_check"
	ItemAccessGranted    = "access_granted"
	ItemAccountsDisabled = "accounts_disabled"
	ItemDevicesReturned  = "devices_returned"
	ItemAccessRevoked    = "access_revoked"
)

// Assignees of checklist items.
const (
	AssigneeAdmin    = "admin"    // an administrator completes it
	AssigneeEmployee = "employee" // the person completes it in the portal (admins may too)
	AssigneeSystem   = "system"   // computed from other records
)

// checklistTemplate is one item a checklist starts with.
type checklistTemplate struct {
	Key, Title, Assignee string
	BusinessDays         int // due this many business days after the end date (offboarding)
}

var onboardingItems = []checklistTemplate{
	{ItemPoliciesAccepted, "Policies accepted", AssigneeSystem, 0},
	{ItemSecurityTraining, "Security training done", AssigneeSystem, 0},
	{ItemBackgroundCheck, "Background check recorded", AssigneeAdmin, 0},
	{ItemAccessGranted, "Access granted by role", AssigneeAdmin, 0},
}

var offboardingItems = []checklistTemplate{
	{ItemAccountsDisabled, "Accounts disabled", AssigneeAdmin, 1},
	{ItemDevicesReturned, "Devices returned", AssigneeEmployee, 5},
	{ItemAccessRevoked, "Access revoked", AssigneeAdmin, 1},
}

// ChecklistItem is one step of a person's onboarding or offboarding.
type ChecklistItem struct {
	ID         int64         `json:"id"`
	PersonID   int64         `json:"person_id"`
	PersonName string        `json:"person_name,omitempty"`
	Kind       ChecklistKind `json:"kind"`
	Key        string        `json:"key"`
	Title      string        `json:"title"`
	Assignee   string        `json:"assignee"`
	Due        *time.Time    `json:"due,omitempty"`
	Done       bool          `json:"done"`
	DoneAt     *time.Time    `json:"done_at,omitempty"`
	DoneByName string        `json:"done_by_name,omitempty"`
	Note       string        `json:"note,omitempty"`
	// Computed items (policies accepted, training done) are filled from
	// other records when read; Auto marks them.
	Auto bool `json:"auto"`
}

// OverdueAt reports whether the item is open past its due date.
func (c ChecklistItem) OverdueAt(now time.Time) bool {
	return !c.Done && c.Due != nil && Day(now).After(*c.Due)
}

// OnboardingDue is when a person's onboarding checklist is due:
// OnboardingGraceDays after their start date, the window CC1.5 readiness
// allows. Without a start date there is no due date. (The store leaves
// the due date off once the person has left: their onboarding is moot.)
func OnboardingDue(start *time.Time) *time.Time {
	if start == nil {
		return nil
	}
	d := Day(*start).AddDate(0, 0, OnboardingGraceDays)
	return &d
}

// MaxChecklistNote is the longest note on a checklist item.
const MaxChecklistNote = 2000

// AddBusinessDays returns the date n business days after day, skipping
// Saturdays and Sundays.
func AddBusinessDays(day time.Time, n int) time.Time {
	d := Day(day)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			n--
		}
	}
	return d
}

// NewChecklistItems returns the items of a new checklist of kind for a
// person; offboarding due dates count business days from end.
func NewChecklistItems(kind ChecklistKind, end *time.Time) []ChecklistItem {
	tpl := onboardingItems
	if kind == ChecklistOffboarding {
		tpl = offboardingItems
	}
	out := make([]ChecklistItem, 0, len(tpl))
	for _, t := range tpl {
		it := ChecklistItem{Kind: kind, Key: t.Key, Title: t.Title, Assignee: t.Assignee, Auto: t.Assignee == AssigneeSystem}
		if t.BusinessDays > 0 && end != nil {
			due := AddBusinessDays(*end, t.BusinessDays)
			it.Due = &due
		}
		out = append(out, it)
	}
	return out
}

// ManualChecklistKey reports whether key is an item people complete by hand.
func ManualChecklistKey(key string) bool {
	return slices.Contains([]string{ItemBackgroundCheck, ItemAccessGranted, ItemAccountsDisabled, ItemDevicesReturned, ItemAccessRevoked}, key)
}

// ChecklistFilter narrows a list of checklist items.
type ChecklistFilter struct {
	PersonID int64         `json:"person_id,omitempty"`
	Kind     ChecklistKind `json:"kind,omitempty"`
	OpenOnly bool          `json:"open_only,omitempty"`
	// Brief reads only what readiness and the roster count with: the id,
	// person, kind, key, assignee (so Auto), due date and done; not the
	// person's name, the title, the note or who ticked it and when. The
	// items come in no particular order.
	Brief bool `json:"brief,omitempty"`
}
