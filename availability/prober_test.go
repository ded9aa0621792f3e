package availability_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/availability"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/store/sqlite"
	"github.com/assay-platform/assay/store/sqlstore"
	"github.com/assay-platform/assay/store/storetest"
)

var actor = assay.Actor{Name: "Test", Via: "cli"}

// start is a Monday in the middle of a month, at a whole minute.
var start = time.Date(2026, 3, 16, 12, 0, 0, 0, time.UTC)

type world struct {
	t     *testing.T
	ctx   context.Context
	clock *assay.FixedClock
	db    *sqlstore.DB
	org   store.OrgStore
}

func newWorld(t *testing.T) *world { return newWorldAt(t, start) }

func newWorldAt(t *testing.T, at time.Time) *world {
	t.Helper()
	clock := &assay.FixedClock{T: at}
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "assay.db"), sqlstore.Config{Clock: clock, Criteria: storetest.Criteria()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	o, err := db.CreateOrganization(context.Background(), actor, "Acme", "acme", assay.Scope{}, storetest.LibraryControls())
	if err != nil {
		t.Fatal(err)
	}
	return &world{t: t, ctx: context.Background(), clock: clock, db: db, org: db.Org(o.ID)}
}

func (w *world) service(s assay.Service) assay.Service {
	w.t.Helper()
	s.Enabled = true
	out, err := w.org.CreateService(w.ctx, actor, s)
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

// server is a real listener on a fixed address that can be stopped and
// started again on the same port: an HTTP server when handler is set, a
// bare TCP acceptor otherwise.
type server struct {
	t       *testing.T
	addr    string
	handler http.Handler
	mu      sync.Mutex
	ln      net.Listener
	srv     *http.Server
}

func listen(t *testing.T, h http.Handler) *server {
	s := &server{t: t, addr: "127.0.0.1:0", handler: h}
	s.start()
	s.addr = s.ln.Addr().String()
	t.Cleanup(s.stop)
	return s
}

func (s *server) start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	for range 50 { // the port may linger briefly after a stop
		if s.ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatalf("listen on %s: %v", s.addr, err)
	}
	if s.handler != nil {
		s.srv = &http.Server{Handler: s.handler}
		go s.srv.Serve(s.ln)
		return
	}
	ln := s.ln
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
}

func (s *server) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		s.srv.Close()
		s.srv = nil
	}
	if s.ln != nil {
		s.ln.Close()
		s.ln = nil
	}
}

func (w *world) prober() *availability.Prober {
	return &availability.Prober{Store: w.db, Clock: w.clock, Poll: time.Hour, Logger: slog.New(slog.DiscardHandler)}
}

// run advances the clock a minute at a time, ticking the prober, for n
// minutes; at each minute before ticking it calls at(minute).
func (w *world) run(p *availability.Prober, n int, at func(minute int)) []availability.Round {
	w.t.Helper()
	var rounds []availability.Round
	for m := 0; m < n; m++ {
		if at != nil {
			at(m)
		}
		r, err := p.Tick(w.ctx)
		if err != nil {
			w.t.Fatalf("minute %d: %v", m, err)
		}
		rounds = append(rounds, r)
		w.clock.Advance(time.Minute)
	}
	return rounds
}

func minute(m int) time.Time { return start.Add(time.Duration(m) * time.Minute) }

