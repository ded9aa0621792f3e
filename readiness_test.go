package assay_test

import (
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/internal/clocktest"
)

var testCriteria = []assay.Criterion{
	{ID: "CC1.1", Category: "security", Series: "CC1", Title: "Ethics"},
	{ID: "CC6.1", Category: "security", Series: "CC6", Title: "Access"},
	{ID: "CC6.2", Category: "security", Series: "CC6", Title: "Registration"},
	{ID: "A1.1", Category: "availability", Series: "A1", Title: "Capacity"},
	{ID: "P1.1", Category: "privacy", Series: "P1", Title: "Notice"},
}

func ctl(id string, status assay.ControlStatus, criteria ...string) assay.Control {
	return assay.Control{ID: id, Name: id, Status: status, OwnerRole: "Security lead", Criteria: criteria}
}

func TestReadinessRule(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	controls := []assay.Control{
		ctl("A", assay.StatusImplemented, "CC1.1", "A1.1"),
		ctl("B", assay.StatusNotApplicable, "CC1.1"), // N/A does not block CC1.1
		ctl("C", assay.StatusImplemented, "CC6.1"),
		ctl("D", assay.StatusInProgress, "CC6.1"), // blocks CC6.1
		ctl("E", assay.StatusNotApplicable, "CC6.2"),
		ctl("F", assay.StatusImplemented, "P1.1"),
	}
	rd := assay.ReadinessRule{}.Compute(now, testCriteria, assay.Scope{Categories: []string{"security", "availability"}}, controls)

	if rd.Overall != (assay.Figure{Met: 2, Total: 4, Percent: 50}) {
		t.Fatalf("overall %+v, want 2 of 4 (privacy is out of scope)", rd.Overall)
	}
	met := map[string]bool{}
	for _, c := range rd.Criteria {
		met[c.ID] = c.Met
	}
	want := map[string]bool{"CC1.1": true, "CC6.1": false, "CC6.2": false, "A1.1": true}
	for id, w := range want {
		if met[id] != w {
			t.Errorf("%s met = %v, want %v", id, met[id], w)
		}
	}
	if _, ok := met["P1.1"]; ok {
		t.Error("an out-of-scope criterion is judged")
	}
	if len(rd.Gaps) != 2 || rd.Gaps[0].ID != "CC6.1" || len(rd.Gaps[0].Missing) != 1 || rd.Gaps[0].Missing[0].ID != "D" {
		t.Fatalf("gaps: %+v", rd.Gaps)
	}
	if rd.Gaps[1].ID != "CC6.2" || rd.Gaps[1].Reason == "" {
		t.Fatalf("an all-N/A criterion must be a gap with a reason: %+v", rd.Gaps[1])
	}
	for _, c := range rd.Categories {
		switch c.Category {
		case "security":
			if c.Figure != (assay.Figure{Met: 1, Total: 3, Percent: 33}) {
				t.Errorf("security %+v", c.Figure)
			}
		case "availability":
			if c.Figure != (assay.Figure{Met: 1, Total: 1, Percent: 100}) || !c.InScope {
				t.Errorf("availability %+v", c)
			}
		case "privacy":
			if c.InScope || c.Total != 0 {
				t.Errorf("privacy must drop out: %+v", c)
			}
		}
	}
	if rd.Controls[assay.StatusImplemented] != 2 || rd.Controls[assay.StatusInProgress] != 1 {
		t.Errorf("in-scope controls by status: %v (F maps only to out-of-scope P1.1)", rd.Controls)
	}
	if rd.Gaps[0].Missing[0].Owner() != "Unassigned (Security lead)" {
		t.Errorf("owner of an unassigned control: %q", rd.Gaps[0].Missing[0].Owner())
	}

	// An extra condition (later: evidence, checks) can hold a criterion back.
	rule := assay.ReadinessRule{Conditions: []assay.ControlCondition{func(c assay.Control) string {
		if c.ID == "A" {
			return "evidence expired"
		}
		return ""
	}}}
	rd = rule.Compute(now, testCriteria, assay.Scope{}, controls)
	if rd.Overall.Met != 0 || rd.Gaps[0].ID != "CC1.1" || rd.Gaps[0].Missing[0].Reason != "evidence expired" {
		t.Fatalf("condition ignored: %+v %+v", rd.Overall, rd.Gaps)
	}
}

func TestReadinessNoControls(t *testing.T) {
	rd := assay.ReadinessRule{}.Compute(clocktest.Now(), testCriteria, assay.Scope{}, nil)
	if rd.Overall.Total != 3 || rd.Overall.Met != 0 || rd.Overall.Percent != 0 || len(rd.Gaps) != 3 {
		t.Fatalf("%+v", rd.Overall)
	}
	if rd.Gaps[0].Reason == "" {
		t.Fatal("a criterion with no control needs a reason")
	}
}
