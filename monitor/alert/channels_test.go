package alert_test

import (
	"errors"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor/alert"
)

func TestChannelValidation(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct {
		what     string
		kind     assay.AlertKind
		settings map[string]string
		secrets  map[string]string
		field    string
	}{
		{"webhook without secret", assay.AlertWebhook, map[string]string{"url": "https://x.example"}, nil, "secret"},
		{"webhook bad url", assay.AlertWebhook, map[string]string{"url": "ftp://x.example"}, map[string]string{"secret": "k"}, "url"},
		{"webhook url with password", assay.AlertWebhook, map[string]string{"url": "https://u:p@x.example"}, map[string]string{"secret": "k"}, "url"},
		{"slack url as a setting", assay.AlertSlack, map[string]string{"url": "https://hooks.example"}, nil, "url"},
		{"email bad recipient", assay.AlertEmail, map[string]string{"host": "mail.example", "from": "a@acme.example", "to": "nobody"}, nil, "to"},
		{"email bad port", assay.AlertEmail, map[string]string{"host": "mail.example", "port": "99999", "from": "a@acme.example", "to": "b@acme.example"}, nil, "port"},
		{"email bad tls", assay.AlertEmail, map[string]string{"host": "mail.example", "tls": "maybe", "from": "a@acme.example", "to": "b@acme.example"}, nil, "tls"},
		{"unknown setting", assay.AlertEmail, map[string]string{"host": "mail.example", "from": "a@acme.example", "to": "b@acme.example", "cc": "x"}, nil, "cc"},
	} {
		_, err := w.n.CreateChannel(w.ctx, w.os, admin, assay.NewAlertChannel{Kind: tc.kind, Name: "c", Settings: tc.settings, Enabled: true}, tc.secrets)
		var e *assay.Error
		if err == nil || assay.ErrorCode(err) != assay.EINVALID || !errors.As(err, &e) || e.Field != tc.field {
			t.Fatalf("%s: got %v, want invalid %s", tc.what, err, tc.field)
		}
	}
	if list, _ := w.os.AlertChannels(w.ctx); len(list) != 0 {
		t.Fatalf("bad input stored %d channels", len(list))
	}
}

func TestUpdateKeepsOrReplacesSecrets(t *testing.T) {
	w := newWorld(t)
	rec := newReceiver(t)
	w.n.HTTP = rec.srv.Client()
	ch := w.channel(assay.AlertWebhook, "hook", map[string]string{"url": rec.srv.URL}, map[string]string{"secret": "first"})
	// A form that leaves the write-only secret blank keeps it.
	ch2, err := w.n.UpdateChannel(w.ctx, w.os, admin, ch.ID, assay.AlertChannelPatch{Settings: map[string]string{"url": rec.srv.URL + "/v2"}},
		map[string]string{"secret": " "}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(ch2.Secrets) != string(ch.Secrets) {
		t.Fatal("a blank secret replaced the stored one")
	}
	if _, err := w.n.SendTest(w.ctx, w.os, admin, ch.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.n.UpdateChannel(w.ctx, w.os, admin, ch.ID, assay.AlertChannelPatch{}, map[string]string{"secret": "second"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := w.n.SendTest(w.ctx, w.os, admin, ch.ID); err != nil {
		t.Fatal(err)
	}
	got := rec.requests()
	if len(got) != 2 {
		t.Fatalf("requests = %d", len(got))
	}
	for i, key := range []string{"first", "second"} {
		h := got[i].header
		if !alert.Verify([]byte(key), h.Get(alert.HeaderTimestamp), got[i].body, h.Get(alert.HeaderSignature)) {
			t.Fatalf("test message %d not signed with %q", i, key)
		}
	}
	// Removing a required secret is refused.
	_, err = w.n.UpdateChannel(w.ctx, w.os, admin, ch.ID, assay.AlertChannelPatch{}, nil, []string{"secret"})
	if assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("clearing the signing secret: %v", err)
	}
	// Secrets sealed for one channel do not open for another id.
	other := w.channel(assay.AlertWebhook, "other", map[string]string{"url": rec.srv.URL}, map[string]string{"secret": "x"})
	if _, err := w.n.Box.Open([]byte("wrong"), other.Secrets); err == nil {
		t.Fatal("secrets open with the wrong binding")
	}
	ds := w.deliveries()
	if len(ds) != 2 || ds[0].Summary != "test message" || ds[0].Status != assay.DeliverySent {
		t.Fatalf("test deliveries = %+v", ds)
	}
}
