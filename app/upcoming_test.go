package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// riskDue adds a risk whose review falls on due.
func riskDue(t *testing.T, e *env, admin app.Principal, title string, due time.Time) {
	t.Helper()
	if _, err := e.app.CreateRisks(e.ctx, admin, []assay.Risk{{Title: title, Category: assay.RiskCategories[0], Likelihood: 3, Impact: 3,
		ResidualLikelihood: 2, ResidualImpact: 2, Treatment: assay.TreatMitigate, Status: assay.RiskOpen, ReviewDate: &due}}); err != nil {
		t.Fatal(err)
	}
}

func titles(list []assay.Obligation) string {
	var out []string
	for _, o := range list {
		out = append(out, o.Title+"@"+o.Due.Format("2006-01-02"))
	}
	return strings.Join(out, ", ")
}

// What falls due is read by every role that reads the program, on the
// days the calendar makes awkward: 29 February and across New Year.
func TestUpcomingRolesAndDates(t *testing.T) {
	e := newEnv(t) // 2028-02-29 23:30 UTC
	admin := e.principal(t, assay.RoleAdmin)
	riskDue(t, e, admin, "Leap day", time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC))
	riskDue(t, e, admin, "New year", time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC))

	var limited, viewer app.Principal
	for _, role := range []assay.Role{assay.RoleAdmin, assay.RoleMember, assay.RoleAuditor, assay.RoleViewer} {
		p := admin
		if role != assay.RoleAdmin {
			p = e.principal(t, role)
		}
		if role == assay.RoleAuditor {
			limited = p
		}
		if role == assay.RoleViewer {
			viewer = p
		}
		list, err := e.app.Upcoming(e.ctx, p, 1)
		if err != nil || len(list.Overdue) != 0 || !strings.Contains(titles(list.Upcoming), "Risk review: Leap day@2028-02-29") ||
			strings.Contains(titles(list.Upcoming), "New year") || list.Days != 1 {
			t.Fatalf("%s, on leap day: %+v %v", role, list, err)
		}
	}
	// Obligations that are records about people (access reviews, whose
	// training, whose offboarding) are not shown to a viewer, who does not
	// read people.
	adminList, err := e.app.Upcoming(e.ctx, admin, 90)
	if err != nil || !strings.Contains(titles(adminList.Overdue)+titles(adminList.Upcoming), "First access review") {
		t.Fatalf("admin's list has no access review: %+v %v", adminList, err)
	}
	viewerList, err := e.app.Upcoming(e.ctx, viewer, 90)
	if err != nil || strings.Contains(titles(viewerList.Overdue)+titles(viewerList.Upcoming), "access review") ||
		!strings.Contains(titles(viewerList.Upcoming), "Risk review: Leap day") {
		t.Fatalf("viewer's list: %+v %v", viewerList, err)
	}
	_, err = e.app.Upcoming(e.ctx, e.principal(t, assay.RoleEmployee), 90)
	wantCode(t, "employee", err, assay.EFORBIDDEN)
	limited.User.EngagementID = 1 // an auditor limited to one engagement
	_, err = e.app.Upcoming(e.ctx, limited, 90)
	wantCode(t, "engagement-limited auditor", err, assay.ENOTFOUND)
	for _, days := range []int{0, -1, app.MaxUpcomingDays + 1} {
		_, err := e.app.Upcoming(e.ctx, admin, days)
		wantCode(t, "days", err, assay.EINVALID)
	}

	// New Year's Eve, half an hour before midnight: tomorrow is next year.
	e.clock.Set(time.Date(2028, 12, 31, 23, 30, 0, 0, time.UTC))
	list, err := e.app.Upcoming(e.ctx, admin, 1)
	if err != nil || !strings.Contains(titles(list.Upcoming), "Risk review: New year@2029-01-01") || !strings.Contains(titles(list.Overdue), "Leap day@2028-02-29") {
		t.Fatalf("on New Year's Eve: %+v %v", list, err)
	}
	all, err := e.app.Obligations(e.ctx, admin)
	if err != nil || len(all) != len(list.Overdue)+len(list.Upcoming) {
		t.Fatalf("obligations: %s %v", titles(all), err)
	}
}

