package entra

import (
	"strings"

	"github.com/assay-platform/assay/monitor"
)

// Plan lists the requests a collection makes, in order, without sending
// them. Each collection is followed through its @odata.nextLink.
func (*Collector) Plan(cfg monitor.Config) ([]string, error) {
	s, err := read(cfg, false)
	if err != nil {
		return nil, err
	}
	g := s.graph.String() + "/v1.0"
	return []string{
		"POST " + s.token.String() + " (grant_type=client_credentials, client_id=" + s.clientID + ", client_secret=[secret], scope=" + s.graph.Scheme + "://" + s.graph.Host + "/.default)",
		"headers: Authorization: Bearer [access token], ConsistencyLevel: eventual (sent to " + s.graph.Host + " only)",
		"GET " + g + "/users?$select=id,userPrincipalName,mail,accountEnabled,userType,createdDateTime,signInActivity&$top=999 (every page, by @odata.nextLink)",
		"GET " + g + "/reports/authenticationMethods/userRegistrationDetails (every page)",
		"GET " + g + "/directoryRoles",
		"GET " + g + "/directoryRoles/ROLE_ID/members?$select=id (each activated role, every page)",
		"application permissions needed: " + strings.Join(Permissions, ", "),
	}, nil
}
