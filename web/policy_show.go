package web

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) policyPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showPolicy(w, r, p, http.StatusOK, "")
}

// showPolicy is the policy page: settings, versions with their changelog
// and the buttons each role may press, the acceptance figure and a diff
// selector. ?version= shows that version's text (default: the latest).
func (s *Server) showPolicy(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string) error {
	id, err := input.PathID(r, "Policy")
	if err != nil {
		return err
	}
	ctx := r.Context()
	d, err := s.app.Policy(ctx, p.App(), id)
	if err != nil {
		return err
	}
	versions := d.Versions
	shown := versions[0]
	if v := r.URL.Query().Get("version"); v != "" {
		for _, x := range versions {
			if strconv.FormatInt(x.ID, 10) == v {
				shown = x
			}
		}
	}
	body, err := renderDraftMarkdown(shown.Body)
	if err != nil {
		return err
	}
	canManage := p.User.Can(assay.ActionManagePolicies, nil)
	var owners []assay.User
	if canManage {
		if owners, err = s.app.PolicyOwners(ctx, p.App()); err != nil {
			return err
		}
	}
	s.render(w, r, status, "policy", pageData{Title: d.Policy.Title, Nav: "policies", Error: errMsg, Flash: policyFlash[r.URL.Query().Get("flash")],
		Data: policyData{
			Policy:   d.Policy,
			Versions: versions, Shown: shown, Body: body, CanManage: canManage, Owners: owners, Me: p.User.ID,
			EmploymentTypes: assay.PolicyEmploymentTypes,
		}})
	return nil
}

// policyData is the policy page's data.
type policyData struct {
	Policy          app.PolicyView
	Versions        []assay.PolicyVersion
	Shown           assay.PolicyVersion // the version whose text is shown
	Body            template.HTML       // Shown's text
	CanManage       bool
	Owners          []assay.User
	Me              int64
	EmploymentTypes []string
}

func (s *Server) formPolicyError(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, err error) error {
	return reshow(err, func(status int, msg string) error {
		return s.showPolicy(w, r, p, status, msg)
	})
}