// A feed belongs to a user, shows what they may see, and stops working
// once revoked; users revoke their own, admins anyone's.
func TestCalendarFeeds(t *testing.T) {
	e := newEnv(t)
	admin := e.principal(t, assay.RoleAdmin)
	member := e.principal(t, assay.RoleMember)
	riskDue(t, e, admin, "Leap day", time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC))

	_, err := e.app.CreateCalendarFeed(e.ctx, e.app.OperatorPrincipal(e.org, "assay calendar create"))
	if assay.ErrorCode(err) != assay.EFORBIDDEN || !strings.Contains(err.Error(), "--as") {
		t.Fatalf("operator's feed: %v", err)
	}
	_, err = e.app.CreateCalendarFeed(e.ctx, e.principal(t, assay.RoleEmployee))
	wantCode(t, "employee's feed", err, assay.EFORBIDDEN)

	mine, err := e.app.CreateCalendarFeed(e.ctx, member)
	if err != nil || !strings.HasPrefix(mine.Path, "/calendar/"+app.CalendarTokenPrefix) || !strings.HasSuffix(mine.Path, ".ics") || mine.Feed.UserID != member.User.ID {
		t.Fatalf("member's feed: %+v %v", mine, err)
	}
	secret := strings.TrimSuffix(strings.TrimPrefix(mine.Path, "/calendar/"), ".ics")
	feed, err := e.app.CalendarFeedBySecret(e.ctx, secret)
	if err != nil || feed.Name != "Acme" || !strings.Contains(titles(feed.Obligations), "Leap day@2028-02-29") {
		t.Fatalf("feed: %+v %v", feed, err)
	}
	for _, bad := range []string{"", app.CalendarTokenPrefix, secret + "x", strings.TrimPrefix(secret, app.CalendarTokenPrefix)} {
		_, err := e.app.CalendarFeedBySecret(e.ctx, bad)
		wantCode(t, "feed "+bad, err, assay.ENOTFOUND)
	}

	// Lists: a user their own; the operator and admins with all, everyone's.
	other, err := e.app.CreateCalendarFeed(e.ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if list, err := e.app.CalendarFeeds(e.ctx, member, false); err != nil || len(list) != 1 || list[0].ID != mine.Feed.ID {
		t.Fatalf("member's feeds: %+v %v", list, err)
	}
	_, err = e.app.CalendarFeeds(e.ctx, member, true)
	wantCode(t, "member lists all", err, assay.EFORBIDDEN)
	if list, err := e.app.CalendarFeeds(e.ctx, e.app.OperatorPrincipal(e.org, "assay calendar list"), false); err != nil || len(list) != 2 {
		t.Fatalf("operator's list: %+v %v", list, err)
	}

	// A member may not revoke the admin's feed; the admin may revoke theirs.
	wantCode(t, "member revokes another's", e.app.RevokeCalendarFeed(e.ctx, member, other.Feed.ID), assay.ENOTFOUND)
	if err := e.app.RevokeCalendarFeed(e.ctx, admin, mine.Feed.ID); err != nil {
		t.Fatalf("admin revokes the member's feed: %v", err)
	}
	_, err = e.app.CalendarFeedBySecret(e.ctx, secret)
	wantCode(t, "revoked feed", err, assay.ENOTFOUND)
	wantCode(t, "revoked twice", e.app.RevokeCalendarFeed(e.ctx, member, mine.Feed.ID), assay.ENOTFOUND)
	if err := e.app.RevokeCalendarFeed(e.ctx, admin, other.Feed.ID); err != nil {
		t.Fatalf("admin revokes their own: %v", err)
	}
	if list, err := e.app.CalendarFeeds(e.ctx, admin, true); err != nil || len(list) != 0 {
		t.Fatalf("after revoking: %+v %v", list, err)
	}

	// A feed whose user became an employee shows nothing.
	f, err := e.app.CreateCalendarFeed(e.ctx, member)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.UpdateUserRole(e.ctx, admin, member.User.ID, assay.RoleEmployee); err != nil {
		t.Fatal(err)
	}
	_, err = e.app.CalendarFeedBySecret(e.ctx, strings.TrimSuffix(strings.TrimPrefix(f.Path, "/calendar/"), ".ics"))
	wantCode(t, "an employee's feed", err, assay.ENOTFOUND)
}

