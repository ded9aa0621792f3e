package assay

import "time"

// UpcomingDays is how far ahead the Upcoming page looks.
const UpcomingDays = 90

// CalendarToken is a per-user secret that lets a calendar app read the
// Upcoming obligations as an iCal feed. Only its hash is stored.
type CalendarToken struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id"`
	Prefix    string     `json:"prefix"` // the first characters, to recognise it
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// UpcomingWindow keeps the obligations overdue at now or due within days
// of it, overdue first (each group by due date).
func UpcomingWindow(now time.Time, days int, list []Obligation) (overdue, soon []Obligation) {
	today := Day(now)
	end := today.AddDate(0, 0, days)
	overdue, soon = []Obligation{}, []Obligation{}
	for _, o := range list {
		switch {
		case o.DueNow || Day(o.Due).Before(today):
			overdue = append(overdue, o)
		case !Day(o.Due).After(end):
			soon = append(soon, o)
		}
	}
	SortObligations(overdue)
	SortObligations(soon)
	return overdue, soon
}
