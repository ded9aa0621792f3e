package alert_test

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor/alert"
)

// hookRequest is what a receiver saw.
type hookRequest struct {
	header http.Header
	body   []byte
}

// receiver is a real HTTPS server that records every request and answers
// with the statuses queued in answers (then 200).
type receiver struct {
	srv     *httptest.Server
	mu      sync.Mutex
	got     []hookRequest
	answers []int
}

func newReceiver(t *testing.T, answers ...int) *receiver {
	r := &receiver{answers: answers}
	r.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, hookRequest{header: req.Header.Clone(), body: body})
		code := http.StatusOK
		if len(r.answers) > 0 {
			code, r.answers = r.answers[0], r.answers[1:]
		}
		r.mu.Unlock()
		w.WriteHeader(code)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) requests() []hookRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]hookRequest(nil), r.got...)
}

func TestWebhookIsSignedAndSentOnce(t *testing.T) {
	w := newWorld(t)
	rec := newReceiver(t)
	w.n.HTTP = rec.srv.Client()
	ch := w.channel(assay.AlertWebhook, "SIEM", map[string]string{"url": rec.srv.URL + "/hook"}, map[string]string{"secret": "s3cret-signing-key"})
	if strings.Join(ch.SecretKeys, ",") != "secret" || len(ch.Secrets) == 0 || bytes.Contains(ch.Secrets, []byte("s3cret")) {
		t.Fatalf("channel secrets not sealed: %+v", ch)
	}
	r, changes := run(11)
	if err := w.n.Notify(w.ctx, w.os.OrgID(), source, r, changes); err != nil {
		t.Fatal(err)
	}
	got := rec.requests()
	if len(got) != 1 {
		t.Fatalf("requests = %d, want 1", len(got))
	}
	req := got[0]
	ts := req.header.Get(alert.HeaderTimestamp)
	if _, err := strconv.ParseInt(ts, 10, 64); err != nil || ts != strconv.FormatInt(epoch.Unix(), 10) {
		t.Fatalf("timestamp header %q", ts)
	}
	sig := req.header.Get(alert.HeaderSignature)
	if !strings.HasPrefix(sig, "sha256=") || !alert.Verify([]byte("s3cret-signing-key"), ts, req.body, sig) {
		t.Fatalf("signature %q does not verify", sig)
	}
	// The timestamp is in the MAC: another timestamp, or another key, fails.
	if alert.Verify([]byte("s3cret-signing-key"), "1", req.body, sig) || alert.Verify([]byte("other"), ts, req.body, sig) {
		t.Fatal("signature verifies with the wrong timestamp or key")
	}
	if ct := req.header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("content type %q", ct)
	}
	var m alert.Message
	if err := json.Unmarshal(req.body, &m); err != nil {
		t.Fatal(err)
	}
	if m.Type != "assay.monitoring.alert" || m.Delivery == "" || m.Delivery != req.header.Get(alert.HeaderDelivery) ||
		m.Source.Name != "Public API" || m.Run.ID != 11 || m.Link != "https://assay.example/monitoring" {
		t.Fatalf("message = %+v", m)
	}
	if len(m.Failures) != 1 || len(m.Recoveries) != 1 {
		t.Fatalf("failures %d, recoveries %d; want 1 and 1: %s", len(m.Failures), len(m.Recoveries), req.body)
	}
	f := m.Failures[0]
	if f.CheckID != "http-tls-min" || f.CheckTitle != "Endpoints refuse old TLS" || f.Severity != assay.SeverityHigh ||
		f.ResourceName != "api.acme.example:443" || f.Reason != "TLS 1.0 accepted on api.acme.example:443" ||
		f.Link != "https://assay.example/monitoring/checks/http-tls-min" || f.From != assay.CheckPass || f.To != assay.CheckFail {
		t.Fatalf("failure = %+v", f)
	}
	if rc := m.Recoveries[0]; rc.CheckID != "http-hsts" || rc.ResourceID != "https://www.acme.example" {
		t.Fatalf("recovery = %+v", rc)
	}

	// Notify is retried for the same run: nothing more is sent.
	if err := w.n.Notify(w.ctx, w.os.OrgID(), source, r, changes); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.requests()); n != 1 {
		t.Fatalf("after a second notify the receiver got %d requests, want 1", n)
	}
	ds := w.deliveries()
	if len(ds) != 1 || ds[0].Status != assay.DeliverySent || ds[0].Events != 2 || ds[0].Attempts != 1 || ds[0].UID != m.Delivery ||
		ds[0].Summary != "1 new failure, 1 recovery" || ds[0].ChannelName != "SIEM" {
		t.Fatalf("deliveries = %+v", ds)
	}
	// A later run failing the same pair again is a new event.
	r2, _ := run(12)
	r2.EndedAt = r2.EndedAt.Add(3600e9)
	if err := w.n.Notify(w.ctx, w.os.OrgID(), source, r2, changes[1:2]); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.requests()); n != 2 {
		t.Fatalf("a new run's failure: receiver got %d requests, want 2", n)
	}
}

