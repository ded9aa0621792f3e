package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

var alertTests = []subtest{
	{"AlertChannelLifecycle", testAlertChannelLifecycle},
	{"AlertChannelRefusesBadInput", testAlertChannelBadInput},
	{"AlertEventsClaimedOnce", testAlertClaims},
	{"AlertTenancy", testAlertTenancy},
}

// fakeSeal "seals" by tagging the id, so the test sees the id it was given.
func fakeSeal(secrets map[string]string) store.SealFunc {
	return func(id int64) ([]byte, []string, error) {
		keys := []string{}
		for k := range secrets {
			keys = append(keys, k)
		}
		return fmt.Appendf(nil, "sealed-for-%d", id), keys, nil
	}
}

func (e *Env) channel(o store.OrgStore, name string) assay.AlertChannel {
	e.T.Helper()
	return must(o.CreateAlertChannel(e.Ctx, Actor, assay.NewAlertChannel{Kind: assay.AlertWebhook, Name: name,
		Settings: map[string]string{"url": "https://hooks.example/" + name}, Enabled: true}, fakeSeal(map[string]string{"secret": "x"}))).get(e.T)
}

func testAlertChannelLifecycle(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	c := must(o.CreateAlertChannel(e.Ctx, Actor, assay.NewAlertChannel{Kind: assay.AlertEmail, Name: "  Security inbox ",
		Settings: map[string]string{"host": "mail.example", "port": "587", "to": "sec@acme.example", "empty": " "}, Enabled: true},
		fakeSeal(map[string]string{"password": "p", "alpha": "a"}))).get(t)
	if c.ID == 0 || c.Name != "Security inbox" || c.Kind != assay.AlertEmail || !c.Enabled || c.Settings["host"] != "mail.example" ||
		c.Settings["empty"] != "" || len(c.Settings) != 3 || !bytes.Equal(c.Secrets, fmt.Appendf(nil, "sealed-for-%d", c.ID)) ||
		!slices.Equal(c.SecretKeys, []string{"alpha", "password"}) {
		t.Fatalf("created = %+v", c)
	}
	jsonEq(t, must(o.AlertChannel(e.Ctx, c.ID)).get(t), c, "re-read")

	// A patch without seal keeps the secrets.
	e.Clock.Advance(time.Minute)
	u := must(o.UpdateAlertChannel(e.Ctx, Actor, c.ID, assay.AlertChannelPatch{Enabled: ptr(false), Name: ptr("Sec")}, nil)).get(t)
	if u.Enabled || u.Name != "Sec" || !bytes.Equal(u.Secrets, c.Secrets) || !u.UpdatedAt.After(c.UpdatedAt) {
		t.Fatalf("updated = %+v", u)
	}
	u = must(o.UpdateAlertChannel(e.Ctx, Actor, c.ID, assay.AlertChannelPatch{Settings: map[string]string{"host": "smtp.example"}},
		func(id int64) ([]byte, []string, error) { return []byte("new"), []string{"password"}, nil })).get(t)
	if u.Settings["host"] != "smtp.example" || len(u.Settings) != 1 || string(u.Secrets) != "new" || !slices.Equal(u.SecretKeys, []string{"password"}) {
		t.Fatalf("updated settings = %+v", u)
	}
	w := e.channel(o, "ops")
	list := must(o.AlertChannels(e.Ctx)).get(t)
	if len(list) != 2 || list[0].ID != c.ID || list[1].ID != w.ID { // by name, bytewise: "Sec" < "ops"
		t.Fatalf("list = %+v", list)
	}

	// The audit trail never holds the sealed blob.
	for _, a := range e.Activity(o) {
		if bytes.Contains(a.After, []byte("sealed-for")) || bytes.Contains(a.Before, []byte("sealed-for")) {
			t.Fatalf("activity %s holds the sealed secrets: %s", a.Action, a.After)
		}
	}
	check(t, o.DeleteAlertChannel(e.Ctx, Actor, c.ID), "delete")
	_, err := o.AlertChannel(e.Ctx, c.ID)
	wantCode(t, err, assay.ENOTFOUND, "deleted channel")
	wantCode(t, o.DeleteAlertChannel(e.Ctx, Actor, c.ID), assay.ENOTFOUND, "delete twice")
	var actions []string
	for _, a := range e.Activity(o) {
		actions = append(actions, a.Action)
	}
	if !slices.Contains(actions, "alert_channel.create") || !slices.Contains(actions, "alert_channel.update") || !slices.Contains(actions, "alert_channel.delete") {
		t.Fatalf("activity = %q", actions)
	}
}

