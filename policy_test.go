package assay

import (
	"strings"
	"testing"
	"time"
)

func TestPolicyLifecycleMoves(t *testing.T) {
	allowed := map[[2]PolicyStatus]bool{
		{PolicyDraft, PolicyInReview}: true, {PolicyInReview, PolicyDraft}: true, {PolicyInReview, PolicyApproved}: true,
		{PolicyApproved, PolicyDraft}: true, {PolicyApproved, PolicyPublished}: true, {PolicyPublished, PolicyRetired}: true,
	}
	for _, from := range PolicyStatuses {
		for _, to := range PolicyStatuses {
			if got := from.CanMove(to); got != allowed[[2]PolicyStatus{from, to}] {
				t.Errorf("%s -> %s = %v", from, to, got)
			}
		}
	}
	if PolicyStatus("x").Valid() || !PolicyRetired.Valid() {
		t.Error("Valid")
	}
}

func TestPolicyNumbers(t *testing.T) {
	n, err := ParsePolicyNumber("3.2")
	if err != nil || n != (PolicyNumber{3, 2}) || n.String() != "3.2" {
		t.Fatal(n, err)
	}
	for _, bad := range []string{"", "3", "3.x", "-1.0", "a.b"} {
		if _, err := ParsePolicyNumber(bad); ErrorCode(err) != EINVALID {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if m, _ := n.Bump("minor"); m.String() != "3.3" {
		t.Error(m)
	}
	if m, _ := n.Bump("major"); m.String() != "4.0" {
		t.Error(m)
	}
	if _, err := n.Bump("patch"); err == nil {
		t.Error("patch bump accepted")
	}
	if !(PolicyNumber{1, 9}).Less(PolicyNumber{2, 0}) || (PolicyNumber{2, 0}).Less(PolicyNumber{1, 9}) {
		t.Error("Less")
	}
	a := PolicyAcceptance{Version: "2.1"}
	if !a.Counts(PolicyNumber{2, 4}) || a.Counts(PolicyNumber{3, 0}) {
		t.Error("Counts")
	}
}

func TestPolicyScope(t *testing.T) {
	s := PolicyScope{Departments: []string{" Engineering ", "engineering", ""}, EmploymentTypes: []string{"Contractor"}}
	if err := s.Validate(); err != nil || len(s.Departments) != 1 || s.EmploymentTypes[0] != "contractor" {
		t.Fatal(s, err)
	}
	if !s.Matches("ENGINEERING", "contractor") || s.Matches("Engineering", "employee") || s.Matches("Sales", "contractor") {
		t.Error("Matches")
	}
	if !(PolicyScope{}).Matches("x", "y") || !(PolicyScope{}).All() {
		t.Error("empty scope is everyone")
	}
	bad := PolicyScope{EmploymentTypes: []string{"robot"}}
	if ErrorCode(bad.Validate()) != EINVALID {
		t.Error("robot accepted")
	}
}

func TestPolicyReviewState(t *testing.T) {
	at := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	v := &PolicyVersion{}
	p := Policy{ReviewMonths: 12, ReviewedAt: &at, Published: v}
	for _, c := range []struct {
		now  time.Time
		want string
	}{{at.AddDate(0, 6, 0), ""}, {at.AddDate(0, 11, 10), "due"}, {at.AddDate(1, 0, 1), "overdue"}} {
		if got := p.ReviewState(c.now); got != c.want {
			t.Errorf("at %v: %q, want %q", c.now, got, c.want)
		}
	}
	p.Published = nil
	if p.ReviewState(at.AddDate(2, 0, 0)) != "" {
		t.Error("unpublished policy flagged")
	}
}

func TestPolicyTemplateFill(t *testing.T) {
	body := "{{company}} {{ owner }} {{review_cadence}} {{effective_date}} {{other}}"
	if got := TemplatePlaceholders(body); strings.Join(got, ",") != "company,owner,review_cadence,effective_date,other" {
		t.Fatal(got)
	}
	got := FillPolicyTemplate(body, PolicyVars("Acme", "Ada", 6))
	if got != "Acme Ada every 6 months {{effective_date}} {{other}}" {
		t.Fatal(got)
	}
	got = FillEffectiveDate(got, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	if !strings.Contains(got, "2 March 2026") {
		t.Fatal(got)
	}
}

func TestPolicyEditValidate(t *testing.T) {
	e := PolicyEdit{Body: "text", Changelog: " "}
	if ErrorCode(e.Validate(true)) != EINVALID {
		t.Error("new version without changelog")
	}
	if e.Validate(false) != nil {
		t.Error("draft edit needs no changelog")
	}
	n := NewPolicy{Title: "T", Body: "x"}
	if n.Validate() != nil || n.ReviewMonths != DefaultReviewMonths {
		t.Error(n)
	}
}

func TestDiffLines(t *testing.T) {
	a := "# T\none\ntwo\nthree\nfour\n"
	b := "# T\none\n2\nthree\nfour\nfive\n"
	d := DiffLines(a, b)
	var got []string
	for _, l := range d {
		got = append(got, string(l.Op)+l.Text)
	}
	want := " # T| one|-two|+2| three| four|+five"
	if strings.Join(got, "|") != want {
		t.Fatalf("diff = %q", strings.Join(got, "|"))
	}
	if add, rem := DiffStats(d); add != 2 || rem != 1 {
		t.Fatal(add, rem)
	}
	if d := DiffLines("", "x\n"); len(d) != 1 || d[0].Kind != "added" {
		t.Fatal(d)
	}
	if d := DiffLines("same\n", "same\n"); len(d) != 1 || d[0].Kind != "same" {
		t.Fatal(d)
	}
}

func TestPolicyFigureMet(t *testing.T) {
	for _, c := range []struct {
		acc, req int
		met      bool
	}{{0, 0, false}, {19, 20, true}, {18, 20, false}, {1, 1, true}, {94, 100, false}} {
		if got := NewPolicyFigure(PolicyFigure{Accepted: c.acc, Required: c.req}).Met(); got != c.met {
			t.Errorf("%d/%d met = %v", c.acc, c.req, got)
		}
	}
}

func TestManagePoliciesIsForAdmins(t *testing.T) {
	for _, r := range Roles {
		u := User{Role: r}
		if got := u.Can(ActionManagePolicies, nil); got != (r == RoleAdmin) {
			t.Errorf("%s may manage policies: %v", r, got)
		}
	}
	if (User{Role: RoleAdmin, Disabled: true}).Can(ActionManagePolicies, nil) {
		t.Error("a disabled admin may manage policies")
	}
}

func TestPolicyCondition(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	reviewed := now.AddDate(0, -2, 0)
	pub := &PolicyVersion{Version: "2.0", Status: PolicyPublished}
	cc := map[string][]string{"GOV-02": {"CC1.1"}, "ACC-01": {"CC6.1"}}
	policies := []Policy{
		{ID: 1, Title: "Code of Conduct", Controls: []string{"GOV-02"}, ReviewMonths: 12, ReviewedAt: &reviewed, Published: pub, Latest: pub},
		{ID: 2, Title: "Access", Controls: []string{"ACC-01"}},
	}
	figs := []PolicyFigure{{PolicyID: 1, Accepted: 7, Required: 10}}
	cond := PolicyCondition(now, policies, figs, cc)
	if got := cond("CC1.1"); got != "Code of Conduct: 3 of 10 people have not accepted version 2.0" {
		t.Errorf("CC1.1: %q", got)
	}
	if got := cond("CC6.1"); got != "" {
		t.Errorf("CC6.1 is not a policy criterion: %q", got)
	}
	if got := cond("CC5.3"); got != "" {
		t.Errorf("CC5.3 without mapped policies: %q", got)
	}
	figs[0].Accepted = 10
	if got := PolicyCondition(now, policies, figs, cc)("CC1.1"); got != "" {
		t.Errorf("all accepted: %q", got)
	}
}
