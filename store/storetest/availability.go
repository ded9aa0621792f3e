package storetest

import (
	"fmt"
	"sync"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

var availabilityTests = []subtest{
	{"AvailabilityServices", testAvailabilityServices},
	{"AvailabilityProbesAndPeriods", testAvailabilityProbes},
	{"AvailabilityMaintenance", testAvailabilityMaintenance},
	{"AvailabilityClaimAndPrune", testAvailabilityClaim},
	{"AvailabilityTenancy", testAvailabilityTenancy},
	{"AvailabilityClaimsRace", testAvailabilityClaimsRace},
	{"AvailabilityLocations", testAvailabilityLocations},
	{"AvailabilityLocationClaims", testAvailabilityLocationClaims},
}

// testAvailabilityClaimsRace: several probers claiming at once claim each
// due service once per interval between them.
func testAvailabilityClaimsRace(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	for i := range 20 {
		e.service(o, fmt.Sprintf("svc%02d", i), 0)
	}
	for round := range 3 {
		now := Epoch.Add(time.Duration(round) * time.Minute)
		var mu sync.Mutex
		seen := map[int64]int{}
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 3 {
					got, err := e.Store.ClaimDueServices(e.Ctx, now, 7)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					for _, s := range got {
						seen[s.ID]++
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(seen) != 20 {
			t.Fatalf("round %d: %d services claimed, want 20", round, len(seen))
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("round %d: service %d claimed %d times", round, id, n)
			}
		}
	}
}

func (e *Env) service(o store.OrgStore, name string, retries int) assay.Service {
	e.T.Helper()
	return must(o.CreateService(e.Ctx, Actor, assay.Service{Name: name, Kind: assay.ProbeHTTP, Target: "https://" + name + ".example.com/health",
		ExpectStatus: 200, Retries: retries, SLATarget: 99.95, Enabled: true, Public: true})).get(e.T)
}

func (e *Env) activityCount(o store.OrgStore) int {
	e.T.Helper()
	return len(must(o.Activity(e.Ctx, assay.ActivityFilter{Limit: 1000})).get(e.T))
}

func testAvailabilityServices(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	s := e.service(o, "api", 2)
	if s.ID == 0 || s.IntervalSecs != 60 || s.TimeoutSecs != 10 || s.IncidentAfterS != 300 || s.State != assay.StatePending ||
		!s.NextProbeAt.Equal(Epoch) || s.SLATarget != 99.95 || !s.Public || !s.Enabled {
		t.Fatalf("created = %+v", s)
	}
	jsonEq(t, must(o.Service(e.Ctx, s.ID)).get(t), s, "re-read")
	_, err := o.CreateService(e.Ctx, Actor, assay.Service{Name: "api", Kind: assay.ProbeTCP, Target: "db.internal:5432", Enabled: true})
	wantCode(t, err, assay.ECONFLICT, "duplicate name")
	for what, bad := range map[string]assay.Service{
		"interval below 10 s": {Name: "x", Kind: assay.ProbeTCP, Target: "h:1", IntervalSecs: 5},
		"tcp without port":    {Name: "x", Kind: assay.ProbeTCP, Target: "h"},
		"http not a URL":      {Name: "x", Kind: assay.ProbeHTTP, Target: "ftp://h"},
		"unknown kind":        {Name: "x", Kind: "icmp", Target: "h"},
		"keyword on dns":      {Name: "x", Kind: assay.ProbeDNS, Target: "example.com", Keyword: "ok"},
		"SLA over 100":        {Name: "x", Kind: assay.ProbeDNS, Target: "example.com", SLATarget: 100.5},
	} {
		_, err := o.CreateService(e.Ctx, Actor, bad)
		wantCode(t, err, assay.EINVALID, what)
	}
	s.IntervalSecs, s.Name = 30, "public api"
	u := must(o.UpdateService(e.Ctx, Actor, s.ID, s)).get(t)
	if u.IntervalSecs != 30 || u.Name != "public api" {
		t.Fatalf("updated = %+v", u)
	}
	e.service(o, "db", 0)
	list := must(o.Services(e.Ctx)).get(t)
	if len(list) != 2 || list[0].Name != "db" || list[1].Name != "public api" {
		t.Fatalf("list = %+v", list)
	}
	acts := must(o.Activity(e.Ctx, assay.ActivityFilter{Limit: 50})).get(t)
	seen := map[string]bool{}
	for _, a := range acts {
		seen[a.Action] = true
	}
	if !seen["availability.service.create"] || !seen["availability.service.update"] {
		t.Fatalf("activity = %+v", acts)
	}
	check(t, o.DeleteService(e.Ctx, Actor, u.ID), "delete")
	_, err = o.Service(e.Ctx, u.ID)
	wantCode(t, err, assay.ENOTFOUND, "deleted")
	db := list[0]
	must(o.RecordProbe(e.Ctx, probe(db.ID, Epoch, assay.OutcomeUp, 5))).get(t)
	wantCode(t, o.DeleteService(e.Ctx, Actor, db.ID), assay.ECONFLICT, "delete a probed service")
}

func probe(id int64, at time.Time, out assay.ProbeOutcome, ms int) assay.ProbeResult {
	r := assay.ProbeResult{ServiceID: id, At: at, Outcome: out, LatencyMS: ms}
	if out == assay.OutcomeDown {
		r.Error = "connection refused"
	}
	return r
}

func testAvailabilityProbes(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	s := e.service(o, "api", 2)
	acts := e.activityCount(o)
	at := Epoch
	rec := func(out assay.ProbeOutcome, ms int) assay.ProbeRecord {
		t.Helper()
		r := must(o.RecordProbe(e.Ctx, probe(s.ID, at, out, ms))).get(t)
		at = at.Add(time.Minute)
		return r
	}
	for range 3 {
		if r := rec(assay.OutcomeUp, 40); r.Service.State != assay.StateUp || r.WentDown {
			t.Fatalf("up probe = %+v", r)
		}
	}
	if n := e.activityCount(o); n != acts {
		t.Fatalf("probes wrote %d activity entries; a measurement writes none", n-acts)
	}
	// Two failures are retries; the third makes it down, since the first.
	firstFail := at
	for range 2 {
		if r := rec(assay.OutcomeDown, 3000); r.Service.State != assay.StateUp || r.WentDown {
			t.Fatalf("retry = %+v", r)
		}
	}
	r := rec(assay.OutcomeDown, 3000)
	if !r.WentDown || r.Service.State != assay.StateDown || !r.Service.StateSince.Equal(firstFail) || r.PeriodID == 0 {
		t.Fatalf("down = %+v", r)
	}
	rec(assay.OutcomeDown, 3000)
	e.Clock.T = at
	inc, opened, err := o.OpenDowntimeIncident(e.Ctx, Actor, r.PeriodID, assay.NewIncident{Title: "api down", OccurredAt: firstFail, DetectedAt: at}, "Detected")
	check(t, err, "open incident")
	again, openedAgain, err := o.OpenDowntimeIncident(e.Ctx, Actor, r.PeriodID, assay.NewIncident{Title: "api down", OccurredAt: firstFail, DetectedAt: at}, "")
	check(t, err, "open incident again")
	if !opened || openedAgain || again.ID != inc.ID {
		t.Fatalf("incident opened twice: %v %v %d %d", opened, openedAgain, inc.ID, again.ID)
	}
	if tl := must(o.IncidentTimeline(e.Ctx, inc.ID)).get(t); len(tl) != 2 || tl[1].Text != "Detected" {
		t.Fatalf("timeline = %+v", tl)
	}
	if got := must(o.Service(e.Ctx, s.ID)).get(t); got.IncidentID != inc.ID {
		t.Fatalf("service incident = %d", got.IncidentID)
	}
	recovered := at
	r = rec(assay.OutcomeUp, 50)
	if !r.Recovered || r.EndedIncidentID != inc.ID || r.DownPeriod == nil || !r.DownPeriod.StartedAt.Equal(firstFail) ||
		!r.DownPeriod.EndedAt.Equal(recovered) || r.Service.IncidentID != 0 || r.Service.State != assay.StateUp {
		t.Fatalf("recovered = %+v %+v", r, r.DownPeriod)
	}
	// Unknown results open an unknown period and forget the retries.
	rec(assay.OutcomeDown, 1)
	unknownAt := at
	rec(assay.OutcomeUnknown, 0)
	rec(assay.OutcomeUnknown, 0)
	rec(assay.OutcomeDown, 1)
	if got := must(o.Service(e.Ctx, s.ID)).get(t); got.State != assay.StateUnknown || got.FailStreak != 1 {
		t.Fatalf("after unknown = %+v", got)
	}
	backAt := at
	rec(assay.OutcomeUp, 30)

	periods := must(o.StatusPeriods(e.Ctx, s.ID, Epoch, at)).get(t)
	if len(periods) != 2 || periods[0].State != assay.StateDown || !periods[0].StartedAt.Equal(firstFail) || !periods[0].EndedAt.Equal(recovered) ||
		periods[0].IncidentID != inc.ID || periods[1].State != assay.StateUnknown || !periods[1].StartedAt.Equal(unknownAt) || !periods[1].EndedAt.Equal(backAt) {
		t.Fatalf("periods = %+v", periods)
	}
	if n := e.activityCount(o); n != acts+3 { // down, up, incident link (plus the incident itself)
		if n != acts+4 {
			t.Fatalf("activity entries = %d more, want the state changes only", n-acts)
		}
	}

	hours := must(o.Rollups(e.Ctx, s.ID, true, Epoch, Epoch.Add(2*time.Hour))).get(t)
	if len(hours) != 1 || hours[0].Probes != 13 || hours[0].Up != 5 || hours[0].Down != 6 || hours[0].Unknown != 2 || hours[0].P50 == 0 || hours[0].P99 <= 2000 {
		t.Fatalf("hourly = %+v", hours)
	}
	days := must(o.Rollups(e.Ctx, s.ID, false, Epoch.Truncate(24*time.Hour), Epoch.Add(24*time.Hour))).get(t)
	if len(days) != 1 || days[0].Probes != 13 {
		t.Fatalf("daily = %+v", days)
	}
	raw := must(o.ProbeResults(e.Ctx, s.ID, Epoch, at, 0)).get(t)
	if len(raw) != 13 || !raw[0].At.Equal(backAt) || raw[0].Outcome != assay.OutcomeUp || raw[len(raw)-1].LatencyMS != 40 {
		t.Fatalf("raw = %+v", raw)
	}
	if raw[4].Error == "" {
		t.Fatalf("a failed probe keeps its error: %+v", raw[4])
	}
}

func testAvailabilityMaintenance(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	s := e.service(o, "api", 0)
	_, err := o.CreateMaintenance(e.Ctx, Actor, assay.MaintenanceWindow{ServiceID: s.ID, StartsAt: Epoch.Add(-time.Hour), EndsAt: Epoch.Add(time.Hour), Reason: "late"})
	wantCode(t, err, assay.EINVALID, "window in the past")
	m := must(o.CreateMaintenance(e.Ctx, Actor, assay.MaintenanceWindow{ServiceID: s.ID, StartsAt: Epoch.Add(time.Hour), EndsAt: Epoch.Add(2 * time.Hour),
		Reason: "Database upgrade"})).get(t)
	if m.ID == 0 || m.CreatedBy != Actor.Name || !m.StartsAt.Equal(Epoch.Add(time.Hour)) {
		t.Fatalf("window = %+v", m)
	}
	e.Clock.Advance(90 * time.Minute)
	r := must(o.RecordProbe(e.Ctx, probe(s.ID, e.Clock.Now(), assay.OutcomeDown, 0))).get(t)
	if r.WentDown || r.Service.State != assay.StateMaintenance {
		t.Fatalf("probe in maintenance = %+v", r)
	}
	wantCode(t, o.DeleteMaintenance(e.Ctx, Actor, m.ID), assay.ECONFLICT, "cancel a started window")
	later := must(o.CreateMaintenance(e.Ctx, Actor, assay.MaintenanceWindow{ServiceID: s.ID, StartsAt: Epoch.Add(5 * time.Hour), EndsAt: Epoch.Add(6 * time.Hour),
		Reason: "Network"})).get(t)
	check(t, o.DeleteMaintenance(e.Ctx, Actor, later.ID), "cancel a future window")
	list := must(o.MaintenanceWindows(e.Ctx, s.ID, Epoch, Epoch.Add(24*time.Hour))).get(t)
	if len(list) != 1 || list[0].ID != m.ID {
		t.Fatalf("windows = %+v", list)
	}
	if none := must(o.MaintenanceWindows(e.Ctx, 0, Epoch.Add(2*time.Hour), Epoch.Add(3*time.Hour))).get(t); len(none) != 0 {
		t.Fatalf("a window ending at from does not overlap: %+v", none)
	}
	r = must(o.RecordProbe(e.Ctx, probe(s.ID, Epoch.Add(2*time.Hour), assay.OutcomeDown, 0))).get(t)
	if !r.WentDown {
		t.Fatalf("after the window = %+v", r)
	}
	raw := must(o.ProbeResults(e.Ctx, s.ID, Epoch, Epoch.Add(3*time.Hour), 0)).get(t)
	if len(raw) != 2 || raw[1].Outcome != assay.OutcomeMaintenance || raw[0].Outcome != assay.OutcomeDown {
		t.Fatalf("raw = %+v", raw)
	}
}

func testAvailabilityClaim(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	a := e.service(o, "a", 0)
	e.service(o, "b", 0)
	off := e.service(o, "c", 0)
	off.Enabled = false
	must(o.UpdateService(e.Ctx, Actor, off.ID, off)).get(t)
	got := must(e.Store.ClaimDueServices(e.Ctx, Epoch, 0)).get(t)
	if len(got) != 2 || !got[0].NextProbeAt.Equal(Epoch.Add(time.Minute)) {
		t.Fatalf("claimed = %+v", got)
	}
	if again := must(e.Store.ClaimDueServices(e.Ctx, Epoch.Add(59*time.Second), 0)).get(t); len(again) != 0 {
		t.Fatalf("claimed twice: %+v", again)
	}
	if next := must(e.Store.ClaimDueServices(e.Ctx, Epoch.Add(time.Minute), 1)).get(t); len(next) != 1 || next[0].ID != a.ID {
		t.Fatalf("next = %+v", next)
	}
	// Raw results go after 24 hours, per-minute roll-ups after 48, hourly
	// roll-ups after 35 days.
	must(o.RecordProbe(e.Ctx, probe(a.ID, Epoch, assay.OutcomeUp, 10))).get(t)
	must(o.RecordProbe(e.Ctx, probe(a.ID, Epoch.Add(47*time.Hour), assay.OutcomeUp, 10))).get(t)
	// The 47 hours without results were not uptime: they are unknown.
	gap := must(o.StatusPeriods(e.Ctx, a.ID, Epoch, Epoch.Add(48*time.Hour))).get(t)
	if len(gap) != 1 || gap[0].State != assay.StateUnknown || !gap[0].StartedAt.Equal(Epoch.Add(time.Minute)) || !gap[0].EndedAt.Equal(Epoch.Add(47*time.Hour)) {
		t.Fatalf("gap = %+v", gap)
	}
	if m := must(o.MinuteRollups(e.Ctx, a.ID, Epoch, Epoch.Add(72*time.Hour))).get(t); len(m) != 2 || m[0].Probes != 1 || m[0].Up != 1 || m[0].Location != "" {
		t.Fatalf("minute roll-ups = %+v", m)
	}
	n := must(e.Store.PruneAvailability(e.Ctx, Epoch.Add(49*time.Hour))).get(t)
	if n != 2 { // the first raw result and its minute
		t.Fatalf("pruned %d rows", n)
	}
	if m := must(o.MinuteRollups(e.Ctx, a.ID, Epoch, Epoch.Add(72*time.Hour))).get(t); len(m) != 1 || !m[0].Start.Equal(Epoch.Add(47*time.Hour)) {
		t.Fatalf("minute roll-ups after 48 hours = %+v", m)
	}
	if raw := must(o.ProbeResults(e.Ctx, a.ID, Epoch, Epoch.Add(72*time.Hour), 0)).get(t); len(raw) != 1 {
		t.Fatalf("raw after prune = %+v", raw)
	}
	must(e.Store.PruneAvailability(e.Ctx, Epoch.Add(40*24*time.Hour))).get(t)
	if h := must(o.Rollups(e.Ctx, a.ID, true, Epoch, Epoch.Add(72*time.Hour))).get(t); len(h) != 0 {
		t.Fatalf("hourly after 35 days = %+v", h)
	}
	if d := must(o.Rollups(e.Ctx, a.ID, false, Epoch.Add(-24*time.Hour), Epoch.Add(72*time.Hour))).get(t); len(d) != 2 {
		t.Fatalf("daily roll-ups stay: %+v", d)
	}
}

func testAvailabilityTenancy(e *Env) {
	t := e.T
	_, a := e.Org("a")
	_, b := e.Org("b")
	s := e.service(a, "api", 0)
	_, err := b.Service(e.Ctx, s.ID)
	wantCode(t, err, assay.ENOTFOUND, "other org's service")
	_, err = b.RecordProbe(e.Ctx, probe(s.ID, Epoch, assay.OutcomeUp, 1))
	wantCode(t, err, assay.ENOTFOUND, "probe other org's service")
	_, err = b.Rollups(e.Ctx, s.ID, true, Epoch, Epoch.Add(time.Hour))
	wantCode(t, err, assay.ENOTFOUND, "other org's roll-ups")
	_, err = b.ProbeResults(e.Ctx, s.ID, Epoch, Epoch.Add(time.Hour), 0)
	wantCode(t, err, assay.ENOTFOUND, "other org's probes")
	_, err = b.CreateMaintenance(e.Ctx, Actor, assay.MaintenanceWindow{ServiceID: s.ID, StartsAt: Epoch.Add(time.Hour), EndsAt: Epoch.Add(2 * time.Hour), Reason: "x"})
	wantCode(t, err, assay.ENOTFOUND, "maintenance of other org's service")
	wantCode(t, b.DeleteService(e.Ctx, Actor, s.ID), assay.ENOTFOUND, "delete other org's service")
	if list := must(b.Services(e.Ctx)).get(t); len(list) != 0 {
		t.Fatalf("b sees %+v", list)
	}
}
