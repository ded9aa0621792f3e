package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/assay-platform/assay"
)

// digestKindOf maps an Upcoming obligation to the digest kind it is sent
// under; obligations of no one in particular (training of the whole
// roster, the yearly risk assessment, the next audit) have none.
var digestKindOf = map[string]string{
	"policy_review":     assay.DigestPolicies,
	"evidence_renewal":  assay.DigestEvidence,
	"evidence_request":  assay.DigestEvidenceRequests,
	"corrective_action": assay.DigestCorrectiveActions,
	"access_review":     assay.DigestAccessReviews,
	"vendor_review":     assay.DigestVendorReviews,
	"risk_review":       assay.DigestRiskReviews,
}

// digestSkip says why u gets no digest at now ("" when they may): no
// e-mail address, a disabled account or one whose access ended, an auditor
// limited to one engagement, or someone off-boarded from the roster.
func digestSkip(ctx context.Context, p Principal, now time.Time) string {
	u := p.User
	switch {
	case u.Email == "":
		return "no e-mail address"
	case u.Disabled:
		return "account disabled"
	case u.AccessExpired(now):
		return "access ended"
	case u.EngagementLimited() || mayOwnDigest(p) != nil:
		return "no reminders for this account"
	}
	if person, err := p.Org.PersonByEmail(ctx, u.Email); err == nil && person.StatusAt(now) == assay.PersonDeparted {
		return "off-boarded"
	}
	return ""
}

// orgObligations is the organisation's obligations at now, read once per
// organisation and run (nil until read).
type orgObligations struct {
	list []assay.Obligation
	read bool
}

// buildDigest is what p would be sent at now under schedule: from the
// same obligations as the Upcoming page (the principal's own, as far as
// they may read them) and the same tasks as their portal.
func (a *App) buildDigest(ctx context.Context, p Principal, now time.Time, schedule assay.DigestSchedule, cache *orgObligations) (assay.Digest, error) {
	d := assay.Digest{UserID: p.User.ID, Email: p.User.Email, Name: p.User.Name, AsOf: now, Schedule: schedule}
	today := assay.Day(now)
	var items []assay.DigestItem
	if mayReadUpcoming(p) == nil {
		if !cache.read {
			list, err := obligations(ctx, p.Org, now)
			if err != nil {
				return d, err
			}
			cache.list, cache.read = list, true
		}
		mine := []assay.Obligation{}
		for _, o := range visibleObligations(p, cache.list) {
			if digestKindOf[o.Kind] != "" && slices.Contains(o.Owners, p.User.ID) {
				mine = append(mine, o)
			}
		}
		overdue, soon := assay.UpcomingWindow(now, assay.DigestDays, mine)
		for _, o := range overdue {
			items = append(items, assay.DigestItem{Kind: digestKindOf[o.Kind], Title: o.Title, Due: o.Due, Overdue: true, Link: a.link(o.Link)})
		}
		for _, o := range soon {
			items = append(items, assay.DigestItem{Kind: digestKindOf[o.Kind], Title: o.Title, Due: o.Due, Link: a.link(o.Link)})
		}
	}
	tasks, err := a.PortalTasks(ctx, p)
	switch assay.ErrorCode(err) {
	case "":
		items = append(items, portalItems(a, tasks, today)...)
	case assay.ENOTFOUND, assay.EFORBIDDEN: // not on the roster, or no portal: no tasks of their own
	default:
		return d, err
	}
	d.Sections, d.Overdue, d.Total = assay.GroupDigest(schedule, items)
	return d, nil
}

// portalItems are the portal's open tasks that a digest lists: every
// policy to accept, and training and checklist items overdue or due within
// DigestDays.
func portalItems(a *App, t PortalTasks, today time.Time) []assay.DigestItem {
	var out []assay.DigestItem
	end := today.AddDate(0, 0, assay.DigestDays)
	inWindow := func(due time.Time) bool { return !assay.Day(due).After(end) }
	for _, v := range t.Policies {
		out = append(out, assay.DigestItem{Kind: assay.DigestPolicies, Title: fmt.Sprintf("Read and accept: %s (version %s)", v.PolicyTitle, v.Version),
			Link: a.link(fmt.Sprintf("/portal/policies/%d", v.ID))})
	}
	for _, x := range t.Training {
		if x.Status == assay.TrainingCompleted || x.DueAt.IsZero() || !inWindow(x.DueAt) {
			continue
		}
		out = append(out, assay.DigestItem{Kind: assay.DigestTraining, Title: "Training: " + x.CourseName, Due: assay.Day(x.DueAt),
			Overdue: assay.Day(x.DueAt).Before(today), Link: a.link("/portal")})
	}
	for _, it := range t.Checklist {
		if it.Done || it.Due == nil || !inWindow(*it.Due) {
			continue
		}
		out = append(out, assay.DigestItem{Kind: assay.DigestOnboarding, Title: it.Title, Due: assay.Day(*it.Due), Overdue: it.Overdue,
			Link: a.link("/portal")})
	}
	return out
}

// PreviewDigest is what the user with this e-mail address would be sent
// now (an admin's view; the schedule's hour and weekday are not waited
// for).
func (a *App) PreviewDigest(ctx context.Context, p Principal, email string) (assay.Digest, error) {
	if err := mayManageDigests(p); err != nil {
		return assay.Digest{}, err
	}
	target, err := a.digestPrincipal(ctx, p, email)
	if err != nil {
		return assay.Digest{}, err
	}
	now := a.clock.Now()
	if why := digestSkip(ctx, target, now); why != "" {
		return assay.Digest{}, assay.Errorf(assay.ECONFLICT, "%s gets no reminders: %s.", target.User.Email, why)
	}
	schedule, err := a.scheduleOf(ctx, target)
	if err != nil {
		return assay.Digest{}, err
	}
	return a.buildDigest(ctx, target, now, schedule, &orgObligations{})
}

// MyDigestPreview is what the principal would be sent now.
func (a *App) MyDigestPreview(ctx context.Context, p Principal) (assay.Digest, error) {
	if err := mayOwnDigest(p); err != nil {
		return assay.Digest{}, err
	}
	schedule, err := a.scheduleOf(ctx, p)
	if err != nil {
		return assay.Digest{}, err
	}
	return a.buildDigest(ctx, p, a.clock.Now(), schedule, &orgObligations{})
}

// digestPrincipal is the principal of the admin's organisation's user
// with this e-mail address.
func (a *App) digestPrincipal(ctx context.Context, p Principal, email string) (Principal, error) {
	users, err := p.Org.Users(ctx)
	if err != nil {
		return Principal{}, err
	}
	for _, u := range users {
		if equalFoldEmail(u.Email, email) {
			return Principal{User: u, Org: p.Org, Via: "digest"}, nil
		}
	}
	return Principal{}, assay.Errorf(assay.ENOTFOUND, "No user %s in this organisation.", email)
}

func (a *App) scheduleOf(ctx context.Context, p Principal) (assay.DigestSchedule, error) {
	defaults, err := p.Org.DigestSettings(ctx)
	if err != nil {
		return assay.DigestSchedule{}, err
	}
	prefs, err := p.Org.DigestPrefs(ctx, p.User.ID)
	if err != nil {
		return assay.DigestSchedule{}, err
	}
	return assay.ResolveDigest(defaults, prefs), nil
}
