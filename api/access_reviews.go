package api

import (
	"io"
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// GET /api/v1/access-reviews
func (s *Server) apiAccessReviews(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	list, err := s.app.AccessReviews(r.Context(), p.App())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"access_reviews": list, "count": len(list)})
	return nil
}

// POST /api/v1/access-reviews
func (s *Server) apiCreateAccessReview(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var n assay.NewAccessReview
	err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &n)
	var rv assay.AccessReview
	if err == nil {
		rv, err = s.app.OpenAccessReview(r.Context(), p.App(), n)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, rv)
	return nil
}

// GET /api/v1/access-reviews/{id}: the campaign with its accounts.
func (s *Server) apiAccessReview(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Access review")
	var d app.AccessReviewDetail
	if err == nil {
		d, err = s.app.AccessReview(r.Context(), p.App(), id)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, d)
	return nil
}

// PATCH /api/v1/access-reviews/{id}: name, period, due date and systems
// (the whole campaign, as when creating it).
func (s *Server) apiUpdateAccessReview(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Access review")
	var n assay.NewAccessReview
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &n)
	}
	var rv assay.AccessReview
	if err == nil {
		rv, err = s.app.UpdateAccessReview(r.Context(), p.App(), id, n)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, rv)
	return nil
}

// DELETE /api/v1/access-reviews/{id}
func (s *Server) apiDeleteAccessReview(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Access review")
	if err == nil {
		err = s.app.DeleteAccessReview(r.Context(), p.App(), id)
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// GET /api/v1/access-reviews/{id}/accounts
func (s *Server) apiAccessAccounts(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Access review")
	var accounts []assay.AccessAccount
	if err == nil {
		accounts, err = s.app.AccessAccounts(r.Context(), p.App(), id)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"accounts": accounts, "count": len(accounts)})
	return nil
}

// POST /api/v1/access-reviews/{id}/accounts loads accounts: a JSON body
// ({"from":"source","source_id":3,"system":"Okta"}, {"accounts":[...]}, or
// {"from":"accounts_csv","csv":"..."}), or a text/csv body of accounts
// (?system= for a file without a system column; ?format=roster for an
// identity roster export). All or nothing.
func (s *Server) apiLoadAccessAccounts(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Access review")
	if err != nil {
		return err
	}
	var l app.AccessLoad
	if strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
		if err != nil {
			return assay.Errorf(assay.ETOOLARGE, "The CSV is larger than %d bytes.", s.cfg.MaxBodyBytes)
		}
		l = app.AccessLoad{From: app.LoadFromAccountsCSV, CSV: string(body), System: r.URL.Query().Get("system")}
		if r.URL.Query().Get("format") == "roster" {
			l.From = app.LoadFromRosterCSV
		}
	} else if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &l); err != nil {
		return err
	}
	res, err := s.app.LoadAccessAccounts(r.Context(), p.App(), id, l)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, res)
	return nil
}

// POST /api/v1/access-reviews/{id}/accounts/{account}/decision
// {"decision":"revoke","reason":"..."}
func (s *Server) apiDecideAccess(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Access review")
	var account int64
	if err == nil {
		account, err = input.AccountID(r)
	}
	var d assay.NewAccessDecision
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &d)
	}
	var out assay.AccessAccount
	if err == nil {
		out, err = s.app.DecideAccess(r.Context(), p.App(), id, account, d)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, out)
	return nil
}

// POST /api/v1/access-reviews/{id}/complete
func (s *Server) apiCompleteAccessReview(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Access review")
	var rv assay.AccessReview
	if err == nil {
		rv, err = s.app.CompleteAccessReview(r.Context(), p.App(), id)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, rv)
	return nil
}

// GET /api/v1/access-reviews/{id}/export.csv: the campaign's accounts and
// decisions.
func (s *Server) accessReviewCSV(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Access review")
	var out app.AccessReviewExport
	if err == nil {
		out, err = s.app.ExportAccessReview(r.Context(), p.App(), id)
	}
	if err != nil {
		return err
	}
	writeCSV(w, out.Filename, out.Rows)
	return nil
}
