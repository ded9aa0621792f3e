package assay

import (
	"strings"
	"testing"
	"time"
)

func TestCriterionConditionsHoldACriterionBack(t *testing.T) {
	now := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	crit := []Criterion{{ID: "CC3.1", Category: CategorySecurity}, {ID: "CC6.1", Category: CategorySecurity}}
	ctl := []Control{{ID: "A", Status: StatusImplemented, Criteria: []string{"CC3.1", "CC6.1"}}}
	rule := ReadinessRule{CriterionConditions: []CriterionCondition{RiskAssessmentCondition(now, nil, 0)}}
	r := rule.Compute(now, crit, Scope{}, ctl)
	if r.Overall.Met != 1 || len(r.Gaps) != 1 || r.Gaps[0].ID != "CC3.1" || !strings.Contains(r.Gaps[0].Reason, "no risk assessment") || !strings.Contains(r.Gaps[0].Reason, "register is empty") {
		t.Fatalf("readiness %+v", r)
	}
	old := RiskAssessment{Date: now.AddDate(-1, 0, -1)}
	if why := RiskAssessmentCondition(now, &old, 3)("CC3.4"); !strings.Contains(why, "more than 12 months") {
		t.Fatalf("stale assessment: %q", why)
	}
	fresh := RiskAssessment{Date: now.AddDate(0, -11, 0)}
	if why := RiskAssessmentCondition(now, &fresh, 3)("CC3.4"); why != "" {
		t.Fatalf("fresh assessment: %q", why)
	}
}

func TestVendorTierAndReports(t *testing.T) {
	for _, c := range []struct {
		class DataClass
		crit  string
		want  string
	}{{DataPublic, TierLow, TierLow}, {DataConfidential, TierLow, TierMedium}, {DataInternal, TierMedium, TierMedium}, {DataRestricted, TierLow, TierHigh}, {DataPublic, TierHigh, TierHigh}} {
		if got := (Vendor{Classification: c.class, Criticality: c.crit}).ComputedTier(); got != c.want {
			t.Errorf("%s/%s: %s, want %s", c.class, c.crit, got, c.want)
		}
	}
	end := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	v := Vendor{SOC2PeriodEnd: &end}
	for at, want := range map[string]string{"2026-05-01": SOC2Current, "2026-06-05": SOC2Expiring, "2026-06-30": SOC2Stale} {
		now, _ := time.Parse("2006-01-02", at)
		if got := v.SOC2State(now); got != want {
			t.Errorf("%s: %s, want %s", at, got, want)
		}
	}
	if (Vendor{}).SOC2State(end) != SOC2None {
		t.Error("no report on file")
	}
	qs := []VendorQuestion{{ID: "A", Weight: 3}, {ID: "B", Weight: 1}, {ID: "C", Weight: 2}}
	if s, err := ScoreReview(qs, map[string]string{"A": "yes", "B": "no", "C": "na"}); err != nil || s != 75 {
		t.Fatalf("score %d %v", s, err)
	}
	if _, err := ScoreReview(qs, map[string]string{"A": "na", "B": "na", "C": "na"}); ErrorCode(err) != EINVALID {
		t.Fatal("all na accepted")
	}
	if _, err := ScoreReview(qs, map[string]string{"A": "yes", "B": "yes", "C": "yes", "Z": "yes"}); ErrorCode(err) != EINVALID {
		t.Fatal("unknown question accepted")
	}
}

func TestRiskAcceptanceState(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	day := func(days int) *time.Time {
		d := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days)
		return &d
	}
	for _, c := range []struct {
		name string
		r    Risk
		want string
	}{
		{"mitigated", Risk{Treatment: TreatMitigate, AcceptExpires: day(-5)}, ""},
		{"accepted, far off", Risk{Treatment: TreatAccept, AcceptExpires: day(90)}, ""},
		{"accepted, 31 days", Risk{Treatment: TreatAccept, AcceptExpires: day(31)}, ""},
		{"accepted, 30 days", Risk{Treatment: TreatAccept, AcceptExpires: day(30)}, AcceptanceExpiring},
		{"accepted, tomorrow", Risk{Treatment: TreatAccept, AcceptExpires: day(1)}, AcceptanceExpiring},
		{"accepted, today", Risk{Treatment: TreatAccept, AcceptExpires: day(0)}, AcceptanceExpired},
		{"accepted, last year", Risk{Treatment: TreatAccept, AcceptExpires: day(-365)}, AcceptanceExpired},
		{"accepted but closed", Risk{Treatment: TreatAccept, Status: RiskClosed, AcceptExpires: day(-1)}, ""},
		{"accepted without a date", Risk{Treatment: TreatAccept}, ""},
	} {
		if got := c.r.AcceptanceState(now); got != c.want {
			t.Errorf("%s: AcceptanceState = %q, want %q", c.name, got, c.want)
		}
	}
}
