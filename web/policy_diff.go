package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// policyDiffPage compares two versions: ?from=&to= (version ids; by
// default the two newest).
func (s *Server) policyDiffPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Policy")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d, err := s.app.DiffPolicy(r.Context(), p.App(), id, q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "policy_diff", pageData{Title: "Compare versions: " + d.To.PolicyTitle, Nav: "policies", Data: policyDiffData{
		PolicyID: id, Versions: d.Versions, From: d.From, To: d.To, Diff: d.Lines, Added: d.Added, Removed: d.Removed}})
	return nil
}

// policyDiffData is the policy comparison page's data.
type policyDiffData struct {
	PolicyID int64
	Versions []assay.PolicyVersion
	From     assay.PolicyVersion
	To       assay.PolicyVersion
	Diff     []assay.DiffLine
	Added    int
	Removed  int
}
