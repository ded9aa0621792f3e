package app_test

import (
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/internal/smtptest"
	"github.com/assay-platform/assay/monitor/alert"
	"github.com/assay-platform/assay/secret"
)

// TestDigestScheduleAtAwkwardDates: the scheduler sends each period once,
// at the local hour in New York across both daylight-saving changes of
// 2027, on New Year's Eve by the local date, and a weekly digest only on
// its weekday (29 Feb 2028, a Tuesday); a disabled account and "off" get
// nothing.
func TestDigestScheduleAtAwkwardDates(t *testing.T) {
	e := newEnv(t)
	org := e.db.Org(e.org.ID)
	key := make([]byte, secret.KeySize)
	for i := range key {
		key[i] = byte(i)
	}
	box, err := secret.New(key)
	if err != nil {
		t.Fatal(err)
	}
	mail := smtptest.Start(t)
	n := &alert.Notifier{Store: e.db, Box: box, Clock: e.clock, BaseURL: "https://assay.example.test", Backoff: func(int) time.Duration { return time.Millisecond }}
	if _, err := n.CreateChannel(e.ctx, org, assay.SystemActor, assay.NewAlertChannel{Kind: assay.AlertEmail, Name: "Mail", Enabled: true,
		Settings: map[string]string{"host": mail.Host, "port": mail.Port, "tls": "none", "from": "assay@example.test", "to": "sec@example.test"}}, nil); err != nil {
		t.Fatal(err)
	}
	a := e.app.WithSecrets(box).WithAlerts(n)
	member := e.principal(t, assay.RoleMember)
	e.clock.T = time.Date(2027, 1, 4, 12, 0, 0, 0, time.UTC)
	if _, err := org.CreateCorrectiveAction(e.ctx, assay.SystemActor, assay.NewCorrectiveAction{Source: assay.SourceManual, Title: "Close the open port",
		Action: "Close it.", OwnerID: member.User.ID, DueDate: time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	set := func(s assay.DigestSettings) {
		t.Helper()
		if _, err := org.UpdateDigestSettings(e.ctx, assay.SystemActor, s); err != nil {
			t.Fatal(err)
		}
	}
	step := func(at string, want int) {
		t.Helper()
		tm, err := time.Parse(time.RFC3339, at)
		if err != nil {
			t.Fatal(err)
		}
		e.clock.T = tm
		before := len(mail.Mails())
		if _, err := a.SendDueDigests(e.ctx); err != nil {
			t.Fatalf("%s: %v", at, err)
		}
		if got := len(mail.Mails()) - before; got != want {
			t.Fatalf("at %s: %d digests sent, want %d", at, got, want)
		}
	}
	set(assay.DigestSettings{Frequency: assay.DigestDaily, Hour: 8, Timezone: "America/New_York"})
	step("2027-03-14T11:59:00Z", 0) // 07:59 EDT on the day the clocks go forward
	step("2027-03-14T12:00:00Z", 1) // 08:00 EDT
	step("2027-03-14T12:30:00Z", 0) // the day's digest is sent
	step("2027-11-07T12:59:00Z", 0) // 07:59 EST on the day the clocks go back
	step("2027-11-07T13:00:00Z", 1)
	step("2028-01-01T03:00:00Z", 1) // 22:00 on 31 Dec in New York: that day's digest
	step("2028-01-01T12:00:00Z", 0) // 07:00 on 1 Jan
	step("2028-01-01T13:00:00Z", 1)
	set(assay.DigestSettings{Frequency: assay.DigestWeekly, Weekday: time.Tuesday, Hour: 8})
	step("2028-02-28T09:00:00Z", 0) // a Monday
	step("2028-02-29T07:59:00Z", 0)
	step("2028-02-29T08:00:00Z", 1) // the leap day is the Tuesday
	step("2028-03-01T08:00:00Z", 0)
	set(assay.DigestSettings{Frequency: assay.DigestOff})
	step("2028-03-07T08:00:00Z", 0)
	set(assay.DigestSettings{Frequency: assay.DigestDaily, Hour: 8})
	if _, err := org.SetUserDisabled(e.ctx, assay.SystemActor, member.User.ID, true); err != nil {
		t.Fatal(err)
	}
	step("2028-03-08T08:00:00Z", 0)
	sends, err := org.DigestSends(e.ctx, member.User.ID, 10)
	if err != nil || len(sends) != 5 || sends[0].Period != "weekly:2028-02-29" || sends[len(sends)-1].Period != "daily:2027-03-14" {
		t.Fatalf("send log: %v %+v", err, sends)
	}
}
