package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// accessFlash are the access review pages' confirmations.
var accessFlash = map[string]string{
	"created":   "Campaign opened. Load the accounts of its systems next.",
	"loaded":    "Accounts loaded.",
	"decided":   "Decision recorded.",
	"completed": "Campaign completed; its summary is attached as evidence to the access review controls.",
	"deleted":   "Campaign deleted.",
	"updated":   "Campaign updated.",
}

func (s *Server) accessReviewsPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showAccessReviews(w, r, p, http.StatusOK, "", url.Values{})
}

func (s *Server) showAccessReviews(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	list, err := s.app.AccessReviews(r.Context(), p.App())
	if err != nil {
		return err
	}
	users, err := p.Org.Users(r.Context())
	if err != nil {
		return err
	}
	controls, err := p.Org.Controls(r.Context(), assay.ControlFilter{})
	if err != nil {
		return err
	}
	now := s.clock.Now()
	s.render(w, r, status, "access_reviews", pageData{Title: "Access reviews", Nav: "access", Error: errMsg, Flash: accessFlash[r.URL.Query().Get("flash")],
		Data: accessReviewsData{Reviews: list, Now: now, Form: form, Users: users,
			Condition: assay.AccessReviewCondition(now, list, nil, controls)("CC6.2"),
			CanManage: app.MayManageAccessReviews(p.App()) == nil}})
	return nil
}

// accessReviewsData is the access reviews page's data.
type accessReviewsData struct {
	Reviews   []assay.AccessReview
	Now       time.Time
	Form      url.Values
	Users     []assay.User
	Condition string // why CC6.2 is not met, or ""
	CanManage bool
}

func (s *Server) createAccessReviewForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	n, err := input.AccessReviewForm(r.Context(), p.Org, r.PostFormValue)
	if err == nil {
		var rv assay.AccessReview
		if rv, err = s.app.OpenAccessReview(r.Context(), p.App(), n); err == nil {
			http.Redirect(w, r, fmt.Sprintf("/access-reviews/%d?flash=created", rv.ID), http.StatusSeeOther)
			return nil
		}
	}
	return reshow(err, func(status int, msg string) error {
		return s.showAccessReviews(w, r, p, status, msg, r.PostForm)
	})
}

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

// pageFail re-shows the campaign with a correctable error, or the error page.
func (s *Server) accessPageFail(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, err error) error {
	return reshow(err, func(status int, msg string) error {
		return s.showAccessReview(w, r, p, status, msg, r.PostForm)
	})
}

func (s *Server) loadAccessAccountsForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Access review")
	if err != nil {
		return err
	}
	l := app.AccessLoad{From: r.PostFormValue("from"), System: r.PostFormValue("system")}
	if v := r.PostFormValue("source_id"); v != "" {
		l.SourceID, _ = strconv.ParseInt(v, 10, 64)
	}
	if l.From != app.LoadFromSource {
		if l.CSV, err = input.FormUpload(r, "file", "csv", s.cfg.MaxBodyBytes); err != nil {
			return s.accessPageFail(w, r, p, err)
		}
	}
	if _, err := s.app.LoadAccessAccounts(r.Context(), p.App(), id, l); err != nil {
		return s.accessPageFail(w, r, p, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/access-reviews/%d?flash=loaded", id), http.StatusSeeOther)
	return nil
}

func (s *Server) decideAccessForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Access review")
	var account int64
	if err == nil {
		account, err = input.AccountID(r)
	}
	if err == nil {
		_, err = s.app.DecideAccess(r.Context(), p.App(), id, account, assay.NewAccessDecision{
			Decision: assay.AccessDecision(r.PostFormValue("decision")), Reason: r.PostFormValue("reason")})
	}
	if err != nil {
		return s.accessPageFail(w, r, p, err)
	}
	back := fmt.Sprintf("/access-reviews/%d?flash=decided", id)
	if r.PostFormValue("pending") == "1" {
		back += "&pending=1"
	}
	http.Redirect(w, r, back+fmt.Sprintf("#acc-%d", account), http.StatusSeeOther)
	return nil
}

func (s *Server) completeAccessReviewForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Access review")
	if err == nil {
		_, err = s.app.CompleteAccessReview(r.Context(), p.App(), id)
	}
	if err != nil {
		return s.accessPageFail(w, r, p, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/access-reviews/%d?flash=completed", id), http.StatusSeeOther)
	return nil
}

func (s *Server) deleteAccessReviewForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Access review")
	if err == nil {
		err = s.app.DeleteAccessReview(r.Context(), p.App(), id)
	}
	if err != nil {
		return s.accessPageFail(w, r, p, err)
	}
	http.Redirect(w, r, "/access-reviews?flash=deleted", http.StatusSeeOther)
	return nil
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

func (s *Server) updateAccessReviewForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Access review")
	var n assay.NewAccessReview
	if err == nil {
		n, err = input.AccessReviewForm(r.Context(), p.Org, r.PostFormValue)
	}
	if err == nil {
		_, err = s.app.UpdateAccessReview(r.Context(), p.App(), id, n)
	}
	if err != nil {
		return s.accessPageFail(w, r, p, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/access-reviews/%d?flash=updated", id), http.StatusSeeOther)
	return nil
}
