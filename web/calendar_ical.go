package web

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/assay-platform/assay"
)

// iCalendar (RFC 5545) output for the calendar feed: one all-day VEVENT
// per obligation, CRLF line endings, TEXT values escaped and content lines
// folded at 75 octets.

const icalMaxLine = 75

// icalEscape escapes a TEXT value: backslash, semicolon, comma, newline.
func icalEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `;`, `\;`, `,`, `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// icalFold writes one content line, folded so no line exceeds 75 octets
// (continuation lines start with a space) without splitting a UTF-8
// sequence, and ends it with CRLF.
func icalFold(b *strings.Builder, line string) {
	limit := icalMaxLine
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = icalMaxLine - 1 // the leading space counts
	}
	b.WriteString(line)
	b.WriteString("\r\n")
}

// icalUID is stable for an obligation whatever its due date, so a moved
// deadline updates the event rather than adding one.
func icalUID(o assay.Obligation) string {
	sum := sha256.Sum256([]byte(o.Kind + "\x1f" + o.Link + "\x1f" + o.Title))
	return hex.EncodeToString(sum[:12]) + "@assay"
}

// renderICal returns the calendar of list; baseURL prefixes the links.
func renderICal(name, baseURL string, now time.Time, list []assay.Obligation) string {
	var b strings.Builder
	line := func(s string) { icalFold(&b, s) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Assay//Upcoming obligations//EN")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + icalEscape(name))
	stamp := now.UTC().Format("20060102T150405Z")
	seen := map[string]int{}
	for _, o := range list {
		uid := icalUID(o)
		if n := seen[uid]; n > 0 {
			uid = strings.Replace(uid, "@", "-"+strings.Repeat("x", n)+"@", 1)
		}
		seen[icalUID(o)]++
		day := assay.Day(o.Due)
		line("BEGIN:VEVENT")
		line("UID:" + uid)
		line("DTSTAMP:" + stamp)
		line("DTSTART;VALUE=DATE:" + day.Format("20060102"))
		line("DTEND;VALUE=DATE:" + day.AddDate(0, 0, 1).Format("20060102"))
		line("SUMMARY:" + icalEscape(o.Title))
		line("CATEGORIES:" + icalEscape(strings.ReplaceAll(o.Kind, "_", " ")))
		if o.Link != "" {
			line("URL:" + baseURL + o.Link)
		}
		line("TRANSP:TRANSPARENT")
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return b.String()
}
