package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// An incident from report to review, each step held to its role: members
// report and add notes, admins move and review, auditors and viewers read,
// employees see nothing. The incident is reported on 2028-02-29 at 23:30
// UTC (the env's clock), so its notice deadlines fall in March.
func TestIncidentLifecycleAuthorisation(t *testing.T) {
	e := newEnv(t)
	admin, member := e.principal(t, assay.RoleAdmin), e.principal(t, assay.RoleMember)
	auditor, viewer, employee := e.principal(t, assay.RoleAuditor), e.principal(t, assay.RoleViewer), e.principal(t, assay.RoleEmployee)
	now := e.clock.Now()

	n := assay.NewIncident{Title: "Leaked API key", Description: "A key was pushed to a public repository.", PersonalData: true, CustomerData: true,
		OccurredAt: now.Add(-time.Hour), DetectedAt: now}
	for _, p := range []app.Principal{auditor, viewer, employee} {
		_, err := e.app.ReportIncident(e.ctx, p, n)
		wantCode(t, string(p.User.Role)+" reports", err, assay.EFORBIDDEN)
	}
	inc, err := e.app.ReportIncident(e.ctx, member, n)
	if err != nil || inc.ReportedByName != "member" || inc.Status != assay.IncidentReported {
		t.Fatalf("member reports: %+v %v", inc, err)
	}
	v := app.ViewIncident(inc, now)
	want := time.Date(2028, 3, 3, 23, 30, 0, 0, time.UTC)
	if v.CustomerNoticeDue == nil || !v.CustomerNoticeDue.Equal(want) || v.RegulatorNoticeDue == nil || !v.RegulatorNoticeDue.Equal(want) || len(v.Warnings) != 0 {
		t.Fatalf("notice deadlines of an incident detected 2028-02-29 23:30: %+v", v)
	}
	if w := app.ViewIncident(inc, want.Add(time.Minute)).Warnings; len(w) != 2 || !strings.Contains(w[0], "2028-03-03 23:30 UTC") {
		t.Fatalf("warnings a minute past the deadline: %q", w)
	}

	// Reading: every role of the program, not employees, not an auditor
	// limited to one engagement.
	for _, p := range []app.Principal{admin, member, auditor, viewer} {
		if list, err := e.app.Incidents(e.ctx, p, assay.IncidentFilter{}); err != nil || len(list) != 1 {
			t.Fatalf("%s lists: %d %v", p.User.Role, len(list), err)
		}
	}
	_, err = e.app.Incidents(e.ctx, employee, assay.IncidentFilter{})
	wantCode(t, "employee lists", err, assay.EFORBIDDEN)
	_, err = e.app.IncidentDetail(e.ctx, employee, inc.ID)
	wantCode(t, "employee reads", err, assay.EFORBIDDEN)
	_, err = e.app.IncidentMetrics(e.ctx, employee)
	wantCode(t, "employee's metrics", err, assay.EFORBIDDEN)
	limited := auditor
	limited.User.EngagementID = 7
	_, err = e.app.Incident(e.ctx, limited, inc.ID)
	wantCode(t, "engagement-limited auditor reads", err, assay.ENOTFOUND)
	_, err = e.app.CorrectiveActions(e.ctx, limited, assay.CorrectiveFilter{})
	wantCode(t, "engagement-limited auditor lists actions", err, assay.ENOTFOUND)
	_, err = e.app.Incident(e.ctx, viewer, inc.ID+100)
	wantCode(t, "an unknown incident", err, assay.ENOTFOUND)

	// Notes: admins and members.
	if _, err := e.app.AddIncidentNote(e.ctx, member, inc.ID, "Key revoked."); err != nil {
		t.Fatal(err)
	}
	_, err = e.app.AddIncidentNote(e.ctx, viewer, inc.ID, "I saw it too.")
	wantCode(t, "viewer's note", err, assay.EFORBIDDEN)

	// Moving and noticing: admins only; a wrong move changes nothing.
	triage := assay.IncidentMove{Status: assay.IncidentTriaged, Severity: "SEV2"}
	for _, p := range []app.Principal{member, auditor, viewer, employee} {
		_, err := e.app.MoveIncident(e.ctx, p, inc.ID, triage)
		wantCode(t, string(p.User.Role)+" triages", err, assay.EFORBIDDEN)
	}
	_, err = e.app.RecordIncidentNotice(e.ctx, member, inc.ID, "customer", time.Time{})
	wantCode(t, "member records a notice", err, assay.EFORBIDDEN)
	_, err = e.app.MoveIncident(e.ctx, admin, inc.ID, assay.IncidentMove{Status: assay.IncidentContained})
	wantCode(t, "containing before triage", err, assay.ECONFLICT)
	if got, _ := e.app.Incident(e.ctx, admin, inc.ID); got.Status != assay.IncidentReported || got.Severity != "" {
		t.Fatalf("a refused move changed the incident: %+v", got)
	}
	for _, m := range []assay.IncidentMove{triage, {Status: assay.IncidentContained}, {Status: assay.IncidentResolved, Note: "Rotated."}} {
		if _, err := e.app.MoveIncident(e.ctx, admin, inc.ID, m); err != nil {
			t.Fatalf("move to %s: %v", m.Status, err)
		}
	}
	if got, err := e.app.RecordIncidentNotice(e.ctx, admin, inc.ID, "customer", time.Time{}); err != nil || got.CustomerNotifiedAt == nil {
		t.Fatalf("customer notice: %+v %v", got, err)
	}

	// The review: admins only; it closes the incident and opens one action
	// per improvement, owned by the reviewer and due 30 days after
	// 2028-02-29 unless told otherwise.
	r := app.IncidentReview{NewIncidentReview: assay.NewIncidentReview{RootCause: "A key in a config file.", WentWell: "Fast revocation.",
		ToImprove: "- Scan commits for secrets\n- Shorter key lifetimes"}}
	_, _, err = e.app.ReviewIncident(e.ctx, member, inc.ID, r)
	wantCode(t, "member reviews", err, assay.EFORBIDDEN)
	bad := r
	bad.WentWell = ""
	_, _, err = e.app.ReviewIncident(e.ctx, admin, inc.ID, bad)
	wantCode(t, "a review without what went well", err, assay.EINVALID)
	if got, _ := e.app.Incident(e.ctx, admin, inc.ID); got.Status != assay.IncidentResolved {
		t.Fatalf("a refused review closed the incident: %s", got.Status)
	}
	closed, actions, err := e.app.ReviewIncident(e.ctx, admin, inc.ID, r)
	if err != nil || closed.Status != assay.IncidentClosed || len(actions) != 2 {
		t.Fatalf("review: %+v %d %v", closed, len(actions), err)
	}
	for _, c := range actions {
		if c.OwnerID != admin.User.ID || !c.DueDate.Equal(time.Date(2028, 3, 30, 0, 0, 0, 0, time.UTC)) || c.Source != assay.SourceIncidentReview {
			t.Fatalf("review's action: %+v", c)
		}
	}
	d, err := e.app.IncidentDetail(e.ctx, viewer, inc.ID)
	if err != nil || len(d.CorrectiveActions) != 2 || len(d.Timeline) < 5 || d.Review == nil {
		t.Fatalf("detail: %d actions, %d entries, review %v: %v", len(d.CorrectiveActions), len(d.Timeline), d.Review, err)
	}
	if tl, err := e.app.IncidentTimeline(e.ctx, auditor, inc.ID); err != nil || len(tl) != len(d.Timeline) {
		t.Fatalf("timeline: %d %v", len(tl), err)
	}
	_, err = e.app.AddIncidentNote(e.ctx, member, inc.ID+100, "Nowhere.")
	wantCode(t, "a note on an unknown incident", err, assay.ENOTFOUND)
}

