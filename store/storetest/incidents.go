package storetest

import (
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
	"github.com/assay-platform/assay/store"
)

var incidentTests = []subtest{
	{"IncidentLifecycle", testIncidentLifecycle},
	{"IncidentRefusesBadInput", testIncidentBadInput},
	{"IncidentNoticesAndMetrics", testIncidentNotices},
	{"IncidentTenancy", testIncidentTenancy},
	{"IncidentImportAllOrNothing", testIncidentImport},
}

func (e *Env) incident(o store.OrgStore, title string, exercise bool) assay.Incident {
	e.T.Helper()
	return must(o.CreateIncident(e.Ctx, Actor, assay.NewIncident{Title: title, Exercise: exercise, PersonalData: true,
		OccurredAt: e.Clock.Now().Add(-3 * time.Hour), DetectedAt: e.Clock.Now().Add(-time.Hour)})).get(e.T)
}

func testIncidentLifecycle(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	owner := e.User(o, "sam@acme.example", assay.RoleMember)
	i := e.incident(o, " Phishing of a support account ", false)
	if i.ID == 0 || i.Title != "Phishing of a support account" || i.Status != assay.IncidentReported || i.Severity != "" ||
		i.CustomerNoticeHours != assay.CustomerNoticeHours || !i.ReportedAt.Equal(Epoch) || i.Review != nil {
		t.Fatalf("incident = %+v", i)
	}
	jsonEq(t, must(o.Incident(e.Ctx, i.ID)).get(t), i, "re-read")

	// Containing before triage is refused and changes nothing.
	_, err := o.MoveIncident(e.Ctx, Actor, i.ID, assay.IncidentMove{Status: assay.IncidentContained})
	wantCode(t, err, assay.ECONFLICT, "contain before triage")
	e.Clock.Advance(time.Hour)
	i = must(o.MoveIncident(e.Ctx, Actor, i.ID, assay.IncidentMove{Status: assay.IncidentTriaged, Severity: "SEV2"})).get(t)
	if i.Status != assay.IncidentTriaged || i.Severity != "SEV2" {
		t.Fatalf("triaged = %+v", i)
	}
	e.Clock.Advance(time.Hour)
	i = must(o.MoveIncident(e.Ctx, Actor, i.ID, assay.IncidentMove{Status: assay.IncidentContained, Note: "Account locked."})).get(t)
	if i.Status != assay.IncidentContained || i.ContainedAt == nil || !i.ContainedAt.Equal(e.Clock.Now()) {
		t.Fatalf("contained = %+v", i)
	}
	_, _, err = o.ReviewIncident(e.Ctx, Actor, i.ID, assay.NewIncidentReview{RootCause: "x", WentWell: "y", ToImprove: "z"}, owner.ID, Epoch.AddDate(0, 1, 0))
	wantCode(t, err, assay.ECONFLICT, "review before resolved")
	e.Clock.Advance(time.Hour)
	i = must(o.MoveIncident(e.Ctx, Actor, i.ID, assay.IncidentMove{Status: assay.IncidentResolved})).get(t)
	check(t, func() error { _, err := o.AddIncidentEntry(e.Ctx, Actor, i.ID, "Sent the all-clear."); return err }(), "add entry")

	// The review needs every part.
	_, _, err = o.ReviewIncident(e.Ctx, Actor, i.ID, assay.NewIncidentReview{RootCause: "No MFA on the account.", WentWell: "Fast lock."}, owner.ID, Epoch.AddDate(0, 1, 0))
	wantCode(t, err, assay.EINVALID, "review without improvements")
	i, actions, err := o.ReviewIncident(e.Ctx, Actor, i.ID, assay.NewIncidentReview{RootCause: "No MFA on the account.", WentWell: "Fast lock.",
		ToImprove: "- Enforce MFA for support\n\n- Run phishing training\n"}, owner.ID, Epoch.AddDate(0, 1, 0))
	check(t, err, "review")
	if i.Status != assay.IncidentClosed || i.ClosedAt == nil || i.Review == nil || i.Review.RootCause != "No MFA on the account." {
		t.Fatalf("closed = %+v", i)
	}
	if len(actions) != 2 || actions[0].Title != "Enforce MFA for support" || actions[1].Title != "Run phishing training" ||
		actions[0].Source != assay.SourceIncidentReview || actions[0].IncidentID != i.ID || actions[0].OwnerID != owner.ID || actions[0].Status != assay.CorrectiveOpen {
		t.Fatalf("actions = %+v", actions)
	}
	linked := must(o.CorrectiveActions(e.Ctx, assay.CorrectiveFilter{IncidentID: i.ID})).get(t)
	if len(linked) != 2 {
		t.Fatalf("linked actions = %+v", linked)
	}
	_, err = o.MoveIncident(e.Ctx, Actor, i.ID, assay.IncidentMove{Status: assay.IncidentTriaged, Severity: "SEV1"})
	wantCode(t, err, assay.ECONFLICT, "move a closed incident")

	timeline := must(o.IncidentTimeline(e.Ctx, i.ID)).get(t)
	var kinds []string
	for _, en := range timeline {
		kinds = append(kinds, en.Kind)
	}
	if strings.Join(kinds, ",") != "status,status,status,status,note,review" {
		t.Fatalf("timeline kinds = %v", kinds)
	}
	var actions2 []string
	for _, a := range e.Activity(o) {
		actions2 = append(actions2, a.Action)
	}
	got := strings.Join(actions2, ",")
	for _, want := range []string{"incident.create", "incident.triaged", "incident.contained", "incident.resolved", "incident.entry", "incident.review", "corrective_action.create"} {
		if !strings.Contains(got, want) {
			t.Errorf("activity %s lacks %s", got, want)
		}
	}
}

