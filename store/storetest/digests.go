package storetest

import (
	"sync"
	"time"

	"github.com/assay-platform/assay"
)

var digestTests = []subtest{
	{"DigestSettingsAndPrefs", testDigestSettingsAndPrefs},
	{"DigestClaimOnce", testDigestClaimOnce},
	{"DigestKeyOnce", testDigestKeyOnce},
}

func testDigestSettingsAndPrefs(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	_, other := e.Org("other")
	u := e.User(o, "ann@acme.test", assay.RoleMember)
	s, err := o.DigestSettings(e.Ctx)
	check(t, err, "default settings")
	if s.Frequency != assay.DigestWeekly || s.Weekday != time.Monday || s.UpdatedAt != nil {
		t.Fatalf("default settings = %+v", s)
	}
	_, err = o.UpdateDigestSettings(e.Ctx, Actor, assay.DigestSettings{Frequency: "hourly"})
	wantCode(t, err, assay.EINVALID, "bad frequency")
	_, err = o.UpdateDigestSettings(e.Ctx, Actor, assay.DigestSettings{Frequency: assay.DigestDaily, Hour: 7, Timezone: "America/New_York",
		OptOut: []string{assay.DigestRiskReviews}})
	check(t, err, "save settings")
	s, err = o.DigestSettings(e.Ctx)
	check(t, err, "read settings")
	if s.Frequency != assay.DigestDaily || s.Hour != 7 || s.Timezone != "America/New_York" || len(s.OptOut) != 1 || s.UpdatedAt == nil {
		t.Fatalf("settings = %+v", s)
	}
	if s, _ := other.DigestSettings(e.Ctx); s.Frequency != assay.DigestWeekly {
		t.Fatalf("another organisation's settings changed: %+v", s)
	}
	p, err := o.DigestPrefs(e.Ctx, u.ID)
	check(t, err, "empty prefs")
	if p.UpdatedAt != nil || p.Frequency != "" {
		t.Fatalf("empty prefs = %+v", p)
	}
	fri := time.Friday
	_, err = o.UpdateDigestPrefs(e.Ctx, Actor, assay.DigestPrefs{UserID: u.ID, Frequency: assay.DigestWeekly, Weekday: &fri, OptOut: []string{assay.DigestTraining, assay.DigestEvidence}})
	check(t, err, "save prefs")
	p, err = o.DigestPrefs(e.Ctx, u.ID)
	check(t, err, "read prefs")
	if p.Frequency != assay.DigestWeekly || p.Weekday == nil || *p.Weekday != fri || len(p.OptOut) != 2 || p.OptOut[0] != assay.DigestTraining {
		t.Fatalf("prefs = %+v", p)
	}
	_, err = other.UpdateDigestPrefs(e.Ctx, Actor, assay.DigestPrefs{UserID: u.ID, Frequency: assay.DigestOff})
	wantCode(t, err, assay.ENOTFOUND, "prefs of another organisation's user")
	all, err := o.AllDigestPrefs(e.Ctx)
	check(t, err, "all prefs")
	if len(all) != 1 || all[u.ID].Frequency != assay.DigestWeekly {
		t.Fatalf("all prefs = %+v", all)
	}
	acts, err := o.Activity(e.Ctx, assay.ActivityFilter{})
	check(t, err, "activity")
	seen := map[string]bool{}
	for _, a := range acts {
		seen[a.Action] = true
	}
	if !seen["digest_settings.update"] || !seen["digest_prefs.update"] {
		t.Fatalf("changes not in the trail: %v", seen)
	}
}

func testDigestClaimOnce(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	_, other := e.Org("other")
	u := e.User(o, "ann@acme.test", assay.RoleEmployee)
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := o.ClaimDigest(e.Ctx, u.ID, "daily:2028-02-29")
			if err != nil {
				t.Errorf("claim: %v", err)
			}
			if ok {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d claims won, want 1", wins)
	}
	_, err := other.ClaimDigest(e.Ctx, u.ID, "daily:2028-03-01")
	wantCode(t, err, assay.ENOTFOUND, "claim for another organisation's user")
	wantCode(t, o.FinishDigest(e.Ctx, Actor, assay.DigestSend{UserID: u.ID, Period: "daily:2028-03-01", Status: assay.DigestSent}), assay.ECONFLICT, "finish unclaimed")
	check(t, o.FinishDigest(e.Ctx, Actor, assay.DigestSend{UserID: u.ID, Period: "daily:2028-02-29", Status: assay.DigestSent, Items: 3}), "finish")
	wantCode(t, o.FinishDigest(e.Ctx, Actor, assay.DigestSend{UserID: u.ID, Period: "daily:2028-02-29", Status: assay.DigestSent}), assay.ECONFLICT, "finish twice")
	if ok, err := o.ClaimDigest(e.Ctx, u.ID, "daily:2028-02-29"); ok || err != nil {
		t.Fatalf("claim after sending = %v, %v", ok, err)
	}
	log, err := o.DigestSends(e.Ctx, u.ID, 10)
	check(t, err, "log")
	if len(log) != 1 || log[0].Status != assay.DigestSent || log[0].Items != 3 || log[0].FinishedAt == nil {
		t.Fatalf("log = %+v", log)
	}
}

func testDigestKeyOnce(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	_, err := o.DigestKey(e.Ctx, "")
	wantCode(t, err, assay.ENOTFOUND, "no key yet")
	k1, err := o.DigestKey(e.Ctx, "sealed-1")
	check(t, err, "first key")
	k2, err := o.DigestKey(e.Ctx, "sealed-2")
	check(t, err, "second key")
	if k1 != "sealed-1" || k2 != "sealed-1" {
		t.Fatalf("keys = %q, %q; the first one stays", k1, k2)
	}
}
