package roster

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// isoLayouts are the date forms every roster may use, tried in order:
// unambiguous ones, year first.
var isoLayouts = []string{
	time.RFC3339Nano, "2006-01-02", "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04:05 MST", "2006-01-02 15:04",
	"2006/01/02 15:04:05", "2006/01/02 15:04", "2006/01/02", // Google Workspace
	"Jan 2, 2006 3:04:05 PM", "Jan 2, 2006 3:04 PM", "Jan 2, 2006", "January 2, 2006", "2 Jan 2006",
}

// slashDate matches a day and month written before the year with
// slashes, dots or dashes: 11/24/2026, 24.11.2026 09:15, and 11-24-26 as
// a workbook's short date cells are read.
var slashDate = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b`)

// Orders of the day and month in a slash date.
const (
	monthFirst = "month first"
	dayFirst   = "day first"
)

// slashLayouts are the slash forms by order (the separator is made a
// slash first); times may follow.
var slashLayouts = map[string][]string{
	monthFirst: {"1/2/2006", "1/2/2006 15:04", "1/2/2006 15:04:05", "1/2/2006 3:04 PM", "1/2/2006 3:04:05 PM",
		"1/2/06", "1/2/06 15:04", "1/2/06 15:04:05", "1/2/06 3:04 PM", "1/2/06 3:04:05 PM"},
	dayFirst: {"2/1/2006", "2/1/2006 15:04", "2/1/2006 15:04:05", "2/1/2006 3:04 PM", "2/1/2006 3:04:05 PM",
		"2/1/06", "2/1/06 15:04", "2/1/06 15:04:05", "2/1/06 3:04 PM", "2/1/06 3:04:05 PM"},
}

// dateReader reads the dates of one file. Identity provider and HR
// exports write dates in their account's locale; a slash date's order
// is settled by the file (a first number above 12 means day first, a
// second one month first) or, failing that, taken month first as the
// US-made tools named here default to. A generic roster takes only the
// unambiguous forms.
type dateReader struct {
	slashes bool   // slash dates allowed (a provider's export)
	order   string // monthFirst or dayFirst, once settled
	guessed bool   // the order was assumed, nothing in the file settled it
}

// settle looks at every date cell of the file to fix the slash order; it
// fails when the file holds both orders.
func (d *dateReader) settle(cells []string) error {
	if !d.slashes {
		return nil
	}
	var day, month string // a cell proving each order
	ambiguous := false
	for _, c := range cells {
		m := slashDate.FindStringSubmatch(strings.TrimSpace(c))
		if m == nil {
			continue
		}
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[2])
		switch {
		case a > 12 && day == "":
			day = c
		case b > 12 && month == "":
			month = c
		case a <= 12 && b <= 12 && a != b:
			ambiguous = true
		}
	}
	switch {
	case day != "" && month != "":
		return fmt.Errorf("the dates mix orders: %q puts the day first, %q the month (export the file again with one date format)", day, month)
	case day != "":
		d.order = dayFirst
	default:
		d.order = monthFirst
		d.guessed = month == "" && ambiguous
	}
	return nil
}

// parse reads a date; the zero time when it is none.
func (d *dateReader) parse(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range isoLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	if !d.slashes || d.order == "" || !slashDate.MatchString(s) {
		return time.Time{}
	}
	date := slashDate.FindString(s)
	s = strings.TrimSpace(strings.NewReplacer(".", "/", "-", "/").Replace(date) + " " + strings.Join(strings.Fields(s[len(date):]), " "))
	for _, layout := range slashLayouts[d.order] {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// noDate reports whether a date cell says there is none: empty, or a
// placeholder (BambooHR writes 0000-00-00 for an empty date).
func noDate(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "0000-00-00", "0000-00-00 00:00:00", "-", "n/a", "none", "null":
		return true
	}
	return false
}

// never reports whether a sign-in cell says the account never signed in
// (Google Workspace writes "Never logged in").
func never(s string) bool {
	switch word(s) {
	case "never", "never_logged_in", "never_signed_in", "never_logged_on":
		return true
	}
	return false
}

// daysSince gives whole days from t to now, 0 for a time ahead of now.
func daysSince(t, now time.Time) int64 {
	d := now.Sub(t)
	if d < 0 {
		return 0
	}
	return int64(d / (24 * time.Hour))
}
