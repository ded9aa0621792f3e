// Package githuborg is the "github" collector: it reads one GitHub
// organisation through the REST API (github.com or GitHub Enterprise
// Server) with a read-only token and reports the organisation
// ("github.org"), its members and outside collaborators ("github.member")
// and its repositories with their default branch protection and open
// security alerts ("github.repository"). The token never appears in a
// resource, a note or an error.
package githuborg

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/google/go-github/v75/github"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/apiclient"
)

// Resource kinds this collector produces.
const (
	KindOrg        = "github.org"
	KindMember     = "github.member"
	KindRepository = "github.repository"
)

// Version names this collector in a run's provenance.
const Version = "github/1"

// Settings and secret names.
const (
	SettingOrg             = "organization"
	SettingAPIURL          = "api_url"
	SettingMaxOwners       = "max_owners"
	SettingPublicAllowed   = "public_repos_allowed"
	SettingApprovedOutside = "approved_outside_collaborators"
	SecretToken            = "token"
)

// DefaultAPIURL is github.com's REST API.
const DefaultAPIURL = "https://api.github.com/"

// DefaultMaxOwners is the most owners an organisation should have unless
// the max_owners setting says otherwise.
const DefaultMaxOwners = 5

// Collector reads GitHub organisations. Its zero value is not usable: use
// New, NewWithClock or a literal with every field set.
type Collector struct {
	Clock assay.Clock
	Sleep apiclient.Sleeper
	// Base carries the requests (nil: http.DefaultTransport).
	Base http.RoundTripper
}

// New returns the collector on the system clock.
func New() monitor.Collector { return NewWithClock(assay.SystemClock{}) }

// NewWithClock returns the collector judging alert ages by clock.
func NewWithClock(clock assay.Clock) monitor.Collector {
	return &Collector{Clock: clock, Sleep: apiclient.Sleep}
}

func (*Collector) Kind() string            { return "github" }
func (*Collector) ResourceKinds() []string { return []string{KindOrg, KindMember, KindRepository} }

// settings are a source's settings, read and checked.
type settings struct {
	org             string
	api             *url.URL
	maxOwners       int
	publicAllowed   map[string]bool
	approvedOutside map[string]bool
	token           string
}

// Validate wants the organisation and the token; the API URL, the most
// owners and the two allow lists are optional.
func (*Collector) Validate(cfg monitor.Config) error {
	_, err := read(cfg, true)
	return err
}

func read(cfg monitor.Config, needToken bool) (settings, error) {
	s := settings{org: strings.TrimSpace(cfg.Settings[SettingOrg]), maxOwners: DefaultMaxOwners}
	if s.org == "" || strings.ContainsAny(s.org, "/?# ") {
		return s, assay.Invalid(SettingOrg, "organization is required: the organisation's login, as in github.com/LOGIN")
	}
	raw := strings.TrimSpace(cfg.Settings[SettingAPIURL])
	if raw == "" {
		raw = DefaultAPIURL
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return s, assay.Invalid(SettingAPIURL, "api_url must be an http or https URL, such as https://github.example.com/api/v3/")
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	// GitHub Enterprise Server serves its REST API under /api/v3/, as
	// go-github's WithEnterpriseURLs assumes too.
	if u.Path == "/" && !strings.EqualFold(u.Host, "api.github.com") {
		u.Path = "/api/v3/"
	}
	s.api = u
	if v := strings.TrimSpace(cfg.Settings[SettingMaxOwners]); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2 || n > 1000 {
			return s, assay.Invalid(SettingMaxOwners, "max_owners must be a whole number from 2 to 1000")
		}
		s.maxOwners = n
	}
	s.publicAllowed = names(cfg.Settings[SettingPublicAllowed])
	s.approvedOutside = names(cfg.Settings[SettingApprovedOutside])
	s.token = strings.TrimSpace(cfg.Secrets[SecretToken])
	if needToken && s.token == "" {
		return s, assay.Invalid(SecretToken, "the secret token is required: a fine-grained or classic personal access token with read access (see the README)")
	}
	return s, nil
}

// names reads a list separated by commas, semicolons or white space, in
// lower case.
func names(v string) map[string]bool {
	out := map[string]bool{}
	for _, f := range strings.FieldsFunc(v, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t'
	}) {
		out[strings.ToLower(f)] = true
	}
	return out
}

// client builds the go-github client on the retrying, recording transport.
func (c *Collector) client(s settings, log *apiclient.Log) *github.Client {
	tr := &apiclient.Transport{
		Base: c.Base, Clock: c.Clock, Sleep: c.Sleep, Host: s.api.Host, Log: log,
		Rate:      apiclient.RateHeaders{Remaining: "X-RateLimit-Remaining", Reset: "X-RateLimit-Reset"},
		Authorize: func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+s.token) },
	}
	cl := github.NewClient(&http.Client{Transport: tr})
	cl.BaseURL = s.api
	return cl
}

// Collect reads the organisation. Any request that still fails after its
// retries fails the whole collection: a partial read is never judged.
func (c *Collector) Collect(ctx context.Context, cfg monitor.Config) ([]assay.Resource, error) {
	s, err := read(cfg, true)
	if err != nil {
		return nil, err
	}
	log := &apiclient.Log{}
	// Assay waits out rate limits itself (apiclient.Transport), on its
	// injected clock; go-github's own check would read the wall clock.
	ctx = context.WithValue(ctx, github.BypassRateLimitCheck, true)
	g := &gather{s: s, gh: c.client(s, log), now: c.Clock.Now()}
	res, err := g.all(ctx)
	if err != nil {
		return nil, redact(err, s.token)
	}
	if err := keep(ctx, cfg, apiclient.Provenance{Collector: Version, Endpoint: s.api.String(), Requests: len(log.Entries()),
		Rows: len(res), Responses: log.Entries()}); err != nil {
		return nil, redact(err, s.token)
	}
	return res, nil
}

// keep stores the raw responses as the run's evidence and notes where the
// resources came from.
func keep(ctx context.Context, cfg monitor.Config, p apiclient.Provenance) error {
	doc, sum, err := p.Document()
	if err != nil {
		return err
	}
	if cfg.Keep != nil {
		if sum, err = cfg.Keep(ctx, doc); err != nil {
			return fmt.Errorf("keep the raw responses: %w", err)
		}
	}
	version := p.APIVersion()
	if version == "" {
		version = "no API version header"
	}
	monitor.Note(ctx, "Read %s (%s) with collector %s: %d requests, %d resources; raw responses kept as blob sha256:%s.",
		p.Endpoint, version, p.Collector, p.Requests, p.Rows, sum)
	return nil
}

func redact(err error, token string) error {
	if token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return fmt.Errorf("%s", strings.ReplaceAll(err.Error(), token, "[redacted]"))
}

// sortResources orders resources by kind then id, so a run reads the same
// every time.
func sortResources(res []assay.Resource) {
	sort.Slice(res, func(i, j int) bool {
		if res[i].Kind != res[j].Kind {
			return res[i].Kind < res[j].Kind
		}
		return res[i].ID < res[j].ID
	})
}