// Imports are the admins'; a bad row imports nothing.
func TestIncidentAndCorrectiveImports(t *testing.T) {
	e := newEnv(t)
	admin, member := e.principal(t, assay.RoleAdmin), e.principal(t, assay.RoleMember)
	now := e.clock.Now()
	row := assay.ImportedIncident{NewIncident: assay.NewIncident{Title: "Old outage", OccurredAt: now.AddDate(0, -1, 0), DetectedAt: now.AddDate(0, -1, 0)}}
	_, err := e.app.ImportIncidents(e.ctx, member, []assay.ImportedIncident{row})
	wantCode(t, "member imports incidents", err, assay.EFORBIDDEN)
	badRow := row
	badRow.Title = ""
	_, err = e.app.ImportIncidents(e.ctx, admin, []assay.ImportedIncident{row, badRow})
	wantCode(t, "an import with a bad row", err, assay.EINVALID)
	if list, _ := e.app.Incidents(e.ctx, admin, assay.IncidentFilter{}); len(list) != 0 {
		t.Fatalf("a refused import left %d incidents", len(list))
	}
	if got, err := e.app.ImportIncidents(e.ctx, admin, []assay.ImportedIncident{row}); err != nil || len(got) != 1 {
		t.Fatalf("import: %d %v", len(got), err)
	}

	ca := assay.NewCorrectiveAction{Title: "Backups untested", Action: "Test a restore.", DueDate: now}
	_, err = e.app.ImportCorrectiveActions(e.ctx, member, []assay.NewCorrectiveAction{ca})
	wantCode(t, "member imports actions", err, assay.EFORBIDDEN)
	if got, err := e.app.ImportCorrectiveActions(e.ctx, admin, []assay.NewCorrectiveAction{ca, ca}); err != nil || len(got) != 2 || !got[0].DueDate.Equal(assay.Day(now)) {
		t.Fatalf("import actions: %+v %v", got, err)
	}
}
