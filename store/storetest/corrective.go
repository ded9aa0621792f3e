package storetest

import (
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
)

var correctiveTests = []subtest{
	{"CorrectiveActionLifecycle", testCorrectiveLifecycle},
	{"CorrectiveActionImportAllOrNothing", testCorrectiveImport},
	{"IncidentProcessReadiness", testIncidentReadiness},
}

func testCorrectiveLifecycle(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	sam := e.User(o, "sam@acme.example", assay.RoleMember)
	viewer := e.User(o, "vic@acme.example", assay.RoleViewer)
	_, err := o.CreateCorrectiveAction(e.Ctx, Actor, assay.NewCorrectiveAction{Title: "x", Action: "y", OwnerID: viewer.ID, DueDate: Epoch})
	wantCode(t, err, assay.EINVALID, "viewer as owner")
	c := must(o.CreateCorrectiveAction(e.Ctx, Actor, assay.NewCorrectiveAction{Source: assay.SourceAuditException, SourceRef: "Audit 1 / AC-01",
		Title: "Quarterly access review missed", Action: "Schedule reviews", OwnerID: sam.ID, DueDate: Epoch.AddDate(0, 0, 7)})).get(t)
	if c.Status != assay.CorrectiveOpen || c.OwnerName != sam.Name || c.Source != assay.SourceAuditException || c.Overdue(e.Clock.Now()) {
		t.Fatalf("created = %+v", c)
	}
	jsonEq(t, must(o.CorrectiveAction(e.Ctx, c.ID)).get(t), c, "re-read")
	e.Clock.Advance(9 * 24 * time.Hour)
	if !c.Overdue(e.Clock.Now()) {
		t.Fatal("not overdue after its due date")
	}
	if list := must(o.CorrectiveActions(e.Ctx, assay.CorrectiveFilter{Overdue: true})).get(t); len(list) != 1 {
		t.Fatalf("overdue list = %+v", list)
	}
	_, err = o.UpdateCorrectiveAction(e.Ctx, Actor, c.ID, assay.CorrectivePatch{Status: ptr(assay.CorrectiveVerified), VerificationNotes: ptr("ok")})
	wantCode(t, err, assay.ECONFLICT, "verify before done")
	c = must(o.UpdateCorrectiveAction(e.Ctx, assay.ActorFor(sam, "web"), c.ID, assay.CorrectivePatch{Status: ptr(assay.CorrectiveDone)})).get(t)
	_, err = o.UpdateCorrectiveAction(e.Ctx, Actor, c.ID, assay.CorrectivePatch{Status: ptr(assay.CorrectiveVerified)})
	wantCode(t, err, assay.EINVALID, "verify without notes")
	c = must(o.UpdateCorrectiveAction(e.Ctx, Actor, c.ID, assay.CorrectivePatch{Status: ptr(assay.CorrectiveVerified), VerificationNotes: ptr("Two reviews held on time.")})).get(t)
	if c.Status != assay.CorrectiveVerified || c.VerifiedAt == nil || c.VerifiedByName != Actor.Name || c.VerificationNotes != "Two reviews held on time." || c.Overdue(e.Clock.Now()) {
		t.Fatalf("verified = %+v", c)
	}
	_, err = o.UpdateCorrectiveAction(e.Ctx, Actor, c.ID, assay.CorrectivePatch{Status: ptr(assay.CorrectiveStatus("nope"))})
	wantCode(t, err, assay.EINVALID, "unknown status")
	if n := len(e.Activity(o)); n < 4 {
		t.Fatalf("activity entries = %d", n)
	}
}

func testCorrectiveImport(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	good := assay.NewCorrectiveAction{Title: "Backups untested", Action: "Run a restore test", DueDate: Epoch}
	_, err := o.ImportCorrectiveActions(e.Ctx, Actor, []assay.NewCorrectiveAction{good, {Title: "No action", DueDate: Epoch}})
	wantCode(t, err, assay.EINVALID, "bad row")
	if !strings.Contains(assay.ErrorMessage(err), "Row 1") {
		t.Fatalf("message %q does not name the row", assay.ErrorMessage(err))
	}
	_, err = o.ImportCorrectiveActions(e.Ctx, Actor, []assay.NewCorrectiveAction{good, {Title: "x", Action: "y", OwnerID: 999, DueDate: Epoch}})
	wantCode(t, err, assay.EINVALID, "unknown owner")
	if list := must(o.CorrectiveActions(e.Ctx, assay.CorrectiveFilter{})).get(t); len(list) != 0 {
		t.Fatalf("failed import stored %d rows", len(list))
	}
	list := must(o.ImportCorrectiveActions(e.Ctx, Actor, []assay.NewCorrectiveAction{good, good})).get(t)
	if len(list) != 2 || list[0].Source != assay.SourceManual {
		t.Fatalf("imported = %+v", list)
	}
}

func testIncidentReadiness(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	met := func() string {
		rule := must(rules.IncidentRule(e.Ctx, o, e.Clock.Now(), assay.ReadinessRule{})).get(t)
		var why []string
		for _, c := range rule.CriterionConditions {
			why = append(why, c("CC7.4"))
		}
		return strings.Join(why, "")
	}
	if met() == "" {
		t.Fatal("CC7.4 met without a tested incident process")
	}
	i := e.incident(o, "Tabletop: lost laptop", true)
	i = must(o.MoveIncident(e.Ctx, Actor, i.ID, assay.IncidentMove{Status: assay.IncidentTriaged, Severity: "SEV3"})).get(t)
	i = must(o.MoveIncident(e.Ctx, Actor, i.ID, assay.IncidentMove{Status: assay.IncidentContained})).get(t)
	i = must(o.MoveIncident(e.Ctx, Actor, i.ID, assay.IncidentMove{Status: assay.IncidentResolved})).get(t)
	_, _, err := o.ReviewIncident(e.Ctx, Actor, i.ID, assay.NewIncidentReview{RootCause: "Exercise", WentWell: "Runbook worked", Improvements: []string{"Add MDM wipe step"}}, 0, Epoch.AddDate(0, 1, 0))
	check(t, err, "review")
	if why := met(); why != "" {
		t.Fatalf("CC7.4 not met after a reviewed exercise: %s", why)
	}
	e.Clock.Advance(366 * 24 * time.Hour)
	if met() == "" {
		t.Fatal("CC7.4 still met 13 months later")
	}
}