// Upcoming lists the dated work too: the evidence each control's coverage
// ends with (not an older item a newer one outlasts), requests waiting
// for an answer and corrective actions not done.
func TestUpcomingShowsTheWork(t *testing.T) {
	e := newEnv(t) // 2028-02-29 23:30 UTC
	admin := e.principal(t, assay.RoleAdmin)
	member := e.principal(t, assay.RoleMember)
	collected := time.Date(2027, 12, 31, 12, 0, 0, 0, time.UTC)
	for _, n := range []assay.NewEvidence{
		{Kind: assay.EvidenceNote, Title: "Old MFA export", NoteText: "x", Controls: []string{"ACC-02"}, ValidDays: 30, CollectedAt: &collected},
		{Kind: assay.EvidenceNote, Title: "New MFA export", NoteText: "x", Controls: []string{"ACC-02"}, ValidDays: 92, CollectedAt: &collected},
		{Kind: assay.EvidenceNote, Title: "Backup report", NoteText: "x", Controls: []string{"BAK-01"}, ValidDays: 30, CollectedAt: &collected},
	} {
		if _, err := e.app.AddEvidence(e.ctx, admin, app.NewEvidence{Evidence: n}, nil, nil, 0); err != nil {
			t.Fatal(err)
		}
	}
	due := time.Date(2028, 3, 1, 0, 0, 0, 0, time.UTC)
	if _, err := e.app.CreateEvidenceRequest(e.ctx, admin, assay.NewEvidenceRequest{ControlID: "ACC-02", AssigneeID: member.User.ID, DueDate: due, Description: "The MFA policy"}); err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"Rotate keys", "Already done"} {
		ca, err := e.app.CreateCorrectiveAction(e.ctx, admin, assay.NewCorrectiveAction{Title: title, Action: "Do it", OwnerID: admin.User.ID, DueDate: due})
		if err != nil {
			t.Fatal(err)
		}
		if title == "Already done" {
			done := assay.CorrectiveDone
			if _, err := e.app.UpdateCorrectiveAction(e.ctx, admin, ca.ID, assay.CorrectivePatch{Status: &done}); err != nil {
				t.Fatal(err)
			}
		}
	}
	list, err := e.app.Upcoming(e.ctx, member, 90)
	if err != nil {
		t.Fatal(err)
	}
	overdue, soon := titles(list.Overdue), titles(list.Upcoming)
	for _, want := range []string{"Evidence to renew: Backup report (BAK-01)@2028-01-30"} {
		if !strings.Contains(overdue, want) {
			t.Errorf("overdue lacks %q: %s", want, overdue)
		}
	}
	for _, want := range []string{"Evidence to renew: New MFA export (ACC-02)@2028-04-01", "Evidence request #1 for ACC-02", "Corrective action: Rotate keys@2028-03-01"} {
		if !strings.Contains(soon, want) {
			t.Errorf("upcoming lacks %q: %s", want, soon)
		}
	}
	if all := overdue + soon; strings.Contains(all, "Old MFA export") || strings.Contains(all, "Already done") {
		t.Errorf("work that is not due is listed: %s", all)
	}
}
