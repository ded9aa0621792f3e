package storetest

import (
	"time"

	"github.com/assay-platform/assay"
)

// testAvailabilityLocations: results labelled by location keep each
// location's own state and per-minute roll-ups; the service is down only
// when every reporting location has confirmed the failure, from when the
// last of them began to fail.
func testAvailabilityLocations(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	s := e.service(o, "api", 1) // a location confirms on its second failure in a row
	at := Epoch
	rec := func(loc string, out assay.ProbeOutcome) assay.ProbeRecord {
		t.Helper()
		r := probe(s.ID, at, out, 30)
		r.Location = loc
		return must(o.RecordProbe(e.Ctx, r)).get(t)
	}
	next := func() { at = at.Add(time.Minute) }

	rec("eu-west", assay.OutcomeUp)
	rec("us-east", assay.OutcomeUp)
	next()
	// us-east cannot reach it, twice: confirmed there, yet eu-west
	// reaches it, so the service is up.
	for range 2 {
		if r := rec("us-east", assay.OutcomeDown); r.Service.State != assay.StateUp || r.WentDown {
			t.Fatalf("one location failing = %+v", r.Service)
		}
		if r := rec("eu-west", assay.OutcomeUp); r.Service.State != assay.StateUp {
			t.Fatalf("eu-west up = %+v", r.Service)
		}
		next()
	}
	locs := must(o.ServiceLocations(e.Ctx, s.ID)).get(t)
	if len(locs) != 2 || locs[0].Location != "eu-west" || locs[1].Location != "us-east" || locs[1].FailStreak != 2 ||
		locs[1].LastOutcome != assay.OutcomeDown || locs[0].LastOutcome != assay.OutcomeUp || locs[1].FailSince == nil {
		t.Fatalf("locations = %+v", locs)
	}
	// Now eu-west fails too: its first failure confirms nothing yet, its
	// second makes the service down since eu-west began to fail.
	euFails := at
	if r := rec("eu-west", assay.OutcomeDown); r.Service.State != assay.StateUp || r.WentDown {
		t.Fatalf("first eu-west failure = %+v", r.Service)
	}
	rec("us-east", assay.OutcomeDown)
	next()
	r := rec("eu-west", assay.OutcomeDown)
	if !r.WentDown || r.Service.State != assay.StateDown || !r.Service.StateSince.Equal(euFails) || r.PeriodID == 0 {
		t.Fatalf("confirmed everywhere = %+v (since %v, want %v)", r, r.Service.StateSince, euFails)
	}
	if r.Service.Retries != 1 {
		t.Fatalf("the service's retries changed to %d", r.Service.Retries)
	}
	next()
	// One location reaching it again ends the downtime.
	r = rec("us-east", assay.OutcomeUp)
	if !r.Recovered || r.Service.State != assay.StateUp || r.DownPeriod == nil || !r.DownPeriod.StartedAt.Equal(euFails) {
		t.Fatalf("recovery = %+v", r)
	}
	periods := must(o.StatusPeriods(e.Ctx, s.ID, Epoch, at.Add(time.Hour))).get(t)
	if len(periods) != 1 || periods[0].State != assay.StateDown || !periods[0].EndedAt.Equal(at) {
		t.Fatalf("periods = %+v", periods)
	}
	// A location that stopped reporting no longer counts: with us-east
	// silent for longer than three intervals, eu-west alone decides.
	at = at.Add(5 * time.Minute)
	rec("eu-west", assay.OutcomeDown)
	next()
	if r := rec("eu-west", assay.OutcomeDown); r.Service.State != assay.StateDown {
		t.Fatalf("the only reporting location confirmed = %+v", r.Service)
	}

	// Raw results and per-minute roll-ups carry their location.
	raw := must(o.ProbeResults(e.Ctx, s.ID, Epoch, at.Add(time.Minute), 0)).get(t)
	if len(raw) != 12 || raw[0].Location != "eu-west" {
		t.Fatalf("raw = %d %+v", len(raw), raw[0])
	}
	mins := must(o.MinuteRollups(e.Ctx, s.ID, Epoch, Epoch.Add(time.Minute))).get(t)
	if len(mins) != 2 || mins[0].Location != "eu-west" || mins[1].Location != "us-east" || mins[0].Up != 1 || mins[0].P50 == 0 {
		t.Fatalf("first minute = %+v", mins)
	}
	// A bad location name changes nothing.
	bad := probe(s.ID, at.Add(time.Minute), assay.OutcomeUp, 1)
	bad.Location = "EU West!"
	if _, err := o.RecordProbe(e.Ctx, bad); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("bad location: %v", err)
	}
	if again := must(o.ProbeResults(e.Ctx, s.ID, Epoch, at.Add(time.Hour), 0)).get(t); len(again) != len(raw) {
		t.Fatalf("a refused result was recorded: %d", len(again))
	}
	// Another organisation's service is not found.
	_, other := e.Org("globex")
	if _, err := other.ServiceLocations(e.Ctx, s.ID); assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Fatalf("locations across organisations: %v", err)
	}
	if _, err := other.MinuteRollups(e.Ctx, s.ID, Epoch, at); assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Fatalf("minutes across organisations: %v", err)
	}
}

// testAvailabilityLocationClaims: each named location claims every
// enabled service once per interval, apart from the others and from the
// unnamed cluster-wide claim.
func testAvailabilityLocationClaims(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	a := e.service(o, "a", 0)
	b := e.service(o, "b", 0)
	off := e.service(o, "c", 0)
	off.Enabled = false
	must(o.UpdateService(e.Ctx, Actor, off.ID, off)).get(t)
	ids := func(list []assay.Service) []int64 {
		var out []int64
		for _, s := range list {
			out = append(out, s.ID)
		}
		return out
	}
	eu := must(e.Store.ClaimDueServicesFrom(e.Ctx, "eu-west", Epoch, 0)).get(t)
	us := must(e.Store.ClaimDueServicesFrom(e.Ctx, "us-east", Epoch, 0)).get(t)
	if len(eu) != 2 || len(us) != 2 {
		t.Fatalf("eu %v, us %v", ids(eu), ids(us))
	}
	if again := must(e.Store.ClaimDueServicesFrom(e.Ctx, "eu-west", Epoch.Add(59*time.Second), 0)).get(t); len(again) != 0 {
		t.Fatalf("eu-west claimed twice in one interval: %v", ids(again))
	}
	// The unnamed claim is the cluster's own schedule, untouched.
	if all := must(e.Store.ClaimDueServicesFrom(e.Ctx, "", Epoch, 0)).get(t); len(all) != 2 {
		t.Fatalf("unnamed claim = %v", ids(all))
	}
	b.IntervalSecs = 120
	must(o.UpdateService(e.Ctx, Actor, b.ID, b)).get(t)
	next := must(e.Store.ClaimDueServicesFrom(e.Ctx, "eu-west", Epoch.Add(time.Minute), 0)).get(t)
	if len(next) != 2 { // both were due a minute after the first claim
		t.Fatalf("next eu-west = %v", ids(next))
	}
	if later := must(e.Store.ClaimDueServicesFrom(e.Ctx, "eu-west", Epoch.Add(2*time.Minute), 0)).get(t); len(later) != 1 || later[0].ID != a.ID {
		t.Fatalf("after two minutes, eu-west claims only the one-minute service: %v", ids(later))
	}
	if _, err := e.Store.ClaimDueServicesFrom(e.Ctx, "Not A Place", Epoch, 0); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("bad location: %v", err)
	}
}