func testAlertChannelBadInput(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	e.channel(o, "ops")
	entries := len(e.Activity(o))
	for _, tc := range []struct {
		what string
		n    assay.NewAlertChannel
		seal store.SealFunc
		code string
	}{
		{"unknown kind", assay.NewAlertChannel{Kind: "pager", Name: "x"}, nil, assay.EINVALID},
		{"no name", assay.NewAlertChannel{Kind: assay.AlertSlack, Name: "  "}, nil, assay.EINVALID},
		{"duplicate name", assay.NewAlertChannel{Kind: assay.AlertSlack, Name: "ops"}, nil, assay.ECONFLICT},
		{"seal fails", assay.NewAlertChannel{Kind: assay.AlertSlack, Name: "new"},
			func(int64) ([]byte, []string, error) { return nil, nil, errors.New("no key") }, ""},
	} {
		_, err := o.CreateAlertChannel(e.Ctx, Actor, tc.n, tc.seal)
		if err == nil {
			t.Fatalf("%s: created", tc.what)
		}
		if tc.code != "" {
			wantCode(t, err, tc.code, tc.what)
		}
	}
	if n := len(must(o.AlertChannels(e.Ctx)).get(t)); n != 1 {
		t.Fatalf("channels after bad input = %d", n)
	}
	if n := len(e.Activity(o)); n != entries {
		t.Fatalf("activity grew from %d to %d", entries, n)
	}
	_, err := o.FinishAlertDelivery(e.Ctx, Actor, 999, assay.AlertOutcome{Status: assay.DeliverySent})
	wantCode(t, err, assay.ENOTFOUND, "finish unknown delivery")
}

