// Package alert tells people when a monitoring run turns a check red on a
// resource (a new failure) or green again (a recovery). One message per run
// per channel lists the run's changes; a channel is a signed JSON webhook,
// a Slack-style incoming webhook or an email over SMTP.
//
// Every event (channel, check, source, resource, new status, run) has a key
// the store claims before sending, so an event is delivered at most once
// per channel even when Notify is called again for the same run; a failed
// delivery releases its keys so a later call can try again.
package alert

import (
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
)

// Field is one setting or secret of a channel kind, for forms and checks.
type Field struct {
	Name     string
	Label    string
	Help     string
	Secret   bool // sealed; never shown again
	Required bool
}

// Spec describes a channel kind.
type Spec struct {
	Kind   assay.AlertKind
	Title  string
	Fields []Field
}

// Specs lists the channel kinds with their fields.
var Specs = []Spec{
	{Kind: assay.AlertWebhook, Title: "Signed JSON webhook", Fields: []Field{
		{Name: "url", Label: "URL", Help: "Where the JSON is POSTed (https:// in production).", Required: true},
		{Name: "secret", Label: "Signing secret", Help: "Signs each body: X-Assay-Signature: sha256=HMAC(secret, timestamp + \".\" + body).", Secret: true, Required: true},
	}},
	{Kind: assay.AlertSlack, Title: "Slack-style incoming webhook", Fields: []Field{
		{Name: "url", Label: "Incoming webhook URL", Help: "The URL holds its own token, so it is kept sealed.", Secret: true, Required: true},
	}},
	{Kind: assay.AlertEmail, Title: "Email (SMTP)", Fields: []Field{
		{Name: "host", Label: "SMTP host", Required: true},
		{Name: "port", Label: "Port", Help: "587 by default (STARTTLS); 465 with TLS mode implicit."},
		{Name: "tls", Label: "TLS", Help: "starttls (used when the server offers it; the default), required, implicit or none."},
		{Name: "from", Label: "From address", Required: true},
		{Name: "to", Label: "To addresses", Help: "Comma-separated.", Required: true},
		{Name: "username", Label: "Username", Help: "PLAIN authentication; only over TLS or to localhost."},
		{Name: "password", Label: "Password", Secret: true},
	}},
}

// SpecOf returns the spec of a kind.
func SpecOf(kind assay.AlertKind) (Spec, bool) {
	i := slices.IndexFunc(Specs, func(s Spec) bool { return s.Kind == kind })
	if i < 0 {
		return Spec{}, false
	}
	return Specs[i], true
}

// SplitFields returns the values of form-like input split into settings
// and secrets by the kind's spec; names the spec does not know are refused.
func SplitFields(kind assay.AlertKind, values map[string]string) (settings, secrets map[string]string, err error) {
	spec, ok := SpecOf(kind)
	if !ok {
		return nil, nil, assay.Invalid("kind", "Unknown channel kind %q; use webhook, slack or email.", kind)
	}
	settings, secrets = map[string]string{}, map[string]string{}
	for k, v := range values {
		i := slices.IndexFunc(spec.Fields, func(f Field) bool { return f.Name == k })
		if i < 0 {
			return nil, nil, assay.Invalid(k, "A %s channel has no setting %q.", kind, k)
		}
		if spec.Fields[i].Secret {
			secrets[k] = v
		} else {
			settings[k] = v
		}
	}
	return settings, secrets, nil
}

// validate checks a channel's settings and (all of its) secrets.
func validate(kind assay.AlertKind, settings, secrets map[string]string) error {
	spec, ok := SpecOf(kind)
	if !ok {
		return assay.Invalid("kind", "Unknown channel kind %q; use webhook, slack or email.", kind)
	}
	for k := range settings {
		if i := slices.IndexFunc(spec.Fields, func(f Field) bool { return f.Name == k && !f.Secret }); i < 0 {
			return assay.Invalid(k, "A %s channel has no setting %q.", kind, k)
		}
	}
	for k := range secrets {
		if i := slices.IndexFunc(spec.Fields, func(f Field) bool { return f.Name == k && f.Secret }); i < 0 {
			return assay.Invalid(k, "A %s channel has no secret %q.", kind, k)
		}
	}
	for _, f := range spec.Fields {
		v := settings[f.Name]
		if f.Secret {
			v = secrets[f.Name]
		}
		if f.Required && strings.TrimSpace(v) == "" {
			return assay.Invalid(f.Name, "%s is required.", f.Label)
		}
	}
	switch kind {
	case assay.AlertWebhook:
		return validURL("url", settings["url"])
	case assay.AlertSlack:
		return validURL("url", secrets["url"])
	case assay.AlertEmail:
		return validEmail(settings)
	}
	return nil
}

func validURL(field, s string) error {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return assay.Invalid(field, "Give an http:// or https:// URL.")
	}
	if u.User != nil {
		return assay.Invalid(field, "Put no user name or password in the URL.")
	}
	return nil
}

func validEmail(s map[string]string) error {
	if strings.ContainsAny(s["host"], " /:") {
		return assay.Invalid("host", "Give the SMTP host name alone (the port has its own field).")
	}
	if p := s["port"]; p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return assay.Invalid("port", "The port is a number from 1 to 65535.")
		}
	}
	switch s["tls"] {
	case "", "starttls", "required", "implicit", "none":
	default:
		return assay.Invalid("tls", "TLS is starttls, required, implicit or none.")
	}
	if _, err := mail.ParseAddress(s["from"]); err != nil {
		return assay.Invalid("from", "The from address is not an email address.")
	}
	to := recipients(s["to"])
	if len(to) == 0 {
		return assay.Invalid("to", "Give at least one recipient.")
	}
	if len(to) > 50 {
		return assay.Invalid("to", "Give at most 50 recipients.")
	}
	for _, a := range to {
		if _, err := mail.ParseAddress(a); err != nil {
			return assay.Invalid("to", "%q is not an email address.", a)
		}
	}
	return nil
}

// recipients splits a comma- or semicolon-separated list of addresses.
func recipients(s string) []string {
	var out []string
	for _, a := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}