func testIncidentBadInput(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	now := e.Clock.Now()
	for name, n := range map[string]assay.NewIncident{
		"no title":         {OccurredAt: now, DetectedAt: now},
		"no occurred":      {Title: "x", DetectedAt: now},
		"detected earlier": {Title: "x", OccurredAt: now, DetectedAt: now.Add(-time.Hour)},
		"future":           {Title: "x", OccurredAt: now, DetectedAt: now.Add(time.Hour)},
		"notice hours":     {Title: "x", OccurredAt: now, DetectedAt: now, CustomerNoticeHours: -1},
	} {
		_, err := o.CreateIncident(e.Ctx, Actor, n)
		wantCode(t, err, assay.EINVALID, name)
	}
	if list := must(o.Incidents(e.Ctx, assay.IncidentFilter{})).get(t); len(list) != 0 {
		t.Fatalf("bad input stored %d incidents", len(list))
	}
	i := e.incident(o, "Lost laptop", false)
	_, err := o.MoveIncident(e.Ctx, Actor, i.ID, assay.IncidentMove{Status: assay.IncidentTriaged, Severity: "SEV9"})
	wantCode(t, err, assay.EINVALID, "bad severity")
	_, err = o.MoveIncident(e.Ctx, Actor, i.ID, assay.IncidentMove{Status: assay.IncidentClosed})
	wantCode(t, err, assay.EINVALID, "close by move")
	_, err = o.AddIncidentEntry(e.Ctx, Actor, i.ID, "  ")
	wantCode(t, err, assay.EINVALID, "empty entry")
	_, err = o.AddIncidentEntry(e.Ctx, Actor, 999, "note")
	wantCode(t, err, assay.ENOTFOUND, "entry on a missing incident")
	_, err = o.RecordIncidentNotice(e.Ctx, Actor, i.ID, "press", now)
	wantCode(t, err, assay.EINVALID, "notice to whom")
	_, err = o.Incidents(e.Ctx, assay.IncidentFilter{Status: "open"})
	wantCode(t, err, assay.EINVALID, "filter by unknown status")
	if got := must(o.Incident(e.Ctx, i.ID)).get(t); got.Status != assay.IncidentReported || got.Severity != "" {
		t.Fatalf("refused moves changed the incident: %+v", got)
	}
	if tl := must(o.IncidentTimeline(e.Ctx, i.ID)).get(t); len(tl) != 1 {
		t.Fatalf("timeline = %+v", tl)
	}
}

