package input

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

// ParseInstant reads "2026-03-31T14:05" (a datetime-local field, read as
// UTC), an RFC 3339 time or a date; "" is the zero time.
func ParseInstant(field, v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, assay.Invalid(field, "%s must be a time like 2026-03-31T14:05 (UTC).", strings.ReplaceAll(field, "_", " "))
}

// ParseDay reads a YYYY-MM-DD query value ("" gives the zero time).
func ParseDay(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return time.Time{}, assay.Invalid("day", "day must be a date like 2026-05-04.")
	}
	return t, nil
}

func FormInt(f url.Values, field string) (int, error) {
	v := strings.TrimSpace(f.Get(field))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, assay.Invalid(field, "%s must be a whole number.", strings.ReplaceAll(field, "_", " "))
	}
	return n, nil
}

// ParseDate reads "2026-03-31" (or an RFC 3339 time); "" is no date.
func ParseDate(field, v string) (*time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	for _, layout := range []string{"2006-01-02", time.RFC3339} {
		if t, err := time.Parse(layout, v); err == nil {
			t = t.UTC()
			return &t, nil
		}
	}
	return nil, assay.Invalid(field, "%s must be a date like 2026-03-31.", strings.ReplaceAll(field, "_", " "))
}

func DateText(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}
