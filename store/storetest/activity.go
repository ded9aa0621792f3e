package storetest

import (
	"fmt"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

var activityTests = []subtest{
	{"ActivityNewestFirst", testActivityOrder},
	{"ActivityFilterByObject", testActivityFilter},
	{"ActivityPaging", testActivityPaging},
	{"ActivityDefaultLimit", testActivityDefaultLimit},
}

func testActivityOrder(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	for i, id := range []string{"AC-01", "AV-01", "GV-01"} {
		e.Clock.Advance(time.Minute)
		actor := assay.Actor{UserID: int64(i + 1), Name: "Person " + id, Via: "api"}
		must(os.UpdateControl(e.Ctx, actor, id, assay.ControlPatch{Notes: ptr("note " + id)})).get(t)
	}
	acts := e.Activity(os)
	if len(acts) != 5 {
		t.Fatalf("entries = %d, want 5", len(acts))
	}
	for i, want := range []string{"GV-01", "AV-01", "AC-01"} {
		a := acts[i]
		at := Epoch.Add(time.Duration(3-i) * time.Minute)
		if a.ObjectID != want || a.Action != "control.update" || !a.At.Equal(at) || a.Actor.Name != "Person "+want ||
			a.Actor.UserID != int64(3-i) || a.Actor.Via != "api" {
			t.Fatalf("entry %d = %+v, want %s at %v", i, a, want, at)
		}
	}
	for i := 1; i < len(acts); i++ {
		if acts[i].Seq >= acts[i-1].Seq {
			t.Fatalf("seq not strictly decreasing: %d then %d", acts[i-1].Seq, acts[i].Seq)
		}
	}
}

func testActivityFilter(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	for i := range 3 {
		e.Update(os, "AC-01", assay.ControlPatch{Notes: ptr(fmt.Sprint("a", i))})
		e.Update(os, "AV-01", assay.ControlPatch{Notes: ptr(fmt.Sprint("b", i))})
	}
	e.User(os, "ann@example.com", assay.RoleAdmin)
	count := func(f assay.ActivityFilter, want int, check func(assay.Activity) bool) {
		t.Helper()
		got := must(os.Activity(e.Ctx, f)).get(t)
		if len(got) != want {
			t.Fatalf("filter %+v: %d entries, want %d", f, len(got), want)
		}
		for _, a := range got {
			if !check(a) {
				t.Fatalf("filter %+v returned %+v", f, a)
			}
		}
	}
	count(assay.ActivityFilter{ObjectType: "control", ObjectID: "AC-01"}, 3, func(a assay.Activity) bool { return a.ObjectID == "AC-01" })
	count(assay.ActivityFilter{ObjectType: "control"}, 6, func(a assay.Activity) bool { return a.ObjectType == "control" })
	count(assay.ActivityFilter{ObjectType: "organization"}, 2, func(a assay.Activity) bool { return a.ObjectType == "organization" })
	count(assay.ActivityFilter{ObjectType: "user"}, 1, func(a assay.Activity) bool { return a.Action == "user.create" })
	count(assay.ActivityFilter{ObjectID: "AV-01"}, 3, func(a assay.Activity) bool { return a.ObjectID == "AV-01" })
	count(assay.ActivityFilter{ObjectType: "user", ObjectID: "AC-01"}, 0, nil)
	count(assay.ActivityFilter{ObjectType: "control", ObjectID: "ZZ-99"}, 0, nil)
	// Who, what, words in the summary and dates. LIKE's wildcards in the
	// text are matched as themselves.
	count(assay.ActivityFilter{Actor: strings.ToUpper(Actor.Name[:4])}, len(e.Activity(os)), func(a assay.Activity) bool { return a.Actor.Name == Actor.Name })
	count(assay.ActivityFilter{Actor: "nobody"}, 0, nil)
	count(assay.ActivityFilter{Action: "control.update"}, 6, func(a assay.Activity) bool { return a.Action == "control.update" })
	area := 0
	for _, a := range e.Activity(os) {
		if strings.HasPrefix(a.Action, "control.") {
			area++
		}
	}
	count(assay.ActivityFilter{Action: "control."}, area, func(a assay.Activity) bool { return strings.HasPrefix(a.Action, "control.") })
	count(assay.ActivityFilter{Action: "contr"}, 0, nil)
	count(assay.ActivityFilter{Action: "%."}, 0, nil)
	count(assay.ActivityFilter{Query: "ANN@EXAMPLE"}, 1, func(a assay.Activity) bool { return a.Action == "user.create" })
	count(assay.ActivityFilter{Query: "_"}, 0, nil)
	now := e.Clock.Now()
	count(assay.ActivityFilter{ObjectType: "control", From: now.Add(-time.Hour), To: now.Add(time.Hour)}, 6, func(a assay.Activity) bool { return a.ObjectType == "control" })
	count(assay.ActivityFilter{ObjectType: "control", From: now.Add(time.Hour)}, 0, nil)
	count(assay.ActivityFilter{ObjectType: "control", To: now.Add(-time.Hour)}, 0, nil)
	// Filtered and paged together.
	first := must(os.Activity(e.Ctx, assay.ActivityFilter{ObjectID: "AC-01", Limit: 2})).get(t)
	rest := must(os.Activity(e.Ctx, assay.ActivityFilter{ObjectID: "AC-01", Limit: 2, BeforeSeq: first[1].Seq})).get(t)
	if len(first) != 2 || len(rest) != 1 || rest[0].ObjectID != "AC-01" || rest[0].Seq >= first[1].Seq {
		t.Fatalf("filtered pages = %s / %s", sprint(first), sprint(rest))
	}
}

func testActivityPaging(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	for i := range 10 {
		e.Update(os, LibraryIDs[i%len(LibraryIDs)], assay.ControlPatch{Notes: ptr(fmt.Sprint("n", i))})
	}
	all := must(os.Activity(e.Ctx, assay.ActivityFilter{Limit: 1000})).get(t)
	if len(all) != 12 {
		t.Fatalf("entries = %d, want 12", len(all))
	}
	var paged []assay.Activity
	f := assay.ActivityFilter{Limit: 5}
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		page := must(os.Activity(e.Ctx, f)).get(t)
		if len(page) > 5 {
			t.Fatalf("page of %d entries with limit 5", len(page))
		}
		paged = append(paged, page...)
		if len(page) < 5 {
			break
		}
		f.BeforeSeq = page[len(page)-1].Seq
	}
	jsonEq(t, paged, all, "paged trail")
	if got := must(os.Activity(e.Ctx, assay.ActivityFilter{Limit: 3})).get(t); len(got) != 3 || got[0].Seq != all[0].Seq {
		t.Fatalf("limit 3 = %s", sprint(got))
	}
	if got := must(os.Activity(e.Ctx, assay.ActivityFilter{BeforeSeq: all[len(all)-1].Seq})).get(t); len(got) != 0 {
		t.Fatalf("before the oldest = %s", sprint(got))
	}
	if got := must(os.Activity(e.Ctx, assay.ActivityFilter{BeforeSeq: all[0].Seq})).get(t); len(got) != 11 || got[0].Seq != all[1].Seq {
		t.Fatalf("before the newest = %d entries", len(got))
	}
}

func testActivityDefaultLimit(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	for i := range 100 {
		e.Update(os, "AC-01", assay.ControlPatch{Notes: ptr(fmt.Sprint(i))})
	}
	if n := len(e.Activity(os)); n != 102 {
		t.Fatalf("entries = %d, want 102", n)
	}
	got := must(os.Activity(e.Ctx, assay.ActivityFilter{})).get(t)
	if len(got) != 100 || got[0].Action != "control.update" {
		t.Fatalf("without a limit: %d entries, want the newest 100", len(got))
	}
}
