package availability_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/availability"
)

// TestOutageAcrossMonthEndInNewYork: a real server down from 23:55 on 31
// March to 00:10 on 1 April, New York time (the clock injected, the
// months counted in America/New_York), is 5 minutes of March's SLA and
// 10 of April's.
func TestOutageAcrossMonthEndInNewYork(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	begin := time.Date(2026, 3, 31, 23, 40, 0, 0, ny)
	w := newWorldAt(t, begin)
	web := listen(t, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {}))
	svc := w.service(assay.Service{Name: "api", Kind: assay.ProbeHTTP, Target: "http://" + web.addr + "/", Retries: 0, IncidentAfterS: 3600, SLATarget: 99.99})
	w.run(w.prober(), 50, func(m int) {
		switch m {
		case 15: // 23:55
			web.stop()
		case 30: // 00:10
			web.start()
		}
	})
	svc, _ = w.org.Service(w.ctx, svc.ID)
	now := w.clock.Now()
	march, err := availability.Report(w.ctx, w.org, svc, time.Date(2026, 3, 15, 0, 0, 0, 0, ny), ny, now)
	if err != nil {
		t.Fatal(err)
	}
	april, err := availability.Report(w.ctx, w.org, svc, time.Date(2026, 4, 15, 0, 0, 0, 0, ny), ny, now)
	if err != nil {
		t.Fatal(err)
	}
	if march.Month != "2026-03" || march.Down != 5*time.Minute || len(march.Downtimes) != 1 || !march.Downtimes[0].End.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, ny)) {
		t.Fatalf("march = %+v", march)
	}
	if april.Month != "2026-04" || april.Down != 10*time.Minute || len(april.Downtimes) != 1 || !april.Downtimes[0].Start.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, ny)) {
		t.Fatalf("april = %+v", april)
	}
	// March was monitored for its last 20 minutes, April for its first 30.
	if march.Monitored != 20*time.Minute || april.Monitored != 30*time.Minute || march.Met || april.Met {
		t.Fatalf("monitored march %v april %v", march.Monitored, april.Monitored)
	}
}
