package devices

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/apiclient"
)

// FleetVersion names the Fleet collector in a run's provenance.
const FleetVersion = "fleet/1"

// Fleet settings and secret.
const (
	SettingFleetURL = "url"
	SecretFleetAPI  = "token"
)

// fleetPageSize is how many hosts one request asks for.
const fleetPageSize = 500

// permFleet is what the API token needs.
const permFleet = "an API-only user with the Observer role (global, or on every team whose hosts should be read)"

// Fleet reads a Fleet server's hosts. Use NewFleet or a literal with
// every field set.
type Fleet struct {
	Clock assay.Clock
	Sleep apiclient.Sleeper
	Base  http.RoundTripper
}

// NewFleet returns the Fleet collector on clock.
func NewFleet(clock assay.Clock) monitor.Collector {
	return &Fleet{Clock: clock, Sleep: apiclient.Sleep}
}

func (*Fleet) Kind() string            { return "fleet" }
func (*Fleet) ResourceKinds() []string { return []string{KindDevice} }

// Validate wants the server's URL and an API token.
func (*Fleet) Validate(cfg monitor.Config) error {
	_, _, err := readFleet(cfg, true)
	if err == nil {
		_, err = minVersions(cfg.Settings[SettingMinOS])
	}
	return err
}

func readFleet(cfg monitor.Config, needToken bool) (*url.URL, string, error) {
	raw := strings.TrimSpace(cfg.Settings[SettingFleetURL])
	u, err := url.Parse(raw)
	if raw == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, "", assay.Invalid(SettingFleetURL, "url is required: your Fleet server's address, such as https://fleet.example.com")
	}
	u.Path, u.RawQuery, u.Fragment = strings.TrimSuffix(u.Path, "/"), "", ""
	token := strings.TrimSpace(cfg.Secrets[SecretFleetAPI])
	if needToken && token == "" {
		return nil, "", assay.Invalid(SecretFleetAPI, "the secret token is required: the API token of an API-only Fleet user with the Observer role (see the README)")
	}
	return u, token, nil
}

// Plan lists the requests a collection makes.
func (*Fleet) Plan(cfg monitor.Config) ([]string, error) {
	base, _, err := readFleet(cfg, false)
	if err != nil {
		return nil, err
	}
	return []string{
		"headers: Authorization: Bearer [token] (sent to " + base.Host + " only)",
		"GET " + base.String() + "/api/v1/fleet/hosts?" + fleetQuery(0) + " (page 0, 1, ... until a page is short)",
	}, nil
}

func fleetQuery(page int) string {
	q := url.Values{"page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(fleetPageSize)}, "order_key": {"id"},
		"populate_policies": {"true"}, "device_mapping": {"true"}}
	return q.Encode()
}

type fleetHost struct {
	ID                    int64      `json:"id"`
	Hostname              string     `json:"hostname"`
	DisplayName           string     `json:"display_name"`
	Platform              string     `json:"platform"`
	OSVersion             string     `json:"os_version"`
	Serial                string     `json:"hardware_serial"`
	SeenTime              *time.Time `json:"seen_time"`
	DiskEncryptionEnabled *bool      `json:"disk_encryption_enabled"`
	MDM                   *struct {
		EnrollmentStatus *string `json:"enrollment_status"`
	} `json:"mdm"`
	Policies []struct {
		Name     string `json:"name"`
		Response string `json:"response"`
	} `json:"policies"`
	DeviceMapping []struct {
		Email  string `json:"email"`
		Source string `json:"source"`
	} `json:"device_mapping"`
}

type fleetError struct {
	Message string `json:"message"`
	Errors  []struct {
		Reason string `json:"reason"`
	} `json:"errors"`
}

// Collect reads every host, page by page; any page that still fails after
// its retries fails the whole collection.
func (f *Fleet) Collect(ctx context.Context, cfg monitor.Config) ([]assay.Resource, error) {
	base, token, err := readFleet(cfg, true)
	if err != nil {
		return nil, err
	}
	log := &apiclient.Log{}
	hc := &http.Client{Transport: &apiclient.Transport{Base: f.Base, Clock: f.Clock, Sleep: f.Sleep, Host: base.Host, Log: log,
		Authorize: func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }}}
	var list []device
	for page := 0; ; page++ {
		if page > 10_000 {
			return nil, fmt.Errorf("%w: GET /api/v1/fleet/hosts: more than 10,000 pages", apiclient.ErrPartial)
		}
		hosts, err := fleetPage(ctx, hc, base, page)
		if err != nil {
			return nil, err
		}
		for _, h := range hosts {
			list = append(list, h.device())
		}
		if len(hosts) < fleetPageSize {
			break
		}
	}
	res, err := resources(ctx, cfg, list, f.Clock.Now())
	if err != nil {
		return nil, err
	}
	p := apiclient.Provenance{Collector: FleetVersion, Endpoint: base.String() + "/api/v1/fleet", Requests: len(log.Entries()), Rows: len(res), Responses: log.Entries()}
	doc, sum, err := p.Document()
	if err != nil {
		return nil, err
	}
	if cfg.Keep != nil {
		if sum, err = cfg.Keep(ctx, doc); err != nil {
			return nil, fmt.Errorf("keep the raw responses: %w", err)
		}
	}
	monitor.Note(ctx, "Read %s/api/v1/fleet (Fleet REST API) with collector %s: %d requests, %d devices; raw responses kept as blob sha256:%s.",
		base.String(), FleetVersion, p.Requests, p.Rows, sum)
	return res, nil
}