func TestConcurrentNotifySendsOnce(t *testing.T) {
	w := newWorld(t)
	rec := newReceiver(t)
	w.n.HTTP = rec.srv.Client()
	w.channel(assay.AlertWebhook, "SIEM", map[string]string{"url": rec.srv.URL}, map[string]string{"secret": "k"})
	r, changes := run(21)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if err := w.n.Notify(w.ctx, w.os.OrgID(), source, r, changes); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := len(rec.requests()); n != 1 {
		t.Fatalf("four concurrent notifies sent %d messages, want 1", n)
	}
}

func TestRetriesThenGivesUpAndReleases(t *testing.T) {
	w := newWorld(t)
	// Two 503s then success: one delivery, three attempts.
	rec := newReceiver(t, http.StatusServiceUnavailable, http.StatusBadGateway)
	w.n.HTTP = rec.srv.Client()
	w.channel(assay.AlertWebhook, "flaky", map[string]string{"url": rec.srv.URL}, map[string]string{"secret": "k"})
	r, changes := run(31)
	if err := w.n.Notify(w.ctx, w.os.OrgID(), source, r, changes); err != nil {
		t.Fatal(err)
	}
	got := rec.requests()
	if len(got) != 3 || got[0].header.Get(alert.HeaderDelivery) != got[2].header.Get(alert.HeaderDelivery) {
		t.Fatalf("attempts = %d (delivery ids must match)", len(got))
	}
	if ds := w.deliveries(); len(ds) != 1 || ds[0].Status != assay.DeliverySent || ds[0].Attempts != 3 {
		t.Fatalf("deliveries = %+v", ds)
	}

	// A receiver that keeps failing: bounded attempts, logged as failed,
	// and the events are released so a later notify sends them.
	w2 := newWorld(t)
	down := newReceiver(t, 500, 500, 500, 500, 500, 500)
	w2.n.HTTP = down.srv.Client()
	w2.channel(assay.AlertWebhook, "down", map[string]string{"url": down.srv.URL}, map[string]string{"secret": "k"})
	err := w2.n.Notify(w2.ctx, w2.os.OrgID(), source, r, changes)
	if err == nil || !strings.Contains(err.Error(), "500") {
		t.Fatalf("notify to a failing receiver: %v", err)
	}
	if n := len(down.requests()); n != 3 {
		t.Fatalf("attempts = %d, want the bound 3", n)
	}
	ds := w2.deliveries()
	if len(ds) != 1 || ds[0].Status != assay.DeliveryFailed || ds[0].Attempts != 3 || !strings.Contains(ds[0].Error, "500") {
		t.Fatalf("deliveries = %+v", ds)
	}
	if err := w2.n.Notify(w2.ctx, w2.os.OrgID(), source, r, changes); err == nil {
		t.Fatal("second notify to a down receiver succeeded")
	}
	if n := len(down.requests()); n != 6 {
		t.Fatalf("the retried notify made %d requests in all, want 6", n)
	}

	// A 4xx is not retried.
	w3 := newWorld(t)
	bad := newReceiver(t, http.StatusBadRequest)
	w3.n.HTTP = bad.srv.Client()
	w3.channel(assay.AlertWebhook, "bad", map[string]string{"url": bad.srv.URL}, map[string]string{"secret": "k"})
	if err := w3.n.Notify(w3.ctx, w3.os.OrgID(), source, r, changes); err == nil {
		t.Fatal("400 was taken as delivered")
	}
	if n := len(bad.requests()); n != 1 {
		t.Fatalf("a 400 was tried %d times", n)
	}
}

