package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// accountRow is an account with what the viewer may do to it.
type accountRow struct {
	assay.AccessAccount
	CanDecide bool
}

func (s *Server) accessReviewPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showAccessReview(w, r, p, http.StatusOK, "", url.Values{})
}

func (s *Server) showAccessReview(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	id, err := input.PathID(r, "Access review")
	if err != nil {
		return err
	}
	ctx := r.Context()
	d, err := s.app.AccessReview(ctx, p.App(), id)
	if err != nil {
		return err
	}
	rv, accounts := d.Review, d.Accounts
	pending := r.URL.Query().Get("pending") == "1"
	rows := make([]accountRow, 0, len(accounts))
	for _, a := range accounts {
		if pending && a.Decision != "" {
			continue
		}
		rows = append(rows, accountRow{AccessAccount: a, CanDecide: app.CanDecideAccess(p.App(), rv, a)})
	}
	canManage := app.MayManageAccessReviews(p.App()) == nil
	var sources []assay.Source
	if canManage && rv.Status == assay.AccessReviewOpen {
		if sources, err = s.app.AccessAccountSources(ctx, p.App()); err != nil {
			return err
		}
	}
	edit := form // a rejected edit keeps what was typed
	if !form.Has("name") && canManage && rv.Status == assay.AccessReviewOpen {
		if edit, err = s.accessReviewEditForm(r, p, rv); err != nil {
			return err
		}
	}
	s.render(w, r, status, "access_review", pageData{Title: rv.Name, Nav: "access", Error: errMsg, Flash: accessFlash[r.URL.Query().Get("flash")],
		Data: accessReviewData{Review: rv, Accounts: rows, Pending: pending, Form: form, Edit: edit, Sources: sources,
			Overdue: rv.Overdue(s.clock.Now()), CanManage: canManage, Open: rv.Status == assay.AccessReviewOpen,
			Decisions: assay.AccessDecisions}})
	return nil
}

// accessReviewData is the access review campaign page's data.
type accessReviewData struct {
	Review    assay.AccessReview
	Accounts  []accountRow
	Pending   bool       // only the undecided accounts are shown
	Form      url.Values // what was posted, for the load form
	Edit      url.Values // the campaign's edit form
	Sources   []assay.Source
	Overdue   bool
	CanManage bool
	Open      bool
	Decisions []assay.AccessDecision
}

// accessPageFail re-shows the campaign with a correctable error, or the error page.
func (s *Server) accessPageFail(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, err error) error {
	return reshow(err, func(status int, msg string) error {
		return s.showAccessReview(w, r, p, status, msg, r.PostForm)
	})
}

// accessReviewEditForm fills the edit form from the campaign: systems as
// "name = owner e-mail" lines.
func (s *Server) accessReviewEditForm(r *http.Request, p *httpkit.Principal, rv assay.AccessReview) (url.Values, error) {
	users, err := p.Org.Users(r.Context())
	if err != nil {
		return nil, err
	}
	email := map[int64]string{}
	for _, u := range users {
		email[u.ID] = u.Email
	}
	var lines []string
	for _, sys := range rv.Systems {
		if e := email[sys.OwnerID]; e != "" {
			lines = append(lines, sys.Name+" = "+e)
		} else {
			lines = append(lines, sys.Name)
		}
	}
	return url.Values{"name": {rv.Name}, "period": {rv.Period}, "due_date": {rv.DueDate.Format("2006-01-02")}, "systems": {strings.Join(lines, "\n")}}, nil
}