func fleetPage(ctx context.Context, hc *http.Client, base *url.URL, page int) ([]fleetHost, error) {
	const what = "GET /api/v1/fleet/hosts"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base.String()+"/api/v1/fleet/hosts?"+fleetQuery(page), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", apiclient.ErrPartial, what, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", apiclient.ErrPartial, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e fleetError
		_ = json.NewDecoder(resp.Body).Decode(&e)
		reason := e.Message
		if len(e.Errors) > 0 && e.Errors[0].Reason != "" {
			reason += ": " + e.Errors[0].Reason
		}
		switch resp.StatusCode {
		case http.StatusUnauthorized:
			return nil, fmt.Errorf("%w: %s (page %d): Fleet refused the token (401 %s); make a new API token", apiclient.ErrPartial, what, page, reason)
		case http.StatusForbidden:
			return nil, fmt.Errorf("%w: %s (page %d): Fleet answered 403 (%s); the collector needs %s", apiclient.ErrPartial, what, page, reason, permFleet)
		}
		return nil, fmt.Errorf("%w: %s (page %d): Fleet answered %d (%s)", apiclient.ErrPartial, what, page, resp.StatusCode, reason)
	}
	var body struct {
		Hosts []fleetHost `json:"hosts"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("%w: %s (page %d): the answer is not the JSON Fleet documents: %v", apiclient.ErrPartial, what, page, err)
	}
	return body.Hosts, nil
}

// postureWords map a Fleet policy's name to the posture it tests.
var postureWords = []struct {
	field string
	words []string
}{
	{"encryption", []string{"encrypt", "filevault", "bitlocker", "luks"}},
	{"screen_lock", []string{"screen lock", "screenlock", "screensaver", "screen saver", "lock screen", "password after sleep", "idle lock"}},
	{"firewall", []string{"firewall"}},
	{"os", []string{"up to date", "up-to-date", "updated", "latest", "os version", "software update", "patched"}},
}

// device reads a host: posture from the built-in disk encryption flag and
// from the policies whose names say what they test (a failing one wins);
// the owner from the device mapping, the identity provider's first.
func (h fleetHost) device() device {
	d := device{Serial: h.Serial, Name: h.DisplayName, Platform: h.Platform, OSVersion: h.OSVersion, Source: "fleet", LastSeen: h.SeenTime}
	if d.Serial == "" {
		d.Serial = "fleet-host-" + strconv.FormatInt(h.ID, 10)
	}
	if d.Name == "" {
		d.Name = h.Hostname
	}
	if h.MDM != nil && h.MDM.EnrollmentStatus != nil {
		d.Managed = strings.HasPrefix(*h.MDM.EnrollmentStatus, "On")
	}
	if h.DiskEncryptionEnabled != nil {
		d.Encryption = No
		if *h.DiskEncryptionEnabled {
			d.Encryption = Yes
		}
	}
	set := func(cur *string, response string) {
		switch response {
		case "fail":
			*cur = No
		case "pass":
			if *cur != No {
				*cur = Yes
			}
		}
	}
	for _, p := range h.Policies {
		name := strings.ToLower(p.Name)
		for _, pw := range postureWords {
			if !containsAny(name, pw.words) {
				continue
			}
			switch pw.field {
			case "encryption":
				set(&d.Encryption, p.Response)
			case "screen_lock":
				set(&d.ScreenLock, p.Response)
			case "firewall":
				set(&d.Firewall, p.Response)
			case "os":
				set(&d.OSUpToDate, p.Response)
			}
		}
	}
	for _, m := range h.DeviceMapping {
		if d.OwnerEmail == "" || m.Source == "idp" || m.Source == "mdm_idp_accounts" {
			d.OwnerEmail = m.Email
		}
	}
	return d
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
