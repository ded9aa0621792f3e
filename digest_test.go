package assay

import (
	"testing"
	"time"
)

func TestDigestPeriodAwkwardDates(t *testing.T) {
	ny := "America/New_York"
	wd := func(d time.Weekday) *time.Weekday { return &d }
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	daily := DigestSchedule{Frequency: DigestDaily, Hour: 8, Timezone: ny}
	for _, c := range []struct {
		name   string
		s      DigestSchedule
		now    string
		period string
		due    bool
	}{
		// Spring forward: 08:00 EDT is 12:00 UTC (not 13:00 as the day before).
		{"dst start before hour", daily, "2027-03-14T11:59:00Z", "daily:2027-03-14", false},
		{"dst start at hour", daily, "2027-03-14T12:00:00Z", "daily:2027-03-14", true},
		{"day before dst start", daily, "2027-03-13T12:30:00Z", "daily:2027-03-13", false},
		// A skipped local hour (02:00 does not exist that day) moves to 03:00 EDT = 07:00 UTC.
		{"dst gap hour", DigestSchedule{Frequency: DigestDaily, Hour: 2, Timezone: ny}, "2027-03-14T06:59:00Z", "daily:2027-03-14", false},
		{"dst gap hour reached", DigestSchedule{Frequency: DigestDaily, Hour: 2, Timezone: ny}, "2027-03-14T07:00:00Z", "daily:2027-03-14", true},
		// Fall back: 08:00 EST is 13:00 UTC.
		{"dst end before hour", daily, "2027-11-07T12:59:00Z", "daily:2027-11-07", false},
		{"dst end at hour", daily, "2027-11-07T13:00:00Z", "daily:2027-11-07", true},
		// The local date, not the UTC one, names the period.
		{"new year's eve local", daily, "2028-01-01T03:00:00Z", "daily:2027-12-31", true},
		{"31 Dec UTC", DigestSchedule{Frequency: DigestDaily, Hour: 8}, "2027-12-31T08:00:00Z", "daily:2027-12-31", true},
		{"29 Feb", DigestSchedule{Frequency: DigestDaily, Hour: 8}, "2028-02-29T09:00:00Z", "daily:2028-02-29", true},
		{"weekly on its weekday", DigestSchedule{Frequency: DigestWeekly, Weekday: time.Tuesday, Hour: 8}, "2028-02-29T08:00:00Z", "weekly:2028-02-29", true},
		{"weekly another day", DigestSchedule{Frequency: DigestWeekly, Weekday: time.Monday, Hour: 8}, "2028-02-29T09:00:00Z", "weekly:2028-02-29", false},
		{"off", DigestSchedule{Frequency: DigestOff}, "2028-02-29T09:00:00Z", "", false},
	} {
		p, due := DigestPeriod(c.s, at(c.now))
		if p != c.period || due != c.due {
			t.Errorf("%s: DigestPeriod = %q, %v; want %q, %v", c.name, p, due, c.period, c.due)
		}
	}
	// A person's choices win over the organisation's.
	s := ResolveDigest(DigestSettings{Frequency: DigestWeekly, Weekday: time.Monday, Hour: 7, Timezone: ny, OptOut: []string{DigestTraining}},
		DigestPrefs{Frequency: DigestDaily, Weekday: wd(time.Friday), OptOut: []string{DigestEvidence}})
	if s.Frequency != DigestDaily || s.Weekday != time.Friday || s.Hour != 7 || s.Wants(DigestEvidence) || !s.Wants(DigestTraining) {
		t.Errorf("ResolveDigest = %+v", s)
	}
	if s := ResolveDigest(DigestSettings{Frequency: DigestWeekly, OptOut: []string{DigestTraining}}, DigestPrefs{}); s.Wants(DigestTraining) {
		t.Errorf("without own choices the organisation's opt-outs apply: %+v", s)
	}
}

func TestDigestSettingsNormalize(t *testing.T) {
	for _, s := range []DigestSettings{
		{Frequency: "hourly"}, {Frequency: DigestDaily, Hour: 24}, {Frequency: DigestDaily, Weekday: 7},
		{Frequency: DigestDaily, Timezone: "Mars/Olympus"}, {Frequency: DigestDaily, OptOut: []string{"gossip"}},
	} {
		if _, err := s.Normalize(); ErrorCode(err) != EINVALID {
			t.Errorf("%+v: err = %v, want invalid", s, err)
		}
	}
	s, err := DigestSettings{Frequency: DigestDaily, Timezone: "UTC", OptOut: []string{DigestRiskReviews, DigestPolicies, DigestPolicies}}.Normalize()
	if err != nil || s.Timezone != "" || len(s.OptOut) != 2 || s.OptOut[0] != DigestPolicies {
		t.Errorf("Normalize = %+v, %v", s, err)
	}
}

func TestGroupDigest(t *testing.T) {
	d := func(s string) time.Time { tm, _ := time.Parse(time.DateOnly, s); return tm }
	items := []DigestItem{
		{Kind: DigestEvidence, Title: "b", Due: d("2027-01-10")},
		{Kind: DigestEvidence, Title: "a", Due: d("2027-01-20"), Overdue: true},
		{Kind: DigestTraining, Title: "t", Due: d("2027-01-05")},
		{Kind: DigestPolicies, Title: "p"},
	}
	secs, overdue, total := GroupDigest(DigestSchedule{OptOut: []string{DigestTraining}}, items)
	if len(secs) != 2 || secs[0].Kind != DigestPolicies || secs[1].Items[0].Title != "a" || overdue != 1 || total != 3 {
		t.Errorf("GroupDigest = %+v, %d, %d", secs, overdue, total)
	}
}
