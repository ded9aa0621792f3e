package githuborg

import "github.com/assay-platform/assay/monitor"

// Plan lists the requests a collection makes, in order, without sending
// them. Every list is followed through its Link rel="next" pages.
func (*Collector) Plan(cfg monitor.Config) ([]string, error) {
	s, err := read(cfg, false)
	if err != nil {
		return nil, err
	}
	api, org := s.api.String(), s.org
	return []string{
		"headers: Authorization: Bearer [token], X-GitHub-Api-Version: 2022-11-28 (sent to " + s.api.Host + " only)",
		"GET " + api + "orgs/" + org,
		"GET " + api + "orgs/" + org + "/members?per_page=100&role=all (every page)",
		"GET " + api + "orgs/" + org + "/members?per_page=100&role=admin (every page)",
		"GET " + api + "orgs/" + org + "/members?filter=2fa_disabled&per_page=100&role=all (every page)",
		"GET " + api + "orgs/" + org + "/outside_collaborators?per_page=100 (every page)",
		"GET " + api + "orgs/" + org + "/outside_collaborators?filter=2fa_disabled&per_page=100 (every page)",
		"GET " + api + "orgs/" + org + "/repos?per_page=100&type=all (every page)",
		"GET " + api + "orgs/" + org + "/dependabot/alerts?per_page=100&state=open (every page)",
		"GET " + api + "orgs/" + org + "/secret-scanning/alerts?per_page=100&state=open (every page)",
		"GET " + api + "repos/" + org + "/REPOSITORY/branches/DEFAULT_BRANCH/protection (each repository not archived)",
	}, nil
}
