// Package icstest reads iCalendar documents in tests, checking the
// line rules (folding, CRLF, length) on the way.
package icstest

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Event is one VEVENT's properties.
type Event map[string]string

// Parse unfolds and parses a calendar, checking the line rules on the way.
func Parse(t *testing.T, body string) (map[string]string, []Event) {
	t.Helper()
	if !strings.HasSuffix(body, "\r\n") {
		t.Fatalf("calendar does not end with CRLF")
	}
	for i, raw := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if strings.Contains(raw, "\n") || strings.Contains(raw, "\r") {
			t.Fatalf("line %d has a bare line break: %q", i+1, raw)
		}
		if len(raw) > 75 {
			t.Fatalf("line %d is %d octets: %q", i+1, len(raw), raw)
		}
		if !utf8.ValidString(raw) {
			t.Fatalf("line %d splits a UTF-8 sequence: %q", i+1, raw)
		}
	}
	unfolded := strings.ReplaceAll(body, "\r\n ", "")
	cal := map[string]string{}
	var events []Event
	var cur Event
	for _, line := range strings.Split(strings.TrimSuffix(unfolded, "\r\n"), "\r\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("content line without a colon: %q", line)
		}
		switch {
		case line == "BEGIN:VEVENT":
			cur = Event{}
		case line == "END:VEVENT":
			events = append(events, cur)
			cur = nil
		case cur != nil:
			cur[name] = value
		default:
			cal[name] = value
		}
	}
	return cal, events
}

// Unescape undoes a TEXT value's escapes.
func Unescape(s string) string {
	return strings.NewReplacer(`\\`, `\`, `\;`, `;`, `\,`, `,`, `\n`, "\n", `\N`, "\n").Replace(s)
}
