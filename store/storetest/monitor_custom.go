package storetest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

// Custom checks: made, changed and deleted per organisation.

func customCheck(id string) assay.Check {
	return assay.Check{ID: id, Title: "Ports closed", Kind: "host.port", Expr: "r.port != 23", Severity: assay.SeverityLow,
		Reason: "Telnet open on {{.Name}}", Remediation: "Close it.", Controls: []string{"AC-01"}}
}

func testMonitorCustomChecks(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	c := must(o.CreateCustomCheck(e.Ctx, Actor, customCheck("custom-telnet"))).get(t)
	if !c.Custom || c.ID != "custom-telnet" || !slices.Equal(c.Controls, []string{"AC-01"}) {
		t.Fatalf("created = %+v", c)
	}
	_, err := o.CreateCustomCheck(e.Ctx, Actor, customCheck("custom-telnet"))
	wantCode(t, err, assay.ECONFLICT, "duplicate id")
	for name, mod := range map[string]func(*assay.Check){
		"no prefix":       func(c *assay.Check) { c.ID = "telnet" },
		"upper case":      func(c *assay.Check) { c.ID = "custom-Telnet" },
		"no title":        func(c *assay.Check) { c.Title = " " },
		"no expr":         func(c *assay.Check) { c.Expr = "" },
		"bad severity":    func(c *assay.Check) { c.Severity = "urgent" },
		"no controls":     func(c *assay.Check) { c.Controls = nil },
		"unknown control": func(c *assay.Check) { c.Controls = []string{"ZZ-99"} },
	} {
		bad := customCheck("custom-other")
		mod(&bad)
		_, err := o.CreateCustomCheck(e.Ctx, Actor, bad)
		wantCode(t, err, assay.EINVALID, name)
	}
	upd := customCheck("ignored")
	upd.Title, upd.Controls = "Telnet closed", []string{"OP-01", "AC-01"}
	c = must(o.UpdateCustomCheck(e.Ctx, Actor, "custom-telnet", upd)).get(t)
	if c.ID != "custom-telnet" || c.Title != "Telnet closed" || len(c.Controls) != 2 {
		t.Fatalf("updated = %+v", c)
	}
	_, err = o.UpdateCustomCheck(e.Ctx, Actor, "custom-none", upd)
	wantCode(t, err, assay.ENOTFOUND, "update unknown")
	jsonEq(t, must(o.CustomChecks(e.Ctx)).get(t), []assay.Check{c}, "list")
	check(t, o.DeleteCustomCheck(e.Ctx, Actor, "custom-telnet"), "delete")
	wantCode(t, o.DeleteCustomCheck(e.Ctx, Actor, "custom-telnet"), assay.ENOTFOUND, "delete twice")
	if list := must(o.CustomChecks(e.Ctx)).get(t); len(list) != 0 {
		t.Fatalf("after delete = %+v", list)
	}
}

