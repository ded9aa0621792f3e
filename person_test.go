package assay

import (
	"strings"
	"testing"
	"time"
)

func d(s string) *time.Time {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func TestPersonStatusAt(t *testing.T) {
	now := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		start, end string
		want       PersonStatus
	}{
		{"", "", PersonActive},
		{"2026-03-11", "", PersonUpcoming},
		{"2026-03-10", "", PersonActive},
		{"2025-01-01", "2026-03-10", PersonActive}, // the end date is the last day
		{"2025-01-01", "2026-03-09", PersonDeparted},
	} {
		p := Person{}
		if c.start != "" {
			p.StartDate = d(c.start)
		}
		if c.end != "" {
			p.EndDate = d(c.end)
		}
		if got := p.StatusAt(now); got != c.want {
			t.Errorf("start %q end %q: %s, want %s", c.start, c.end, got, c.want)
		}
	}
}

func TestAddBusinessDaysSkipsWeekends(t *testing.T) {
	for _, c := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-03-13", 1, "2026-03-16"}, // Friday -> Monday
		{"2026-03-14", 1, "2026-03-16"}, // Saturday -> Monday
		{"2026-03-10", 1, "2026-03-11"},
		{"2026-03-13", 5, "2026-03-20"},
		{"2026-03-11", 5, "2026-03-18"},
	} {
		if got := FormatDate(ptrTime(AddBusinessDays(*d(c.from), c.n))); got != c.want {
			t.Errorf("%s + %d business days = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}

func ptrTime(t time.Time) *time.Time { return &t }

func TestParseDateNamesTheField(t *testing.T) {
	_, err := ParseDate("start_date", "2026-13-01")
	if got := ErrorMessage(err); got != `start_date "2026-13-01" is not a date (YYYY-MM-DD)` {
		t.Fatalf("message = %q", got)
	}
	if v, err := ParseDate("end_date", " "); v != nil || err != nil {
		t.Fatalf("blank = %v, %v", v, err)
	}
}

func TestNewPersonValidate(t *testing.T) {
	n := NewPerson{Name: " Ada ", Email: " ADA@Example.com ", EmploymentType: " Contractor ", StartDate: ptrTime(time.Date(2026, 1, 5, 13, 0, 0, 0, time.UTC))}
	if err := n.Validate(); err != nil {
		t.Fatal(err)
	}
	if n.Name != "Ada" || n.Email != "ada@example.com" || n.EmploymentType != EmploymentContractor || FormatDate(n.StartDate) != "2026-01-05" ||
		!n.StartDate.Equal(*d("2026-01-05")) {
		t.Fatalf("tidied = %+v", n)
	}
	bad := NewPerson{Name: "A", Email: "a@example.com", StartDate: d("2026-02-01"), EndDate: d("2026-01-31")}
	if err := bad.Validate(); !strings.Contains(ErrorMessage(err), "before start_date") {
		t.Fatalf("end before start: %v", err)
	}
}

func TestTrainingDeriveRenewal(t *testing.T) {
	done := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	a := TrainingAssignment{StoredStatus: TrainingCompleted, CompletedAt: &done, RenewalMonths: 12, Due: *d("2025-03-15")}
	if got := a.Derive(time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)); got.Status != TrainingCompleted || !got.DueAt.Equal(done.AddDate(1, 0, 0)) {
		t.Fatalf("before renewal = %+v", got)
	}
	late := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	if got := a.Derive(late); got.Status != TrainingPending || !a.OverdueAt(late) {
		t.Fatalf("after renewal = %+v", got)
	}
	a.RenewalMonths = 0
	if !a.Current(late.AddDate(5, 0, 0)) {
		t.Fatal("a course without renewal never lapses")
	}
}

func TestCompetenceCondition(t *testing.T) {
	now := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	done := now.AddDate(0, -1, 0)
	courses := []Course{{ID: 1, Name: "Awareness", Security: true}}
	var people []Person
	var list []TrainingAssignment
	for i := int64(1); i <= 20; i++ {
		people = append(people, Person{ID: i})
		a := TrainingAssignment{CourseID: 1, PersonID: i, Security: true, RenewalMonths: 12, StoredStatus: TrainingCompleted, CompletedAt: &done}
		if i == 20 {
			a.StoredStatus, a.CompletedAt = TrainingPending, nil
		}
		list = append(list, a)
	}
	if got := CompetenceCondition(now, courses, people, list)("CC1.4"); got != "" { // 19 of 20 is 95%
		t.Fatalf("95%%: %q", got)
	}
	list[0].StoredStatus, list[0].CompletedAt = TrainingPending, nil
	if got := CompetenceCondition(now, courses, people, list)("CC1.4"); !strings.Contains(got, "18 of 20") {
		t.Fatalf("90%%: %q", got)
	}
	if got := CompetenceCondition(now, courses, people, list)("CC1.5"); got != "" {
		t.Fatalf("other criterion: %q", got)
	}
}
