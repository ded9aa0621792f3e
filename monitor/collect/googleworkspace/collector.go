// Package googleworkspace is the "google-workspace" collector: it reads a
// Google Workspace account through the Admin SDK Directory API (the
// official google.golang.org/api client) as a service account with
// domain-wide delegation, impersonating an administrator read-only, and
// reports every user with 2-Step Verification enrolment and enforcement,
// admin status, suspension and last sign-in ("google.user"), and the admin
// roles with how many users hold each ("google.role"). The service
// account's key never appears in a resource, a note or an error.
package googleworkspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
	admin "google.golang.org/api/admin/directory/v1"
	"google.golang.org/api/option"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/apiclient"
)

// Resource kinds this collector produces.
const (
	KindUser = "google.user"
	KindRole = "google.role"
)

// Version names this collector in a run's provenance.
const Version = "google-workspace/1"

// Settings and secret names.
const (
	SettingSubject  = "admin_email" // the administrator the service account acts as
	SettingCustomer = "customer"    // my_customer (default) or a customer id
	SettingAPIURL   = "api_url"     // https://admin.googleapis.com/ (default)
	SecretKey       = "service_account_json"
)

// Scopes are the read-only scopes the service account is granted (in the
// Admin console's domain-wide delegation).
var Scopes = []string{admin.AdminDirectoryUserReadonlyScope, admin.AdminDirectoryRolemanagementReadonlyScope}

// DefaultAPIURL is Google's Admin SDK endpoint.
const DefaultAPIURL = "https://admin.googleapis.com/"

// Collector reads Google Workspace accounts. Use New, NewWithClock or a
// literal with every field set.
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

func (*Collector) Kind() string            { return "google-workspace" }
func (*Collector) ResourceKinds() []string { return []string{KindUser, KindRole} }

// Validate wants the administrator to act as and a service account key.
func (*Collector) Validate(cfg monitor.Config) error {
	_, err := read(cfg, true)
	return err
}

type settings struct {
	api      *url.URL
	subject  string
	customer string
	key      *google.Credentials // nil in a plan
	jwt      []byte
}

func read(cfg monitor.Config, needKey bool) (settings, error) {
	var s settings
	raw := strings.TrimSpace(cfg.Settings[SettingAPIURL])
	if raw == "" {
		raw = DefaultAPIURL
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return s, assay.Invalid(SettingAPIURL, "api_url must be an http(s) address, such as %s", DefaultAPIURL)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawQuery, u.Fragment = "", ""
	s.api = u
	s.subject = strings.TrimSpace(cfg.Settings[SettingSubject])
	if !strings.Contains(s.subject, "@") {
		return s, assay.Invalid(SettingSubject, "admin_email is required: the address of a Google Workspace administrator the service account acts as (domain-wide delegation)")
	}
	s.customer = strings.TrimSpace(cfg.Settings[SettingCustomer])
	if s.customer == "" {
		s.customer = "my_customer"
	}
	key := strings.TrimSpace(cfg.Secrets[SecretKey])
	if key == "" {
		if needKey {
			return s, assay.Invalid(SecretKey, "the secret service_account_json is required: the JSON key of a service account with domain-wide delegation of the read-only scopes (see the README)")
		}
		return s, nil
	}
	var probe struct {
		Type        string `json:"type"`
		ClientEmail string `json:"client_email"`
		PrivateKey  string `json:"private_key"`
		TokenURI    string `json:"token_uri"`
	}
	if err := json.Unmarshal([]byte(key), &probe); err != nil || probe.Type != "service_account" || probe.ClientEmail == "" || probe.PrivateKey == "" {
		return s, assay.Invalid(SecretKey, "service_account_json is not a service account's JSON key (it needs type \"service_account\", client_email and private_key)")
	}
	s.jwt = []byte(key)
	return s, nil
}

// tokenSource signs JWTs with the key, as subject, and trades them at the
// key's token_uri for access tokens; its requests go through hc.
func (s settings) tokenSource(ctx context.Context, hc *http.Client) (oauth2.TokenSource, error) {
	conf, err := google.JWTConfigFromJSON(s.jwt, Scopes...)
	if err != nil {
		return nil, assay.Invalid(SecretKey, "service_account_json cannot be read as a service account key")
	}
	conf.Subject = s.subject
	return conf.TokenSource(context.WithValue(ctx, oauth2.HTTPClient, hc)), nil
}

// Collect reads users, roles and role assignments. Any request that still
// fails after its retries fails the whole collection.
func (c *Collector) Collect(ctx context.Context, cfg monitor.Config) ([]assay.Resource, error) {
	s, err := read(cfg, true)
	if err != nil {
		return nil, err
	}
	log := &apiclient.Log{}
	// The token exchange has its own retrying client, without credential.
	tokenHTTP := &http.Client{Transport: &apiclient.Transport{Base: c.Base, Clock: c.Clock, Sleep: c.Sleep}}
	ts, err := s.tokenSource(ctx, tokenHTTP)
	if err != nil {
		return nil, err
	}
	ts = oauth2.ReuseTokenSource(nil, ts)
	if _, err := ts.Token(); err != nil {
		return nil, fmt.Errorf("%w: get an access token for %s as %s: %s; check the key, the domain-wide delegation of %s and the administrator's address",
			apiclient.ErrPartial, s.api.Host, s.subject, tokenError(err), strings.Join(Scopes, " "))
	}
	hc := &http.Client{Transport: &apiclient.Transport{
		Base: c.Base, Clock: c.Clock, Sleep: c.Sleep, Host: s.api.Host, Log: log,
		Authorize: func(r *http.Request) {
			if tok, err := ts.Token(); err == nil {
				tok.SetAuthHeader(r)
			}
		},
	}}
	svc, err := admin.NewService(ctx, option.WithHTTPClient(hc), option.WithEndpoint(s.api.String()))
	if err != nil {
		return nil, fmt.Errorf("set up the Admin SDK client: %w", err)
	}
	res, err := collect(ctx, svc, s.customer, c.Clock.Now())
	if err != nil {
		return nil, err
	}
	p := apiclient.Provenance{Collector: Version, Endpoint: s.api.String(), Requests: len(log.Entries()), Rows: len(res), Responses: log.Entries()}
	doc, sum, err := p.Document()
	if err != nil {
		return nil, err
	}
	if cfg.Keep != nil {
		if sum, err = cfg.Keep(ctx, doc); err != nil {
			return nil, fmt.Errorf("keep the raw responses: %w", err)
		}
	}
	monitor.Note(ctx, "Read %s (Admin SDK Directory API directory_v1, customer %s, as %s) with collector %s: %d requests, %d resources; raw responses kept as blob sha256:%s.",
		s.api.String(), s.customer, s.subject, Version, p.Requests, p.Rows, sum)
	return res, nil
}

// tokenError is the token endpoint's refusal without anything secret: the
// OAuth error code and description only.
func tokenError(err error) string {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		var u *url.Error
		if errors.As(err, &u) {
			return "the token endpoint cannot be reached (" + u.Op + " " + u.URL + ")"
		}
		return "the token endpoint refused"
	}
	code, desc := re.ErrorCode, re.ErrorDescription
	if code == "" { // the JWT flow leaves the body unread: RFC 6749's error fields
		var body struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		if json.Unmarshal(re.Body, &body) == nil {
			code, desc = body.Error, body.Description
		}
	}
	msg := fmt.Sprintf("the token endpoint answered %d", re.Response.StatusCode)
	if code != "" {
		msg += " " + code
	}
	if desc != "" {
		msg += ": " + desc
	}
	return msg
}