func testIncidentNotices(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	i := must(o.CreateIncident(e.Ctx, Actor, assay.NewIncident{Title: "Database exposed", PersonalData: true, CustomerData: true,
		CustomerNoticeHours: 24, OccurredAt: Epoch.Add(-10 * time.Hour), DetectedAt: Epoch.Add(-time.Hour)})).get(t)
	if w := i.Warnings(e.Clock.Now()); len(w) != 0 {
		t.Fatalf("warnings at once = %v", w)
	}
	e.Clock.Advance(30 * time.Hour)
	if w := i.Warnings(e.Clock.Now()); len(w) != 1 || !strings.Contains(w[0], "Customer notice overdue") {
		t.Fatalf("warnings after 30h = %v", w)
	}
	i = must(o.RecordIncidentNotice(e.Ctx, Actor, i.ID, "customer", e.Clock.Now().Add(-time.Hour))).get(t)
	_, err := o.RecordIncidentNotice(e.Ctx, Actor, i.ID, "customer", e.Clock.Now())
	wantCode(t, err, assay.ECONFLICT, "notice twice")
	e.Clock.Advance(48 * time.Hour)
	if w := i.Warnings(e.Clock.Now()); len(w) != 1 || !strings.Contains(w[0], "Regulator notice overdue") {
		t.Fatalf("warnings after 78h = %v", w)
	}
	i = must(o.RecordIncidentNotice(e.Ctx, Actor, i.ID, "regulator", time.Time{})).get(t)
	if w := i.Warnings(e.Clock.Now()); len(w) != 0 || i.RegulatorNotifiedAt == nil {
		t.Fatalf("after notices = %v %+v", w, i)
	}

	// Metrics: 9h to detect; contained 2h and resolved 5h after detection.
	i = must(o.MoveIncident(e.Ctx, Actor, i.ID, assay.IncidentMove{Status: assay.IncidentTriaged, Severity: "SEV1"})).get(t)
	i = must(o.MoveIncident(e.Ctx, Actor, i.ID, assay.IncidentMove{Status: assay.IncidentContained, At: i.DetectedAt.Add(2 * time.Hour)})).get(t)
	i = must(o.MoveIncident(e.Ctx, Actor, i.ID, assay.IncidentMove{Status: assay.IncidentResolved, At: i.DetectedAt.Add(5 * time.Hour)})).get(t)
	e.incident(o, "Tabletop: ransomware", true)
	m := assay.ComputeIncidentMetrics(must(o.Incidents(e.Ctx, assay.IncidentFilter{})).get(t))
	if m.Count != 1 || len(m.BySeverity) != 1 || m.BySeverity[0].Key != "SEV1" || *m.BySeverity[0].MeanHoursDetect != 9 ||
		*m.BySeverity[0].MeanHoursContain != 2 || *m.BySeverity[0].MeanHoursResolve != 5 || len(m.ByMonth) != 1 || m.ByMonth[0].Key != "2026-03" {
		t.Fatalf("metrics = %s", sprint(m))
	}
}

func testIncidentTenancy(e *Env) {
	t := e.T
	_, a := e.Org("acme")
	_, b := e.Org("globex")
	i := e.incident(a, "Acme only", false)
	_, err := b.Incident(e.Ctx, i.ID)
	wantCode(t, err, assay.ENOTFOUND, "other org's incident")
	_, err = b.AddIncidentEntry(e.Ctx, Actor, i.ID, "peek")
	wantCode(t, err, assay.ENOTFOUND, "other org's timeline")
	if list := must(b.Incidents(e.Ctx, assay.IncidentFilter{})).get(t); len(list) != 0 {
		t.Fatalf("globex sees %d incidents", len(list))
	}
	_, err = b.CreateCorrectiveAction(e.Ctx, Actor, assay.NewCorrectiveAction{IncidentID: i.ID, Title: "x", Action: "y", DueDate: Epoch})
	wantCode(t, err, assay.EINVALID, "link to other org's incident")
}

