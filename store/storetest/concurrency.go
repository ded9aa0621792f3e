package storetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/assay-platform/assay"
)

var concurrencyTests = []subtest{
	{"ConcurrentUpdates", testConcurrentUpdates},
	{"ConcurrentPatchesToOneControl", testConcurrentPatchesOneControl},
}

func testConcurrentUpdates(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	const workers, updates = 8, 20
	for w := range workers {
		must(os.CreateControl(e.Ctx, Actor, assay.NewCustomControl(fmt.Sprintf("CON-%d", w), "Concurrent", "", []string{"CC6.1"}))).get(t)
	}
	before := e.Activity(os)
	top := before[0].Seq

	errs := make(chan error, workers*updates+1)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("CON-%d", w)
			for i := range updates {
				actor := assay.Actor{UserID: int64(w + 1), Name: id, Via: "api"}
				if _, err := os.UpdateControl(e.Ctx, actor, id, assay.ControlPatch{Notes: ptr(fmt.Sprint(i))}); err != nil {
					errs <- fmt.Errorf("%s update %d: %w", id, i, err)
				}
			}
		}()
	}
	// A reader runs alongside the writers and must never fail.
	done := make(chan struct{})
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		for {
			select {
			case <-done:
				return
			default:
			}
			if _, err := os.Controls(e.Ctx, assay.ControlFilter{Query: "concurrent"}); err != nil {
				errs <- fmt.Errorf("reader: %w", err)
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	wg.Wait()
	close(done)
	<-readerDone
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		t.FailNow()
	}

	after := e.Activity(os)
	if grew := len(after) - len(before); grew != workers*updates {
		t.Fatalf("activity grew by %d, want %d", grew, workers*updates)
	}
	seen := map[int64]bool{}
	for i, a := range after {
		if seen[a.Seq] {
			t.Fatalf("seq %d appears twice", a.Seq)
		}
		seen[a.Seq] = true
		if i > 0 && a.Seq >= after[i-1].Seq {
			t.Fatalf("seq not strictly decreasing at %d: %d then %d", i, after[i-1].Seq, a.Seq)
		}
		if i < workers*updates && (a.Seq <= top || a.Action != "control.update") {
			t.Fatalf("new entry %d = %+v (previous newest seq %d)", i, a, top)
		}
	}
	// Each control's entries are its own, in the order they were made, and
	// each entry's before is the previous entry's after.
	for w := range workers {
		id := fmt.Sprintf("CON-%d", w)
		acts := must(os.Activity(e.Ctx, assay.ActivityFilter{ObjectType: "control", ObjectID: id, Limit: 1000})).get(t)
		if len(acts) != updates+1 { // and its creation
			t.Fatalf("%s has %d entries, want %d", id, len(acts), updates+1)
		}
		for i := range updates {
			a := acts[updates-1-i]
			var b, af assay.Control
			if json.Unmarshal(a.Before, &b) != nil || json.Unmarshal(a.After, &af) != nil {
				t.Fatalf("%s entry %d has bad JSON", id, i)
			}
			wantBefore := ""
			if i > 0 {
				wantBefore = fmt.Sprint(i - 1)
			}
			if a.Actor.Name != id || af.Notes != fmt.Sprint(i) || b.Notes != wantBefore {
				t.Fatalf("%s entry %d: before %q after %q by %s", id, i, b.Notes, af.Notes, a.Actor.Name)
			}
		}
		if c := e.Control(os, id); c.Notes != fmt.Sprint(updates-1) {
			t.Fatalf("%s notes = %q", id, c.Notes)
		}
	}
}

// Concurrent patches to one control must all land (no lost update), and
// the control's audit trail must chain: each entry's before is the
// previous one's after.
func testConcurrentPatchesOneControl(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	ann := e.User(os, "ann@example.com", assay.RoleMember)
	bob := e.User(os, "bob@example.com", assay.RoleMember)
	must(os.CreateControl(e.Ctx, Actor, assay.NewCustomControl("CUS-1", "Name", "", []string{"CC6.1"}))).get(t)
	const rounds = 10
	for r := range rounds {
		e.Clock.Advance(time.Minute)
		owner := []int64{ann.ID, bob.ID}[r%2]
		status := []assay.ControlStatus{assay.StatusInProgress, assay.StatusImplemented}[r%2]
		freq := []string{"monthly", "weekly"}[r%2]
		kind := []string{"detective", "corrective"}[r%2]
		crit := [][]string{{"CC6.2", "A1.1"}, {"CC1.1"}}[r%2]
		patches := []assay.ControlPatch{
			{Name: ptr(fmt.Sprint("name ", r))},
			{Description: ptr(fmt.Sprint("description ", r))},
			{Evidence: ptr(fmt.Sprint("evidence ", r))},
			{Notes: ptr(fmt.Sprint("notes ", r))},
			{Status: &status},
			{OwnerID: &owner},
			{Frequency: &freq},
			{Kind: &kind},
			{Criteria: &crit},
		}
		var wg sync.WaitGroup
		errs := make([]error, len(patches))
		for i, p := range patches {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = os.UpdateControl(e.Ctx, Actor, "CUS-1", p)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			check(t, err, "concurrent patch")
		}
		c := e.Control(os, "CUS-1")
		if c.Name != fmt.Sprint("name ", r) || c.Description != fmt.Sprint("description ", r) || c.Evidence != fmt.Sprint("evidence ", r) ||
			c.Notes != fmt.Sprint("notes ", r) || c.Status != status || c.OwnerID != owner || c.Frequency != freq || c.Kind != kind ||
			!slices.Equal(c.Criteria, crit) {
			t.Fatalf("round %d: a concurrent patch was lost: %+v", r, c)
		}
	}
	acts := must(os.Activity(e.Ctx, assay.ActivityFilter{ObjectType: "control", ObjectID: "CUS-1", Limit: 1000})).get(t)
	slices.Reverse(acts)
	for i := 1; i < len(acts); i++ {
		var prev, cur assay.Control
		if json.Unmarshal(acts[i-1].After, &prev) != nil || json.Unmarshal(acts[i].Before, &cur) != nil {
			t.Fatalf("entry %d has bad JSON", acts[i].Seq)
		}
		jsonEq(t, cur, prev, fmt.Sprintf("before of entry %d against after of entry %d", acts[i].Seq, acts[i-1].Seq))
	}
}