func TestSlackStyleWebhook(t *testing.T) {
	w := newWorld(t)
	rec := newReceiver(t)
	w.n.HTTP = rec.srv.Client()
	ch := w.channel(assay.AlertSlack, "#security", nil, map[string]string{"url": rec.srv.URL + "/services/T0/B0/xyz"})
	if len(ch.Settings) != 0 || strings.Join(ch.SecretKeys, ",") != "url" {
		t.Fatalf("the slack URL must be sealed: %+v", ch)
	}
	r, changes := run(41)
	if err := w.n.Notify(w.ctx, w.os.OrgID(), source, r, changes); err != nil {
		t.Fatal(err)
	}
	got := rec.requests()
	if len(got) != 1 {
		t.Fatalf("requests = %d", len(got))
	}
	var body struct {
		Text   string `json:"text"`
		Blocks []struct {
			Type string `json:"type"`
			Text struct {
				Type, Text string
			} `json:"text"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(got[0].body, &body); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body.Text, "[Assay] Public API: 1 new failure, 1 recovery") || !strings.Contains(body.Text, "TLS 1.0 accepted on api.acme.example:443") {
		t.Fatalf("text = %q", body.Text)
	}
	if len(body.Blocks) != 3 || body.Blocks[0].Type != "header" || !strings.Contains(body.Blocks[1].Text.Text, "Endpoints refuse old TLS") ||
		!strings.Contains(body.Blocks[1].Text.Text, "<https://assay.example/monitoring/checks/http-tls-min|details>") ||
		!strings.Contains(body.Blocks[2].Text.Text, "www.acme.example:443") {
		t.Fatalf("blocks = %+v", body.Blocks)
	}
	if got[0].header.Get(alert.HeaderSignature) != "" {
		t.Fatal("a Slack message carries an Assay signature")
	}
}

func TestEmailOverSTARTTLS(t *testing.T) {
	w := newWorld(t)
	cert, pool := selfSigned(t)
	box := &mailbox{user: "alerts@acme.example", pass: "mail-pass"}
	port := startSMTP(t, "127.0.0.1:0", &cert, box)
	w.n.TLS = &tls.Config{RootCAs: pool}
	w.channel(assay.AlertEmail, "Security team", map[string]string{"host": "127.0.0.1", "port": port, "tls": "required",
		"from": "Assay <assay@acme.example>", "to": "sec@acme.example, cto@acme.example", "username": "alerts@acme.example"},
		map[string]string{"password": "mail-pass"})
	r, changes := run(51)
	if err := w.n.Notify(w.ctx, w.os.OrgID(), source, r, changes); err != nil {
		t.Fatal(err)
	}
	mails := box.received()
	if len(mails) != 1 {
		t.Fatalf("mails = %d, want 1", len(mails))
	}
	got := mails[0]
	if !got.overTLS || got.authed != "alerts@acme.example" || got.from != "assay@acme.example" ||
		strings.Join(got.to, ",") != "sec@acme.example,cto@acme.example" {
		t.Fatalf("envelope = tls %v auth %q from %q to %q", got.overTLS, got.authed, got.from, got.to)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(got.data))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subject != "[Assay] Public API: 1 new failure, 1 recovery" {
		t.Fatalf("subject = %q (%v)", subject, err)
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
	for _, want := range []string{"New failures:", "[high] Endpoints refuse old TLS on api.acme.example:443: TLS 1.0 accepted on api.acme.example:443",
		"Recovered:", "www.acme.example:443", "https://assay.example/monitoring/checks/http-tls-min"} {
		if !strings.Contains(string(body), want) {
			t.Fatalf("body lacks %q:\n%s", want, body)
		}
	}
	// Sent once, however often notified.
	if err := w.n.Notify(w.ctx, w.os.OrgID(), source, r, changes); err != nil {
		t.Fatal(err)
	}
	if n := len(box.received()); n != 1 {
		t.Fatalf("mails after a second notify = %d", n)
	}
}

func TestEmailRefusesPlainAuthWithoutTLS(t *testing.T) {
	w := newWorld(t)
	box := &mailbox{user: "u", pass: "p"}
	// 127.0.0.2 is a loopback address that net/smtp does not treat as
	// localhost, and the server offers no STARTTLS.
	port := startSMTP(t, "127.0.0.2:0", nil, box)
	w.channel(assay.AlertEmail, "insecure", map[string]string{"host": "127.0.0.2", "port": port, "from": "a@acme.example",
		"to": "b@acme.example", "username": "u"}, map[string]string{"password": "p"})
	r, changes := run(61)
	err := w.n.Notify(w.ctx, w.os.OrgID(), source, r, changes)
	if err == nil || !strings.Contains(err.Error(), "unencrypted") {
		t.Fatalf("plain auth without TLS: %v", err)
	}
	if n := len(box.received()); n != 0 {
		t.Fatalf("mail went out without TLS: %d", n)
	}
	if ds := w.deliveries(); len(ds) != 1 || ds[0].Status != assay.DeliveryFailed || ds[0].Attempts != 1 || strings.Contains(ds[0].Error, "p\"") {
		t.Fatalf("deliveries = %+v", ds)
	}

	// Without credentials, mail to a server without TLS is fine (tls=starttls
	// uses TLS only when offered).
	w2 := newWorld(t)
	w2.channel(assay.AlertEmail, "relay", map[string]string{"host": "127.0.0.2", "port": port, "from": "a@acme.example", "to": "b@acme.example"}, nil)
	if err := w2.n.Notify(w2.ctx, w2.os.OrgID(), source, r, changes); err != nil {
		t.Fatal(err)
	}
	if mails := box.received(); len(mails) != 1 || mails[0].overTLS {
		t.Fatalf("relay mails = %+v", mails)
	}
}

func TestDisabledChannelAndNothingToSay(t *testing.T) {
	w := newWorld(t)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	ch := w.channel(assay.AlertWebhook, "off", map[string]string{"url": srv.URL}, map[string]string{"secret": "k"})
	off := false
	if _, err := w.n.UpdateChannel(w.ctx, w.os, admin, ch.ID, assay.AlertChannelPatch{Enabled: &off}, nil, nil); err != nil {
		t.Fatal(err)
	}
	r, changes := run(71)
	if err := w.n.Notify(w.ctx, w.os.OrgID(), source, r, changes); err != nil {
		t.Fatal(err)
	}
	w.channel(assay.AlertWebhook, "on", map[string]string{"url": srv.URL}, map[string]string{"secret": "k"})
	// Only a first pass: nothing worth an alert.
	if err := w.n.Notify(w.ctx, w.os.OrgID(), source, r, changes[2:]); err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 0 || len(w.deliveries()) != 0 {
		t.Fatalf("hits %d, deliveries %d; want none", hits.Load(), len(w.deliveries()))
	}
}