func testIncidentImport(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	now := e.Clock.Now()
	at := func(h int) *time.Time { x := now.Add(time.Duration(h) * time.Hour); return &x }
	base := assay.NewIncident{Title: "Old outage", OccurredAt: now.Add(-100 * time.Hour), DetectedAt: now.Add(-99 * time.Hour)}
	resolved := assay.ImportedIncident{NewIncident: base, Status: assay.IncidentResolved, Severity: "SEV2",
		ContainedAt: at(-98), ResolvedAt: at(-90), CustomerNotifiedAt: at(-97)}
	closed := assay.ImportedIncident{NewIncident: base, Status: assay.IncidentClosed, Severity: "SEV3",
		ContainedAt: at(-98), ResolvedAt: at(-90), ClosedAt: at(-80), RootCause: "Expired certificate.", WentWell: "Quick rollback.", ToImprove: "Monitor expiry"}
	closed.Title = "Certificate expiry"
	unreviewed := closed
	unreviewed.RootCause, unreviewed.WentWell, unreviewed.ToImprove = "", "", ""

	// A closed incident without its review fails the whole import, naming the row.
	_, err := o.CreateIncidents(e.Ctx, Actor, []assay.ImportedIncident{resolved, unreviewed})
	wantCode(t, err, assay.EINVALID, "closed without review")
	if msg := assay.ErrorMessage(err); !strings.Contains(msg, "Row 1") || !strings.Contains(msg, "post-incident review") {
		t.Fatalf("message %q does not name the row and the review", msg)
	}
	backwards := resolved
	backwards.ResolvedAt = at(-99)
	_, err = o.CreateIncidents(e.Ctx, Actor, []assay.ImportedIncident{closed, resolved, backwards})
	wantCode(t, err, assay.EINVALID, "resolved before contained")
	if !strings.Contains(assay.ErrorMessage(err), "Row 2") {
		t.Fatalf("message %q does not name row 2", assay.ErrorMessage(err))
	}
	early := resolved
	early.Status, early.ContainedAt, early.ResolvedAt = assay.IncidentTriaged, at(-98), nil
	_, err = o.CreateIncidents(e.Ctx, Actor, []assay.ImportedIncident{early})
	wantCode(t, err, assay.EINVALID, "containment time on a triaged incident")
	activity := len(e.Activity(o))
	if list := must(o.Incidents(e.Ctx, assay.IncidentFilter{})).get(t); len(list) != 0 {
		t.Fatalf("failed imports stored %d incidents", len(list))
	}

	list := must(o.CreateIncidents(e.Ctx, Actor, []assay.ImportedIncident{resolved, closed})).get(t)
	if len(list) != 2 || list[0].Status != assay.IncidentResolved || list[0].ResolvedAt == nil || !list[0].ResolvedAt.Equal(*at(-90)) ||
		list[0].CustomerNotifiedAt == nil || !list[0].ReportedAt.Equal(base.DetectedAt) || list[0].Review != nil {
		t.Fatalf("imported resolved = %+v", list[0])
	}
	c := list[1]
	if c.Status != assay.IncidentClosed || c.Review == nil || c.Review.RootCause != "Expired certificate." || !c.Review.ReviewedAt.Equal(*at(-80)) || c.Severity != "SEV3" {
		t.Fatalf("imported closed = %+v", c)
	}
	jsonEq(t, must(o.Incident(e.Ctx, c.ID)).get(t), c, "re-read")
	if tl := must(o.IncidentTimeline(e.Ctx, c.ID)).get(t); len(tl) != 1 || !strings.Contains(tl[0].Text, "imported as closed") {
		t.Fatalf("timeline = %+v", tl)
	}
	if n := len(e.Activity(o)) - activity; n != 2 {
		t.Fatalf("import added %d audit-trail entries, want 2", n)
	}
	if ca := must(o.CorrectiveActions(e.Ctx, assay.CorrectiveFilter{})).get(t); len(ca) != 0 {
		t.Fatalf("import opened corrective actions: %+v", ca)
	}
	// An imported closed incident counts as a tested process.
	rule := must(rules.IncidentRule(e.Ctx, o, now, assay.ReadinessRule{})).get(t)
	if why := rule.CriterionConditions[len(rule.CriterionConditions)-1]("CC7.4"); why != "" {
		t.Fatalf("CC7.4 after importing a reviewed incident: %q", why)
	}
}
