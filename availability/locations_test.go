package availability_test

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/availability"
)

// TestProbersAtTwoLocations runs two probers, named eu-west and us-east,
// against one real HTTPS server. us-east does not trust the server's
// certificate authority, so it fails from the first probe: a failure seen
// from one place, shown for that location and not counted as downtime.
// When the server stops, both fail, and the service is down from when the
// last of them began to fail.
func TestProbersAtTwoLocations(t *testing.T) {
	w := newWorld(t)
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		fmt.Fprint(rw, "ok")
	}))
	ts.StartTLS()
	t.Cleanup(ts.Close)
	roots := x509.NewCertPool()
	roots.AddCert(ts.Certificate())
	svc := w.service(assay.Service{Name: "api", Kind: assay.ProbeHTTP, Target: ts.URL + "/health", ExpectStatus: 200, Retries: 1, SLATarget: 99.9})

	eu, us := w.prober(), w.prober()
	eu.Location, us.Location = "eu-west", "us-east"
	eu.MinRound, us.MinRound = -1, -1
	eu.Probes = availability.Probes{TLS: &tls.Config{RootCAs: roots}, Now: w.clock.Now}
	for m := 0; m < 12; m++ {
		if m == 5 {
			ts.Close()
		}
		for _, p := range []*availability.Prober{eu, us} {
			r, err := p.Tick(w.ctx)
			if err != nil {
				t.Fatalf("minute %d, %s: %v", m, p.Location, err)
			}
			if r.Probed != 1 {
				t.Fatalf("minute %d, %s probed %d services", m, p.Location, r.Probed)
			}
		}
		if m == 4 {
			got, err := w.org.Service(w.ctx, svc.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.State != assay.StateUp {
				t.Fatalf("failing from us-east only, the service is %s (%s)", got.State, got.LastError)
			}
			locs, err := w.org.ServiceLocations(w.ctx, svc.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(locs) != 2 || locs[0].LastOutcome != assay.OutcomeUp || locs[1].LastOutcome != assay.OutcomeDown || locs[1].FailStreak != 5 {
				t.Fatalf("locations at minute 4 = %+v", locs)
			}
		}
		w.clock.Advance(time.Minute)
	}
	periods, err := w.org.StatusPeriods(w.ctx, svc.ID, start, w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(periods) != 1 || periods[0].State != assay.StateDown || !periods[0].StartedAt.Equal(minute(5)) || periods[0].EndedAt != nil {
		t.Fatalf("periods = %+v", periods)
	}
	raw, err := w.org.ProbeResults(w.ctx, svc.ID, start, w.clock.Now(), 100)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, r := range raw {
		seen[r.Location]++
	}
	if len(raw) != 24 || seen["eu-west"] != 12 || seen["us-east"] != 12 {
		t.Fatalf("raw results by location = %v", seen)
	}
}
