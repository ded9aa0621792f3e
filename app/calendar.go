package app

import (
	"context"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
)

// Calendar feeds: a per-user secret address at which a calendar app reads
// the obligations as iCalendar. The secret is shown once and only its hash
// is kept; its user revokes it (an admin revokes anyone's). The feed shows
// what its user may see on the Upcoming page, checked at every read.

// CalendarTokenPrefix marks a calendar feed secret.
const CalendarTokenPrefix = "assay_cal_"

// NewCalendarFeed is a feed just created: its secret is in Path, once.
type NewCalendarFeed struct {
	Feed assay.CalendarToken `json:"feed"`
	// Path is the feed's address on the server (/calendar/SECRET.ics).
	Path string `json:"path"`
}

// CalendarFeedPath is the address of the feed with this secret.
func CalendarFeedPath(secret string) string { return "/calendar/" + secret + ".ics" }

// CreateCalendarFeed makes a feed for the principal, who must be a user
// (the operator has no calendar) allowed to see what falls due.
func (a *App) CreateCalendarFeed(ctx context.Context, p Principal) (NewCalendarFeed, error) {
	if p.User.ID == 0 {
		return NewCalendarFeed{}, assay.Errorf(assay.EFORBIDDEN,
			"A calendar feed belongs to a user and shows what they may see: the operator has none (on the command line, give --as EMAIL).")
	}
	if err := mayReadUpcoming(p); err != nil {
		return NewCalendarFeed{}, err
	}
	secret := auth.NewToken(CalendarTokenPrefix)
	t, err := p.Org.CreateCalendarToken(ctx, p.Actor(), p.User.ID, auth.HashToken(secret))
	if err != nil {
		return NewCalendarFeed{}, err
	}
	return NewCalendarFeed{Feed: t, Path: CalendarFeedPath(secret)}, nil
}

// CalendarFeeds lists active feeds: the principal's own, or with all
// everyone's (admins only; the operator, who has none, sees everyone's).
func (a *App) CalendarFeeds(ctx context.Context, p Principal, all bool) ([]assay.CalendarToken, error) {
	all = all || p.User.ID == 0
	if all {
		if err := mayManageUsers(p); err != nil {
			return nil, err
		}
	}
	var ids []int64
	if all {
		users, err := p.Org.Users(ctx)
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			ids = append(ids, u.ID)
		}
	} else {
		ids = []int64{p.User.ID}
	}
	out := []assay.CalendarToken{}
	for _, id := range ids {
		list, err := p.Org.CalendarTokens(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, t := range list {
			if t.RevokedAt == nil {
				out = append(out, t)
			}
		}
	}
	return out, nil
}

// RevokeCalendarFeed revokes a feed: their own, for users; any, for admins.
// Someone else's feed is "not found" to a user who may not revoke it.
func (a *App) RevokeCalendarFeed(ctx context.Context, p Principal, id int64) error {
	owner := p.User.ID
	if p.User.Can(assay.ActionManageUsers, nil) {
		feeds, err := a.CalendarFeeds(ctx, p, true)
		if err != nil {
			return err
		}
		for _, t := range feeds {
			if t.ID == id {
				owner = t.UserID
			}
		}
	}
	if owner == 0 {
		return assay.Errorf(assay.ENOTFOUND, "Calendar feed not found.")
	}
	return p.Org.RevokeCalendarToken(ctx, p.Actor(), owner, id)
}

// CalendarFeed is what a feed shows: the organisation's name and its
// obligations from a year back on.
type CalendarFeed struct {
	Name        string
	Obligations []assay.Obligation
	AsOf        time.Time
}

// CalendarFeedBySecret reads the feed with this secret, as its user:
// whoever may not open the Upcoming page (an employee, an auditor limited
// to one engagement, a disabled or expired user) gets nothing here either.
// Every refusal is ENOTFOUND, so the address reveals nothing about tokens.
func (a *App) CalendarFeedBySecret(ctx context.Context, secret string) (CalendarFeed, error) {
	notFound := assay.Errorf(assay.ENOTFOUND, "No such calendar.")
	if !strings.HasPrefix(secret, CalendarTokenPrefix) || len(secret) == len(CalendarTokenPrefix) {
		return CalendarFeed{}, notFound
	}
	u, err := a.store.UserByCalendarToken(ctx, auth.HashToken(secret))
	if err != nil {
		if assay.ErrorCode(err) != assay.ENOTFOUND {
			a.log.Error("calendar feed lookup failed", "err", err)
		}
		return CalendarFeed{}, notFound
	}
	p := a.PrincipalFor(u, "calendar")
	if mayReadUpcoming(p) != nil {
		return CalendarFeed{}, notFound
	}
	o, err := p.Org.Organization(ctx)
	if err != nil {
		return CalendarFeed{}, notFound
	}
	now := a.clock.Now()
	list, err := obligations(ctx, p.Org, now)
	list = visibleObligations(p, list)
	if err != nil {
		return CalendarFeed{}, err
	}
	// A year back is enough history for a calendar.
	keep := list[:0]
	for _, ob := range list {
		if !ob.Due.Before(now.AddDate(-1, 0, 0)) {
			keep = append(keep, ob)
		}
	}
	return CalendarFeed{Name: o.Name, Obligations: keep, AsOf: now}, nil
}
