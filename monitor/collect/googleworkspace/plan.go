package googleworkspace

import (
	"strings"

	"github.com/assay-platform/assay/monitor"
)

// Plan lists the requests a collection makes, in order, without sending
// them. Each list is followed through its nextPageToken.
func (*Collector) Plan(cfg monitor.Config) ([]string, error) {
	s, err := read(cfg, false)
	if err != nil {
		return nil, err
	}
	b := strings.TrimSuffix(s.api.String(), "/")
	c := s.customer
	return []string{
		"POST [the key's token_uri, https://oauth2.googleapis.com/token] (a JWT signed by the service account, acting as " + s.subject + ", scopes " + strings.Join(Scopes, " ") + ")",
		"headers: Authorization: Bearer [access token] (sent to " + s.api.Host + " only)",
		"GET " + b + "/admin/directory/v1/customer/" + c + "/roles (every page)",
		"GET " + b + "/admin/directory/v1/customer/" + c + "/roleassignments (every page)",
		"GET " + b + "/admin/directory/v1/users?customer=" + c + "&maxResults=500&orderBy=email (every page, by nextPageToken)",
	}, nil
}