// TestProberRecordsDowntimeOfRealServers probes a real HTTP server and a
// real TCP listener, stops and restarts them, and checks the downtime
// recorded, the incident it opened and resolved, and the SLA figures.
func TestProberRecordsDowntimeOfRealServers(t *testing.T) {
	w := newWorld(t)
	web := listen(t, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		fmt.Fprint(rw, "status: all good")
	}))
	db := listen(t, nil)
	api := w.service(assay.Service{Name: "api", Kind: assay.ProbeHTTP, Target: "http://" + web.addr + "/health", ExpectStatus: 200,
		Keyword: "all good", Retries: 1, SLATarget: 99.9})
	pg := w.service(assay.Service{Name: "db", Kind: assay.ProbeTCP, Target: db.addr, Retries: 0, IncidentAfterS: 600, SLATarget: 99.5})
	p := w.prober()
	w.run(p, 60, func(m int) {
		switch m {
		case 10:
			web.stop() // api down from minute 10 (confirmed at 11, the retry)
		case 22:
			web.start() // back at minute 22: 12 minutes down, incident after 5
		case 30:
			db.stop() // db down 30..33: 3 minutes, under its 10-minute threshold
		case 33:
			db.start()
		}
	})

	now := w.clock.Now()
	periods, err := w.org.StatusPeriods(w.ctx, 0, start, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(periods) != 2 {
		t.Fatalf("periods = %+v", periods)
	}
	a, d := periods[0], periods[1]
	if a.ServiceID != api.ID || a.State != assay.StateDown || !a.StartedAt.Equal(minute(10)) || !a.EndedAt.Equal(minute(22)) || a.IncidentID == 0 {
		t.Fatalf("api downtime = %+v", a)
	}
	if d.ServiceID != pg.ID || !d.StartedAt.Equal(minute(30)) || !d.EndedAt.Equal(minute(33)) || d.IncidentID != 0 {
		t.Fatalf("db downtime = %+v", d)
	}

	// The incident: detected when the downtime passed 5 minutes, resolved on recovery.
	inc, err := w.org.Incident(w.ctx, a.IncidentID)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Status != assay.IncidentResolved || !inc.OccurredAt.Equal(minute(10)) || !inc.DetectedAt.Equal(minute(15)) ||
		inc.ResolvedAt == nil || !inc.ResolvedAt.Equal(minute(22)) {
		t.Fatalf("incident = %+v", inc)
	}
	tl, err := w.org.IncidentTimeline(w.ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(tl) < 3 || tl[1].Kind != "note" || tl[len(tl)-1].Text == "" {
		t.Fatalf("timeline = %+v", tl)
	}
	if all, _ := w.org.Incidents(w.ctx, assay.IncidentFilter{}); len(all) != 1 {
		t.Fatalf("incidents = %+v", all)
	}

	// Uptime: the hour monitored is 60 minutes, 12 of them down for the api.
	svc, _ := w.org.Service(w.ctx, api.ID)
	f, err := availability.ComputeFigures(w.ctx, w.org, svc, now, 3, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	day := f.Windows[0]
	if day.Name != "24h" || day.Monitored != time.Hour || day.Down != 12*time.Minute || fmt.Sprintf("%.4f", day.Percent) != "80.0000" {
		t.Fatalf("24h = %+v", day)
	}
	sla := f.SLA
	if sla.Month != "2026-03" || sla.Met || sla.Budget.Round(time.Millisecond) != 3600*time.Millisecond || sla.BudgetLeft != sla.Budget-12*time.Minute {
		t.Fatalf("sla = %+v", sla)
	}
	rep, err := availability.Report(w.ctx, w.org, svc, now, time.UTC, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Downtimes) != 1 || rep.Downtimes[0].Duration != 12*time.Minute || rep.Downtimes[0].IncidentID != inc.ID {
		t.Fatalf("report = %+v", rep)
	}

	// Raw results and roll-ups: one probe a minute.
	hours, _ := w.org.Rollups(w.ctx, api.ID, true, start, now)
	if len(hours) != 1 || hours[0].Probes != 60 || hours[0].Down != 12 || hours[0].Up != 48 {
		t.Fatalf("hourly = %+v", hours)
	}
}

// TestUnhealthyProberRecordsUnknown: when every probe of a round fails to
// connect, or the canary fails, the failures are unknown, not downtime.
func TestUnhealthyProberRecordsUnknown(t *testing.T) {
	w := newWorld(t)
	var servers []*server
	var ids []int64
	for i := range 3 {
		s := listen(t, nil)
		servers = append(servers, s)
		ids = append(ids, w.service(assay.Service{Name: fmt.Sprintf("svc%d", i), Kind: assay.ProbeTCP, Target: s.addr, IncidentAfterS: 60}).ID)
	}
	p := w.prober()
	w.run(p, 30, func(m int) {
		switch m {
		case 5: // the prober's network goes: every probe fails
			for _, s := range servers {
				s.stop()
			}
		case 15:
			for _, s := range servers {
				s.start()
			}
		}
	})
	periods, _ := w.org.StatusPeriods(w.ctx, 0, start, w.clock.Now())
	if len(periods) != 3 {
		t.Fatalf("periods = %+v", periods)
	}
	for _, pd := range periods {
		if pd.State != assay.StateUnknown || !pd.StartedAt.Equal(minute(5)) || !pd.EndedAt.Equal(minute(15)) {
			t.Fatalf("period = %+v", pd)
		}
	}
	if inc, _ := w.org.Incidents(w.ctx, assay.IncidentFilter{}); len(inc) != 0 {
		t.Fatalf("an unhealthy prober opened incidents: %+v", inc)
	}
	svc, _ := w.org.Service(w.ctx, ids[0])
	f, _ := availability.ComputeFigures(w.ctx, w.org, svc, w.clock.Now(), 1, time.UTC)
	if u := f.Windows[0]; u.Down != 0 || u.Unknown != 10*time.Minute || u.Percent != 100 {
		t.Fatalf("uptime = %+v", u)
	}

	// With a canary: one service failing while the canary cannot connect
	// either is unknown; with the canary healthy it is down.
	canaryTarget := listen(t, nil)
	canary, err := availability.ParseCanary("tcp:"+canaryTarget.addr, availability.Probes{})
	if err != nil {
		t.Fatal(err)
	}
	p.Canary = canary
	from := w.clock.Now()
	w.run(p, 10, func(m int) {
		switch m {
		case 1:
			servers[0].stop()
			canaryTarget.stop()
		case 4:
			canaryTarget.start()
		}
	})
	periods, _ = w.org.StatusPeriods(w.ctx, ids[0], from, w.clock.Now())
	if len(periods) != 2 || periods[0].State != assay.StateUnknown || periods[1].State != assay.StateDown ||
		!periods[1].StartedAt.Equal(from.Add(4*time.Minute)) || periods[1].EndedAt != nil {
		t.Fatalf("with canary: %+v", periods)
	}
}

// TestMaintenanceIsNotDowntime: a server stopped inside a maintenance
// window recorded in advance costs no uptime and opens no incident.
func TestMaintenanceIsNotDowntime(t *testing.T) {
	w := newWorld(t)
	web := listen(t, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {}))
	api := w.service(assay.Service{Name: "api", Kind: assay.ProbeHTTP, Target: "http://" + web.addr + "/", IncidentAfterS: 60})
	m, err := w.org.CreateMaintenance(w.ctx, actor, assay.MaintenanceWindow{ServiceID: api.ID, StartsAt: minute(10), EndsAt: minute(25), Reason: "Upgrade"})
	if err != nil {
		t.Fatal(err)
	}
	w.run(w.prober(), 40, func(m int) {
		switch m {
		case 12:
			web.stop()
		case 22:
			web.start()
		}
	})
	periods, _ := w.org.StatusPeriods(w.ctx, api.ID, start, w.clock.Now())
	if len(periods) != 0 {
		t.Fatalf("periods = %+v", periods)
	}
	if inc, _ := w.org.Incidents(w.ctx, assay.IncidentFilter{}); len(inc) != 0 {
		t.Fatalf("incidents = %+v", inc)
	}
	svc, _ := w.org.Service(w.ctx, api.ID)
	rep, err := availability.Report(w.ctx, w.org, svc, start, time.UTC, w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Percent != 100 || rep.Maintenance == nil || len(rep.Maintenance) != 1 || rep.Maintenance[0].ID != m.ID || len(rep.Downtimes) != 0 ||
		rep.Uptime.Maintenance != 15*time.Minute {
		t.Fatalf("report = %+v", rep)
	}
	hours, _ := w.org.Rollups(w.ctx, api.ID, true, start, w.clock.Now())
	if len(hours) != 1 || hours[0].Maintenance != 15 || hours[0].Down != 0 {
		t.Fatalf("hourly = %+v", hours)
	}
}

// TestUnhealthyAcrossRounds: services due at different times (one a
// round) that all fail to connect make the prober unhealthy too: its
// health is judged over the last minute, not one round.
func TestUnhealthyAcrossRounds(t *testing.T) {
	w := newWorld(t)
	var servers []*server
	p := w.prober()
	for i := range 3 {
		s := listen(t, nil)
		servers = append(servers, s)
		w.service(assay.Service{Name: fmt.Sprintf("svc%d", i), Kind: assay.ProbeTCP, Target: s.addr, Retries: 2, IncidentAfterS: 60})
		if _, err := p.Tick(w.ctx); err != nil { // its first probe; the next one is due 20 s after the previous one's
			t.Fatal(err)
		}
		w.clock.Advance(20 * time.Second)
	}
	for tick := 0; tick < 60; tick++ { // 20 minutes, a tick every 20 s
		if tick == 15 {
			for _, s := range servers {
				s.stop()
			}
		}
		if tick == 45 {
			for _, s := range servers {
				s.start()
			}
		}
		r, err := p.Tick(w.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if r.Probed > 1 {
			t.Fatalf("tick %d probed %d services; the test wants one a round", tick, r.Probed)
		}
		w.clock.Advance(20 * time.Second)
	}
	periods, _ := w.org.StatusPeriods(w.ctx, 0, start, w.clock.Now())
	if len(periods) != 3 {
		t.Fatalf("periods = %+v", periods)
	}
	for _, pd := range periods {
		if pd.State != assay.StateUnknown || pd.EndedAt == nil {
			t.Fatalf("period = %+v", pd)
		}
	}
	if inc, _ := w.org.Incidents(w.ctx, assay.IncidentFilter{}); len(inc) != 0 {
		t.Fatalf("incidents = %+v", inc)
	}
}
