// Package okta is the "okta" collector: it reads an Okta organisation
// through Okta's management REST API with an API token (SSWS) and reports
// every user with status, last sign-in, enrolled factors and admin roles
// ("okta.user"), and the password policies ("okta.policy"). The token
// never appears in a resource, a note or an error.
package okta

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/apiclient"
)

// Resource kinds this collector produces.
const (
	KindUser   = "okta.user"
	KindPolicy = "okta.policy"
)

// Version names this collector in a run's provenance.
const Version = "okta/1"

// Settings and secret names.
const (
	SettingOrgURL = "org_url"
	SecretToken   = "token"
)

// Collector reads Okta organisations. Use New, NewWithClock or a literal
// with every field set.
type Collector struct {
	Clock assay.Clock
	Sleep apiclient.Sleeper
	// Base carries the requests (nil: http.DefaultTransport).
	Base http.RoundTripper
}

// New returns the collector on the system clock.
func New() monitor.Collector { return NewWithClock(assay.SystemClock{}) }

// NewWithClock returns the collector measuring sign-in ages by clock.
func NewWithClock(clock assay.Clock) monitor.Collector {
	return &Collector{Clock: clock, Sleep: apiclient.Sleep}
}

func (*Collector) Kind() string            { return "okta" }
func (*Collector) ResourceKinds() []string { return []string{KindUser, KindPolicy} }

// Validate wants the organisation's URL and the API token.
func (*Collector) Validate(cfg monitor.Config) error {
	_, _, err := read(cfg, true)
	return err
}

func read(cfg monitor.Config, needToken bool) (*url.URL, string, error) {
	raw := strings.TrimSpace(cfg.Settings[SettingOrgURL])
	u, err := url.Parse(raw)
	if raw == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, "", assay.Invalid(SettingOrgURL, "org_url is required: your Okta organisation's address, such as https://example.okta.com")
	}
	u.Path, u.RawQuery, u.Fragment = "", "", ""
	token := strings.TrimSpace(cfg.Secrets[SecretToken])
	if needToken && token == "" {
		return nil, "", assay.Invalid(SecretToken, "the secret token is required: an Okta API token made by a Read-only Administrator (see the README)")
	}
	return u, token, nil
}

// Collect reads users, their factors and roles, and the password
// policies. Any request that still fails after its retries fails the whole
// collection: a partial read is never judged.
func (c *Collector) Collect(ctx context.Context, cfg monitor.Config) ([]assay.Resource, error) {
	base, token, err := read(cfg, true)
	if err != nil {
		return nil, err
	}
	log := &apiclient.Log{}
	api := &client{base: base, http: &http.Client{Transport: &apiclient.Transport{
		Base: c.Base, Clock: c.Clock, Sleep: c.Sleep, Host: base.Host, Log: log,
		Rate:      apiclient.RateHeaders{Remaining: "X-Rate-Limit-Remaining", Reset: "X-Rate-Limit-Reset"},
		Authorize: func(r *http.Request) { r.Header.Set("Authorization", "SSWS "+token) },
	}}}
	res, err := collect(ctx, api, c.Clock.Now())
	if err != nil {
		return nil, redact(err, token)
	}
	p := apiclient.Provenance{Collector: Version, Endpoint: base.String(), Requests: len(log.Entries()), Rows: len(res), Responses: log.Entries()}
	doc, sum, err := p.Document()
	if err != nil {
		return nil, err
	}
	if cfg.Keep != nil {
		if sum, err = cfg.Keep(ctx, doc); err != nil {
			return nil, fmt.Errorf("keep the raw responses: %w", err)
		}
	}
	monitor.Note(ctx, "Read %s (Okta management API v1) with collector %s: %d requests, %d resources; raw responses kept as blob sha256:%s.",
		base.String(), Version, p.Requests, p.Rows, sum)
	return res, nil
}

func redact(err error, token string) error {
	if token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return fmt.Errorf("%s", strings.ReplaceAll(err.Error(), token, "[redacted]"))
}
