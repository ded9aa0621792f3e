// Package clocktest gives tests the day they run on. By default it is
// today; ASSAY_TEST_NOW (a date, 2028-02-29, or an RFC 3339 time) moves
// the whole test process to another instant, so the suites that judge
// dates can be run on the days that break naive code (Dates).
package clocktest

import (
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

// EnvVar moves the tests to another instant.
const EnvVar = "ASSAY_TEST_NOW"

var clock = sync.OnceValue(func() assay.Clock {
	v := os.Getenv(EnvVar)
	if v == "" {
		return assay.SystemClock{}
	}
	t, err := assay.ParseInstant(v)
	if err != nil {
		panic(fmt.Sprintf("%s: %v", EnvVar, err))
	}
	return assay.ClockFrom(t)
})

// Clock is the process's test clock: ASSAY_TEST_NOW when set, running on
// from there, else the system clock. Every call returns the same clock,
// so a program restarted inside one test never goes back in time.
func Clock() assay.Clock { return clock() }

// Now is the test clock's time.
func Now() time.Time { return clock().Now() }

// Today is midnight UTC of the test clock's day.
func Today() time.Time { return assay.Day(Now()) }

// Fixed is a clock that tests move by hand, starting at Now.
func Fixed() *assay.FixedClock { return &assay.FixedClock{T: Now()} }

// Env is the environment entry that starts an assay process at the test
// clock's time (the binary reads ASSAY_NOW), or "" on the system clock.
func Env() string {
	if os.Getenv(EnvVar) == "" {
		return ""
	}
	return "ASSAY_NOW=" + Now().Format(time.RFC3339Nano)
}

// Dates are instants that break code which reads the wall clock, assumes
// 365 days a year, 28 days in February, 90 days a quarter or a local time
// zone: the last hour of a quarter, a leap day, New Year's Eve and Day, and
// the days the clocks change in Europe and the United States.
var Dates = []struct {
	Name string
	At   time.Time
}{
	{"quarter-end", time.Date(2027, 3, 31, 23, 30, 0, 0, time.UTC)},
	{"late-in-quarter", time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)},
	{"leap-day", time.Date(2028, 2, 29, 12, 0, 0, 0, time.UTC)},
	{"new-years-eve", time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)},
	{"new-years-day", time.Date(2027, 1, 1, 0, 30, 0, 0, time.UTC)},
	{"dst-europe", time.Date(2027, 3, 28, 1, 30, 0, 0, time.UTC)},
	{"dst-us-fall", time.Date(2026, 11, 1, 6, 30, 0, 0, time.UTC)},
}

// Each runs fn as a subtest at every one of Dates.
func Each(t *testing.T, fn func(t *testing.T, at time.Time)) {
	t.Helper()
	for _, d := range Dates {
		t.Run(d.Name, func(t *testing.T) { fn(t, d.At) })
	}
}
