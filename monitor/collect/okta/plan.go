package okta

import (
	"net/url"

	"github.com/assay-platform/assay/monitor"
)

// Plan lists the requests a collection makes, in order, without sending
// them. User lists are followed through their Link rel="next" cursors.
func (*Collector) Plan(cfg monitor.Config) ([]string, error) {
	base, _, err := read(cfg, false)
	if err != nil {
		return nil, err
	}
	b := base.String()
	return []string{
		"headers: Authorization: SSWS [token], Accept: application/json (sent to " + base.Host + " only)",
		"GET " + b + "/api/v1/users?limit=200 (every page)",
		"GET " + b + "/api/v1/users?limit=200&filter=" + url.QueryEscape(`status eq "DEPROVISIONED"`) + " (every page)",
		"GET " + b + "/api/v1/users/USER_ID/factors (each user not deprovisioned)",
		"GET " + b + "/api/v1/users/USER_ID/roles (each user)",
		"GET " + b + "/api/v1/policies?type=PASSWORD",
	}, nil
}