// testMonitorDeletedCheck: deleting a custom check keeps its history but
// ends what it says now: its results go, its open finding closes with its
// corrective action done, and a later run (even a failed one) does not
// open it again.
func testMonitorDeletedCheck(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	must(o.CreateCustomCheck(e.Ctx, Actor, customCheck("custom-telnet"))).get(t)
	must(o.CreateCustomCheck(e.Ctx, Actor, customCheck("custom-kept"))).get(t)
	src := e.newSource(o, "web")
	failedAt := e.Clock.Now()
	e.record(o, src, assay.RunOK, mresult("custom-telnet", "a", assay.CheckFail), mresult("custom-telnet", "b", assay.CheckPass),
		mresult("custom-kept", "b", assay.CheckFail), mresult("http-tls", "a", assay.CheckPass), mresult("custom-telnet", "c", assay.CheckFail))
	var f assay.Finding
	for _, x := range must(o.Findings(e.Ctx, true)).get(t) {
		if x.CheckID == "custom-telnet" {
			f = x
		}
	}
	if f.ID == 0 || f.Failing != 2 {
		t.Fatalf("finding before the delete = %+v", f)
	}
	before := len(e.Activity(o))
	deletedAt := e.Clock.Now()
	check(t, o.DeleteCustomCheck(e.Ctx, Actor, "custom-telnet"), "delete")

	if acts := e.Activity(o); len(acts) != before+1 || acts[0].Action != "monitor.check.delete" ||
		!strings.Contains(string(acts[0].After), fmt.Sprintf(`"closed_findings":[%d]`, f.ID)) {
		t.Fatalf("delete wrote %d entries, newest %+v", len(acts)-before, acts[0])
	}
	open := must(o.Findings(e.Ctx, true)).get(t)
	if len(open) != 1 || open[0].CheckID != "custom-kept" {
		t.Fatalf("open findings after the delete = %+v", open)
	}
	for _, x := range must(o.Findings(e.Ctx, false)).get(t) {
		if x.ID == f.ID && (x.ClosedAt == nil || !x.ClosedAt.Equal(deletedAt) || x.Failing != 0) {
			t.Fatalf("deleted check's finding = %+v", x)
		}
	}
	ca := must(o.CorrectiveAction(e.Ctx, f.CorrectiveActionID)).get(t)
	if ca.Status != assay.CorrectiveDone || !strings.Contains(ca.VerificationNotes, "deleted") {
		t.Fatalf("corrective action after the delete = %+v", ca)
	}
	if cur := must(o.CurrentResults(e.Ctx, assay.ResultFilter{CheckID: "custom-telnet"})).get(t); len(cur) != 0 {
		t.Fatalf("deleted check's current results = %+v", cur)
	}
	if cur := must(o.CurrentResults(e.Ctx, assay.ResultFilter{})).get(t); len(cur) != 2 {
		t.Fatalf("other current results = %+v", cur) // custom-kept on b, http-tls on a; c had only the deleted check
	}
	if fc := must(o.FailingByCheck(e.Ctx)).get(t); len(fc) != 1 || fc["custom-kept"] != 1 {
		t.Fatalf("failing by check = %v", fc)
	}
	h := must(o.CheckHistory(e.Ctx, "custom-telnet", src.ID, "a", Epoch, e.Clock.Now())).get(t)
	if len(h) != 2 || h[0].Status != assay.CheckFail || !h[0].At.Equal(failedAt) || h[1].Status != assay.CheckGone || !h[1].At.Equal(deletedAt) {
		t.Fatalf("history of the deleted check = %+v", h)
	}
	if s, _ := statusOf(o.StatusAt(e.Ctx, "custom-telnet", src.ID, "a", failedAt.Add(time.Minute))); s != assay.CheckFail {
		t.Fatalf("status before the delete = %q", s)
	}

	// A failed run keeps per-resource results but must not reopen the finding.
	e.record(o, src, assay.RunError, assay.CheckResult{CheckID: "http-tls", Status: assay.CheckError, Reason: "refused"})
	if open := must(o.Findings(e.Ctx, true)).get(t); len(open) != 1 || open[0].CheckID != "custom-kept" {
		t.Fatalf("open findings after a failed run = %+v", open)
	}
	// A complete run without the check changes nothing of it.
	_, ch := e.record(o, src, assay.RunOK, mresult("http-tls", "a", assay.CheckPass), mresult("custom-kept", "b", assay.CheckFail))
	if got := changeText(ch); got != "http-tls/:error>gone" {
		t.Fatalf("changes of the next run = %s", got)
	}
	// The same id again starts afresh.
	must(o.CreateCustomCheck(e.Ctx, Actor, customCheck("custom-telnet"))).get(t)
	_, ch = e.record(o, src, assay.RunOK, mresult("http-tls", "a", assay.CheckPass), mresult("custom-kept", "b", assay.CheckFail),
		mresult("custom-telnet", "a", assay.CheckFail))
	if got := changeText(ch); got != "custom-telnet/a:gone>fail" {
		t.Fatalf("changes after re-creating = %s", got)
	}
	if open := must(o.Findings(e.Ctx, true)).get(t); len(open) != 2 || open[0].ID == f.ID {
		t.Fatalf("open findings after re-creating = %+v", open)
	}
}
