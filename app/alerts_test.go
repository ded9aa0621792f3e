package app_test

import (
	"context"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// fakeNotifier stores channels without sealing anything.
type fakeNotifier struct{ tests int }

func (f *fakeNotifier) CreateChannel(ctx context.Context, org store.OrgStore, actor assay.Actor, c assay.NewAlertChannel, _ map[string]string) (assay.AlertChannel, error) {
	return org.CreateAlertChannel(ctx, actor, c, nil)
}

func (f *fakeNotifier) UpdateChannel(ctx context.Context, org store.OrgStore, actor assay.Actor, id int64, p assay.AlertChannelPatch, _ map[string]string, _ []string) (assay.AlertChannel, error) {
	return org.UpdateAlertChannel(ctx, actor, id, p, nil)
}

func (f *fakeNotifier) SendTest(context.Context, store.OrgStore, assay.Actor, int64) (assay.AlertDelivery, error) {
	f.tests++
	return assay.AlertDelivery{ID: 1}, nil
}

// Alert channels are admins' (ActionManageMonitoring); without a notifier
// they cannot be added or tested.
func TestAlertAuthorisation(t *testing.T) {
	e := newEnv(t)
	admin := e.principal(t, assay.RoleAdmin)
	n := assay.NewAlertChannel{Kind: assay.AlertWebhook, Name: "Ops", Settings: map[string]string{"url": "https://hooks.example/x"}, Enabled: true}
	_, err := e.app.CreateAlertChannel(e.ctx, admin, n, nil)
	wantCode(t, "no notifier", err, assay.ECONFLICT)

	fake := &fakeNotifier{}
	svc := e.app.WithAlerts(fake)
	if e.app.AlertsEnabled() || !svc.AlertsEnabled() {
		t.Fatal("WithAlerts changed the original services")
	}
	for _, role := range []assay.Role{assay.RoleMember, assay.RoleAuditor, assay.RoleViewer, assay.RoleEmployee} {
		p := e.principal(t, role)
		_, err := svc.CreateAlertChannel(e.ctx, p, n, nil)
		wantCode(t, string(role)+" adds", err, assay.EFORBIDDEN)
		_, err = svc.AlertChannels(e.ctx, p)
		wantCode(t, string(role)+" lists", err, assay.EFORBIDDEN)
		_, err = svc.TestAlertChannel(e.ctx, p, 1)
		wantCode(t, string(role)+" tests", err, assay.EFORBIDDEN)
		wantCode(t, string(role)+" deletes", svc.DeleteAlertChannel(e.ctx, p, 1), assay.EFORBIDDEN)
	}
	c, err := svc.CreateAlertChannel(e.ctx, admin, n, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.TestAlertChannel(e.ctx, admin, c.ID); err != nil || fake.tests != 1 {
		t.Fatalf("test: %v %d", err, fake.tests)
	}
	if err := svc.DeleteAlertChannel(e.ctx, admin, c.ID); err != nil {
		t.Fatal(err)
	}
	if list, err := svc.AlertChannels(e.ctx, admin); err != nil || len(list) != 0 {
		t.Fatalf("after delete: %+v %v", list, err)
	}
}
