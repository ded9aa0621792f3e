package assay

import (
	"slices"
	"time"
)

// Obligation is a recurring duty with a due date: a policy review, a
// training renewal, an access review. The Upcoming list and the iCal feed
// show them together.
type Obligation struct {
	Kind  string    `json:"kind"` // "policy_review", "training_renewal", "access_review", ...
	Title string    `json:"title"`
	Due   time.Time `json:"due"`
	Link  string    `json:"link"` // a path in the web UI, e.g. /policies/3
	// DueNow puts the obligation among the overdue whatever its date, as
	// the object's own page already says "Due now" (a vendor never
	// reviewed, or whose review fell due earlier today).
	DueNow bool `json:"-"`
	// Owners are the users who own the work (a policy's owner, a
	// corrective action's, the owners of the controls a piece of evidence
	// covers): reminder digests send each one their own.
	Owners []int64 `json:"-"`
}

// SortObligations orders by due date, then title.
func SortObligations(list []Obligation) {
	slices.SortStableFunc(list, func(a, b Obligation) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		if a.Title < b.Title {
			return -1
		}
		if a.Title > b.Title {
			return 1
		}
		return 0
	})
}
