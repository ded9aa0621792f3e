// Package entra is the "entra" collector: it reads a Microsoft Entra ID
// tenant through Microsoft Graph's REST API (v1.0) as an app registration
// with application permissions, signing in with the OAuth 2.0 client
// credentials grant, and reports every user with account state, sign-in
// activity, MFA registration and directory roles ("entra.user"), and the
// activated directory roles with their members ("entra.role"). The client
// secret and access tokens never appear in a resource, a note or an error.
package entra

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/apiclient"
)

// Resource kinds this collector produces.
const (
	KindUser = "entra.user"
	KindRole = "entra.role"
)

// Version names this collector in a run's provenance.
const Version = "entra/1"

// Settings and secret names.
const (
	SettingTenant   = "tenant_id"
	SettingClientID = "client_id"
	SettingGraphURL = "graph_url" // https://graph.microsoft.com (default); national clouds have their own
	SettingTokenURL = "token_url" // https://login.microsoftonline.com/TENANT/oauth2/v2.0/token (default)
	SecretClient    = "client_secret"
)

// Defaults for the global Azure cloud.
const (
	DefaultGraphURL = "https://graph.microsoft.com"
	defaultLogin    = "https://login.microsoftonline.com/"
)

// Permissions are the Microsoft Graph application permissions the app
// registration needs (admin consent), all read-only.
var Permissions = []string{"User.Read.All", "AuditLog.Read.All", "RoleManagement.Read.Directory"}

// Collector reads Entra ID tenants. Use New, NewWithClock or a literal with
// every field set.
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

func (*Collector) Kind() string            { return "entra" }
func (*Collector) ResourceKinds() []string { return []string{KindUser, KindRole} }

// Validate wants the tenant, the app's client id and its secret.
func (*Collector) Validate(cfg monitor.Config) error {
	_, err := read(cfg, true)
	return err
}

type settings struct {
	graph, token     *url.URL
	tenant, clientID string
	secret           string
}

func httpURL(field, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, assay.Invalid(field, "%s must be an http(s) address", field)
	}
	u.Fragment = ""
	return u, nil
}

func read(cfg monitor.Config, needSecret bool) (settings, error) {
	var s settings
	s.tenant = strings.TrimSpace(cfg.Settings[SettingTenant])
	if s.tenant == "" || strings.ContainsAny(s.tenant, "/?#@ ") {
		return s, assay.Invalid(SettingTenant, "tenant_id is required: the directory (tenant) ID or its primary domain, such as contoso.onmicrosoft.com")
	}
	s.clientID = strings.TrimSpace(cfg.Settings[SettingClientID])
	if s.clientID == "" {
		return s, assay.Invalid(SettingClientID, "client_id is required: the application (client) ID of the app registration")
	}
	graph := strings.TrimSpace(cfg.Settings[SettingGraphURL])
	if graph == "" {
		graph = DefaultGraphURL
	}
	var err error
	if s.graph, err = httpURL(SettingGraphURL, graph); err != nil {
		return s, err
	}
	s.graph.Path, s.graph.RawQuery = strings.TrimSuffix(s.graph.Path, "/"), ""
	token := strings.TrimSpace(cfg.Settings[SettingTokenURL])
	if token == "" {
		token = defaultLogin + url.PathEscape(s.tenant) + "/oauth2/v2.0/token"
	}
	if s.token, err = httpURL(SettingTokenURL, token); err != nil {
		return s, err
	}
	s.secret = strings.TrimSpace(cfg.Secrets[SecretClient])
	if needSecret && s.secret == "" {
		return s, assay.Invalid(SecretClient, "the secret client_secret is required: a client secret of the app registration (see the README for its permissions)")
	}
	return s, nil
}

// Collect reads users, their sign-in activity and MFA registration, and the
// directory roles with their members. Any request that still fails after
// its retries fails the whole collection.
func (c *Collector) Collect(ctx context.Context, cfg monitor.Config) ([]assay.Resource, error) {
	s, err := read(cfg, true)
	if err != nil {
		return nil, err
	}
	log := &apiclient.Log{}
	cc := clientcredentials.Config{ClientID: s.clientID, ClientSecret: s.secret, TokenURL: s.token.String(),
		Scopes: []string{s.graph.Scheme + "://" + s.graph.Host + "/.default"}, AuthStyle: oauth2.AuthStyleInParams}
	tokenHTTP := &http.Client{Transport: &apiclient.Transport{Base: c.Base, Clock: c.Clock, Sleep: c.Sleep}}
	ts := cc.TokenSource(context.WithValue(ctx, oauth2.HTTPClient, tokenHTTP))
	if _, err := ts.Token(); err != nil {
		return nil, redact(fmt.Errorf("%w: get an access token from %s for app %s: %s; check the client secret and that admin consent was granted",
			apiclient.ErrPartial, s.token.Host, s.clientID, tokenError(err)), s.secret)
	}
	api := &client{base: s.graph, http: &http.Client{Transport: &apiclient.Transport{
		Base: c.Base, Clock: c.Clock, Sleep: c.Sleep, Host: s.graph.Host, Log: log,
		Authorize: func(r *http.Request) {
			if tok, err := ts.Token(); err == nil {
				tok.SetAuthHeader(r)
			}
		},
	}}}
	res, err := collect(ctx, api, c.Clock.Now())
	if err != nil {
		return nil, redact(err, s.secret)
	}
	p := apiclient.Provenance{Collector: Version, Endpoint: s.graph.String() + "/v1.0", Requests: len(log.Entries()), Rows: len(res), Responses: log.Entries()}
	doc, sum, err := p.Document()
	if err != nil {
		return nil, err
	}
	if cfg.Keep != nil {
		if sum, err = cfg.Keep(ctx, doc); err != nil {
			return nil, fmt.Errorf("keep the raw responses: %w", err)
		}
	}
	monitor.Note(ctx, "Read %s/v1.0 (Microsoft Graph, tenant %s) with collector %s: %d requests, %d resources; raw responses kept as blob sha256:%s.",
		s.graph.String(), s.tenant, Version, p.Requests, p.Rows, sum)
	return res, nil
}

// tokenError is the token endpoint's refusal: its OAuth error code and
// description (Entra's AADSTS message), nothing sent with the request.
func tokenError(err error) string {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return "the token endpoint cannot be reached"
	}
	msg := fmt.Sprintf("the token endpoint answered %d", re.Response.StatusCode)
	if re.ErrorCode != "" {
		msg += " " + re.ErrorCode
	}
	if d, _, _ := strings.Cut(re.ErrorDescription, "\r\n"); d != "" {
		msg += ": " + d
	}
	return msg
}

func redact(err error, secret string) error {
	if secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	msg := strings.ReplaceAll(err.Error(), secret, "[redacted]")
	if errors.Is(err, apiclient.ErrPartial) {
		return fmt.Errorf("%w: %s", apiclient.ErrPartial, strings.TrimPrefix(msg, apiclient.ErrPartial.Error()+": "))
	}
	return errors.New(msg)
}
