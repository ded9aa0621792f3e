package availability_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor/alert"
	"github.com/assay-platform/assay/secret"
)

// TestDowntimeAlertsThroughChannels: a downtime past the threshold and its
// recovery reach a real webhook channel, once each.
func TestDowntimeAlertsThroughChannels(t *testing.T) {
	w := newWorld(t)
	var mu sync.Mutex
	var got []alert.Message
	hook := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var m alert.Message
		if err := json.Unmarshal(b, &m); err != nil {
			t.Errorf("webhook body %s: %v", b, err)
		}
		mu.Lock()
		got = append(got, m)
		mu.Unlock()
	}))
	defer hook.Close()
	box, err := secret.New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	n := &alert.Notifier{Store: w.db, Box: box, Clock: w.clock, Logger: slog.New(slog.DiscardHandler), Attempts: 1,
		Checks: func(_ context.Context, _ int64) (map[string]assay.Check, error) { return nil, nil }}
	if _, err := n.CreateChannel(w.ctx, w.org, actor, assay.NewAlertChannel{Kind: assay.AlertWebhook, Name: "ops", Enabled: true,
		Settings: map[string]string{"url": hook.URL}}, map[string]string{"secret": "s3cret"}); err != nil {
		t.Fatal(err)
	}
	web := listen(t, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {}))
	w.service(assay.Service{Name: "api", Kind: assay.ProbeHTTP, Target: "http://" + web.addr + "/", IncidentAfterS: 120})
	p := w.prober()
	p.Alerts = n
	w.run(p, 20, func(m int) {
		switch m {
		case 5:
			web.stop()
		case 10:
			web.start()
		}
	})
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[0].Type != "assay.availability.alert" || len(got[0].Failures) != 1 || len(got[1].Recoveries) != 1 {
		t.Fatalf("alerts = %+v", got)
	}
	if got[0].SentAt.Before(minute(7)) {
		t.Fatalf("the down alert went before the 2-minute threshold: %v", got[0].SentAt)
	}
	if r := got[1].Recoveries[0]; r.Link != "/availability/1" || r.Reason == "" {
		t.Fatalf("recovery = %+v", r)
	}
	_ = time.Second
}
