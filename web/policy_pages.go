package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

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
	body, err := renderMarkdown(shown.Body)
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

func (s *Server) policySettingsForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Policy")
	if err != nil {
		return err
	}
	title := r.PostFormValue("title")
	scope := scopeFromForm(r)
	patch := assay.PolicyPatch{Title: &title, AppliesTo: &scope}
	owner, err1 := strconv.ParseInt(r.PostFormValue("owner_id"), 10, 64)
	months, err2 := strconv.Atoi(r.PostFormValue("review_months"))
	switch {
	case err1 != nil:
		err = assay.Invalid("owner_id", "Choose an owner from the list.")
	case err2 != nil:
		err = assay.Invalid("review_months", "The review cadence is a whole number of months.")
	default:
		patch.OwnerID, patch.ReviewMonths = &owner, &months
		_, err = s.app.UpdatePolicy(r.Context(), p.App(), id, patch)
	}
	if err != nil {
		return s.formPolicyError(w, r, p, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/policies/%d?flash=settings", id), http.StatusSeeOther)
	return nil
}

func (s *Server) policyReviewForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Policy")
	if err == nil {
		_, err = s.app.ReviewPolicy(r.Context(), p.App(), id)
	}
	if err != nil {
		return s.formPolicyError(w, r, p, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/policies/%d?flash=reviewed", id), http.StatusSeeOther)
	return nil
}

func (s *Server) policyMoveForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Policy")
	if err != nil {
		return err
	}
	vid, err := strconv.ParseInt(r.PathValue("vid"), 10, 64)
	if err != nil {
		return assay.Errorf(assay.ENOTFOUND, "Policy version not found.")
	}
	if _, err := s.app.MovePolicyVersion(r.Context(), p.App(), id, vid, assay.PolicyStatus(r.PostFormValue("to"))); err != nil {
		return s.formPolicyError(w, r, p, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/policies/%d?flash=moved", id), http.StatusSeeOther)
	return nil
}

// policyVersionFile serves /policies/{id}/versions/{vid}.html and .pdf:
// the downloads of a published (or since retired) version.
func (s *Server) policyVersionFile(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Policy")
	if err != nil {
		return err
	}
	name := r.PathValue("file")
	base, ext, _ := strings.Cut(name, ".")
	vid, err := strconv.ParseInt(base, 10, 64)
	if err != nil || (ext != "html" && ext != "pdf") {
		return assay.Errorf(assay.ENOTFOUND, "There is no such policy download.")
	}
	org, v, err := s.app.PolicyDownload(r.Context(), p.App(), id, vid)
	if assay.ErrorCode(err) == assay.ENOTFOUND {
		err = assay.Errorf(assay.ENOTFOUND, "There is no such policy download.")
	}
	if err != nil {
		return err
	}
	if ext == "html" {
		if err := s.writePolicyHTML(w, org, v); err != nil {
			s.log.Error("policy html download", "policy", id, "version", vid, "err", err)
		}
		return nil
	}
	pdf, err := policyPDF(org, v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+policyFileName(v, "pdf")+`"`)
	_, _ = w.Write(pdf)
	return nil
}

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

// policyEditPage is the Markdown editor with its preview.
func (s *Server) policyEditPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showPolicyEdit(w, r, p, http.StatusOK, "", nil, "")
}

func (s *Server) showPolicyEdit(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values, preview template.HTML) error {
	id, err := input.PathID(r, "Policy")
	if err != nil {
		return err
	}
	d, err := s.app.Policy(r.Context(), p.App(), id)
	if err != nil {
		return err
	}
	pol := d.Policy.Policy
	latest := pol.Latest
	if form == nil {
		form = url.Values{"body": {latest.Body}, "bump": {"minor"}}
		if latest.Editable() {
			form.Set("changelog", latest.Changelog)
		}
	}
	s.render(w, r, status, "policy_edit", pageData{Title: "Edit " + pol.Title, Nav: "policies", Error: errMsg, Data: policyEditData{
		Policy: pol, Latest: latest, NewVersion: !latest.Editable(),
		Locked: latest.Status == assay.PolicyInReview || latest.Status == assay.PolicyApproved,
		Form:   form, Preview: preview}})
	return nil
}

// policyEditData is the policy editor's data; its preview block reads
// only Preview.
type policyEditData struct {
	Policy     assay.Policy
	Latest     *assay.PolicyVersion
	NewVersion bool // saving starts a new version
	Locked     bool // the latest version is in review or approved
	Form       url.Values
	Preview    template.HTML
}

func (s *Server) policyEditForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Policy")
	if err != nil {
		return err
	}
	if r.PostFormValue("action") == "preview" {
		html, err := renderMarkdown(r.PostFormValue("body"))
		if err != nil {
			return err
		}
		return s.showPolicyEdit(w, r, p, http.StatusOK, "", r.PostForm, html)
	}
	e := assay.PolicyEdit{Body: r.PostFormValue("body"), Changelog: r.PostFormValue("changelog"), Bump: r.PostFormValue("bump")}
	if _, err := s.app.EditPolicy(r.Context(), p.App(), id, e); err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showPolicyEdit(w, r, p, status, msg, r.PostForm, "")
		})
	}
	http.Redirect(w, r, fmt.Sprintf("/policies/%d?flash=saved", id), http.StatusSeeOther)
	return nil
}

// policyPreview renders the posted Markdown for htmx (the preview block
// only); without htmx the edit form's Preview button does the same with a
// full page.
func (s *Server) policyPreview(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	html, err := renderMarkdown(r.PostFormValue("body"))
	if err != nil {
		return err
	}
	if r.Header.Get("HX-Request") == "" {
		return s.showPolicyEdit(w, r, p, http.StatusOK, "", r.PostForm, html)
	}
	s.renderBlock(w, r, http.StatusOK, "policy_edit", "policy-preview", pageData{Data: policyEditData{Preview: html}})
	return nil
}
