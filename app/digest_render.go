package app

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"github.com/assay-platform/assay"
)

// digestView is what both bodies of a digest mail show.
type digestView struct {
	assay.Digest
	Unsubscribe map[string]string // kind → link
	StopAll     string
	Settings    string
}

var digestFuncs = map[string]any{
	"date": func(it assay.DigestItem) string {
		if it.Due.IsZero() {
			return "to do"
		}
		if it.Overdue {
			return "overdue since " + it.Due.Format("2 Jan 2006")
		}
		return "due " + it.Due.Format("Mon 2 Jan 2006")
	},
}

var digestText = texttemplate.Must(texttemplate.New("text").Funcs(digestFuncs).Parse(`Hello {{.Name}},

{{if .Overdue}}{{.Overdue}} of your {{.Total}} items are overdue.{{else}}You have {{.Total}} items due in the next 14 days.{{end}}
{{range .Sections}}
{{.Title}}
{{range .Items}}- {{.Title}} ({{date .}})
  {{.Link}}
{{end}}Stop reminders about {{.Title}}: {{index $.Unsubscribe .Kind}}
{{end}}
Change how often you get this e-mail: {{.Settings}}
Stop all reminder e-mails: {{.StopAll}}
`))

var digestHTML = htmltemplate.Must(htmltemplate.New("html").Funcs(digestFuncs).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Your Assay reminders</title></head>
<body style="font-family:sans-serif;line-height:1.5;color:#1f2328;max-width:40em">
<p>Hello {{.Name}},</p>
<p>{{if .Overdue}}<strong>{{.Overdue}} of your {{.Total}} items are overdue.</strong>{{else}}You have {{.Total}} items due in the next 14 days.{{end}}</p>
{{range .Sections}}<h2 style="font-size:1.1em">{{.Title}}</h2>
<ul>{{range .Items}}<li><a href="{{.Link}}">{{.Title}}</a> — {{if .Overdue}}<strong style="color:#b42318">{{date .}}</strong>{{else}}{{date .}}{{end}}</li>
{{end}}</ul>
<p style="font-size:.85em"><a href="{{index $.Unsubscribe .Kind}}">Stop reminders about {{.Title}}</a></p>
{{end}}<hr>
<p style="font-size:.85em"><a href="{{.Settings}}">Change how often you get this e-mail</a> · <a href="{{.StopAll}}">Stop all reminder e-mails</a></p>
</body></html>
`))

// digestMail renders d for sending, with its unsubscribe links signed
// under key.
func (a *App) digestMail(d assay.Digest, orgID int64, key []byte) (assay.DigestMail, error) {
	v := digestView{Digest: d, Unsubscribe: map[string]string{}, StopAll: a.unsubscribeURL(key, orgID, d.UserID, DigestAll),
		Settings: a.link("/account/reminders")}
	if v.Name == "" {
		v.Name = d.Email
	}
	for _, s := range d.Sections {
		v.Unsubscribe[s.Kind] = a.unsubscribeURL(key, orgID, d.UserID, s.Kind)
	}
	var text, html bytes.Buffer
	if err := digestText.Execute(&text, v); err != nil {
		return assay.DigestMail{}, err
	}
	if err := digestHTML.Execute(&html, v); err != nil {
		return assay.DigestMail{}, err
	}
	subject := fmt.Sprintf("Your reminders: %d due", d.Total)
	if d.Overdue > 0 {
		subject = fmt.Sprintf("Your reminders: %d overdue, %d due", d.Overdue, d.Total-d.Overdue)
	}
	m := assay.DigestMail{To: d.Email, Subject: subject, Text: text.String(), HTML: html.String(), Headers: map[string]string{}}
	if strings.HasPrefix(v.StopAll, "https://") || strings.HasPrefix(v.StopAll, "http://") { // RFC 8058 wants an absolute address
		m.Headers["List-Unsubscribe"] = "<" + v.StopAll + ">"
		m.Headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
	}
	return m, nil
}

// DigestText is the plain-text body of d as the CLI's preview prints it
// (without the signed links).
func DigestText(d assay.Digest) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Reminders for %s (%s), as of %s: %d items, %d overdue\n", d.Email, d.Schedule.Frequency, d.AsOf.UTC().Format("2006-01-02 15:04 MST"), d.Total, d.Overdue)
	for _, s := range d.Sections {
		fmt.Fprintf(&b, "\n%s\n", s.Title)
		for _, it := range s.Items {
			fmt.Fprintf(&b, "- %s (%s)\n  %s\n", it.Title, digestFuncs["date"].(func(assay.DigestItem) string)(it), it.Link)
		}
	}
	if d.Total == 0 {
		b.WriteString("\nNothing due: no e-mail would be sent.\n")
	}
	return b.String()
}
