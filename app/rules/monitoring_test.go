package rules

import "testing"

func TestDescribeFailingChecks(t *testing.T) {
	got := describe([]string{"b on y", "a on x", "a on z", "a on x", "c on w"}, "failing")
	want := "3 checks failing: a on x, a on z, b on y and 1 more"
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if got := describe([]string{"a on x"}, "could not run"); got != "1 check could not run: a on x" {
		t.Fatalf("got %q", got)
	}
}