func testAlertClaims(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	a, b := e.channel(o, "a"), e.channel(o, "b")
	d, keys, err := o.ClaimAlertEvents(e.Ctx, assay.NewAlertDelivery{ChannelID: a.ID, UID: "d1", RunID: 7, SourceID: 3,
		Keys: []string{"k1", "k2", "k1"}, Summary: "2 changes"})
	check(t, err, "claim")
	if d.ID == 0 || d.Status != assay.DeliveryPending || d.Events != 2 || d.ChannelName != "a" || d.RunID != 7 || !slices.Equal(keys, []string{"k1", "k2"}) {
		t.Fatalf("claim = %+v %q", d, keys)
	}
	// The same events again: nothing to claim, nothing written.
	d2, keys2, err := o.ClaimAlertEvents(e.Ctx, assay.NewAlertDelivery{ChannelID: a.ID, UID: "d2", Keys: []string{"k2", "k1"}})
	check(t, err, "claim again")
	if d2.ID != 0 || len(keys2) != 0 {
		t.Fatalf("claimed twice: %+v %q", d2, keys2)
	}
	// A new event with old ones: only the new one; another channel: all.
	_, keys3, err := o.ClaimAlertEvents(e.Ctx, assay.NewAlertDelivery{ChannelID: a.ID, UID: "d3", Keys: []string{"k1", "k3"}})
	check(t, err, "claim mixed")
	wantIDs(t, keys3, []string{"k3"}, "mixed claim")
	_, keys4, err := o.ClaimAlertEvents(e.Ctx, assay.NewAlertDelivery{ChannelID: b.ID, UID: "d4", Keys: []string{"k1"}})
	check(t, err, "other channel")
	wantIDs(t, keys4, []string{"k1"}, "other channel claim")

	sent := must(o.FinishAlertDelivery(e.Ctx, Actor, d.ID, assay.AlertOutcome{Status: assay.DeliverySent, Attempts: 1})).get(t)
	if sent.Status != assay.DeliverySent || sent.FinishedAt == nil || sent.Attempts != 1 {
		t.Fatalf("sent = %+v", sent)
	}
	_, err = o.FinishAlertDelivery(e.Ctx, Actor, d.ID, assay.AlertOutcome{Status: assay.DeliveryFailed})
	wantCode(t, err, assay.ECONFLICT, "finish twice")

	// A failed delivery releases its keys: k3 may be claimed again.
	list := must(o.AlertDeliveries(e.Ctx, a.ID, 0)).get(t)
	if len(list) != 2 || list[0].UID != "d3" {
		t.Fatalf("deliveries = %+v", list)
	}
	must(o.FinishAlertDelivery(e.Ctx, Actor, list[0].ID, assay.AlertOutcome{Status: assay.DeliveryFailed, Attempts: 3, Error: "receiver said 503"})).get(t)
	_, keys5, err := o.ClaimAlertEvents(e.Ctx, assay.NewAlertDelivery{ChannelID: a.ID, UID: "d5", Keys: []string{"k1", "k2", "k3"}})
	check(t, err, "claim after failure")
	wantIDs(t, keys5, []string{"k3"}, "claim after failure")

	// A delivery left pending for long (its sender died) gives way.
	e.Clock.Advance(time.Hour)
	_, keys6, err := o.ClaimAlertEvents(e.Ctx, assay.NewAlertDelivery{ChannelID: b.ID, UID: "d6", Keys: []string{"k1"}})
	check(t, err, "claim after stale")
	wantIDs(t, keys6, []string{"k1"}, "claim after stale")
	all := must(o.AlertDeliveries(e.Ctx, 0, 0)).get(t)
	if len(all) != 5 || all[0].UID != "d6" || all[1].UID != "d5" || all[1].Status != assay.DeliveryPending || all[2].Status != assay.DeliveryFailed ||
		all[2].Error != "abandoned: the sender stopped before finishing" {
		t.Fatalf("all deliveries = %+v", all)
	}
	_, _, err = o.ClaimAlertEvents(e.Ctx, assay.NewAlertDelivery{ChannelID: 12345, UID: "d7", Keys: []string{"k"}})
	wantCode(t, err, assay.ENOTFOUND, "claim on unknown channel")
}

func testAlertTenancy(e *Env) {
	t := e.T
	_, acme := e.Org("acme")
	_, other := e.Org("other")
	c := e.channel(acme, "ops")
	d, _, err := acme.ClaimAlertEvents(e.Ctx, assay.NewAlertDelivery{ChannelID: c.ID, UID: "d1", Keys: []string{"k"}})
	check(t, err, "claim")
	_, err = other.AlertChannel(e.Ctx, c.ID)
	wantCode(t, err, assay.ENOTFOUND, "read another org's channel")
	_, err = other.UpdateAlertChannel(e.Ctx, Actor, c.ID, assay.AlertChannelPatch{Enabled: ptr(false)}, nil)
	wantCode(t, err, assay.ENOTFOUND, "update another org's channel")
	wantCode(t, other.DeleteAlertChannel(e.Ctx, Actor, c.ID), assay.ENOTFOUND, "delete another org's channel")
	_, _, err = other.ClaimAlertEvents(e.Ctx, assay.NewAlertDelivery{ChannelID: c.ID, UID: "d2", Keys: []string{"k2"}})
	wantCode(t, err, assay.ENOTFOUND, "claim on another org's channel")
	_, err = other.FinishAlertDelivery(e.Ctx, Actor, d.ID, assay.AlertOutcome{Status: assay.DeliverySent})
	wantCode(t, err, assay.ENOTFOUND, "finish another org's delivery")
	if n := len(must(other.AlertChannels(e.Ctx)).get(t)); n != 0 {
		t.Fatalf("other sees %d channels", n)
	}
	if n := len(must(other.AlertDeliveries(e.Ctx, 0, 0)).get(t)); n != 0 {
		t.Fatalf("other sees %d deliveries", n)
	}
	if got := must(acme.AlertChannel(e.Ctx, c.ID)).get(t); !got.Enabled {
		t.Fatalf("channel changed: %+v", got)
	}
}
