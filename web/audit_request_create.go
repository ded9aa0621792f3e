package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/csvimport"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// createAuditRequestForm puts one request on the engagement's list.
func (s *Server) createAuditRequestForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	f := r.PostForm
	n := assay.NewEvidenceRequest{AuditID: id, Reference: f.Get("reference"), ControlID: f.Get("control_id"), Description: f.Get("description")}
	due, err := input.ParseDate("due_date", f.Get("due_date"))
	if err == nil && due != nil {
		n.DueDate = *due
	}
	if err == nil {
		_, err = s.app.CreateRequestList(r.Context(), p.App(), id, []assay.NewEvidenceRequest{n})
	}
	return s.afterAuditForm(w, r, p, id, err, "request-created")
}

// importAuditRequestsForm reads the auditor's request list (CSV or XLSX).
func (s *Server) importAuditRequestsForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	text, err := input.FormUpload(r, "file", "list", s.cfg.MaxBodyBytes)
	if err == nil && strings.TrimSpace(text) == "" {
		err = assay.Invalid("file", "Choose the request list to import (CSV or XLSX).")
	}
	if err == nil {
		_, err = csvimport.RequestList(r.Context(), s.app, p.App(), id, text)
	}
	return s.afterAuditForm(w, r, p, id, err, "requests-imported")
}

// sampleRequestsForm asks for evidence of each item a sample drew.
func (s *Server) sampleRequestsForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	sample, err := input.PathIDOf(r, "sample", "Sample")
	if err != nil {
		return err
	}
	f := r.PostForm
	in := app.SampleRequests{ControlID: f.Get("control_id"), Description: f.Get("description")}
	due, err := input.ParseDate("due_date", f.Get("due_date"))
	if err == nil && due != nil {
		in.DueDate = *due
	}
	if err == nil {
		_, err = s.app.RequestSampleEvidence(r.Context(), p.App(), id, sample, in)
	}
	return s.afterAuditForm(w, r, p, id, err, "sample-requested")
}

// commentRequestForm adds to a request's thread.
func (s *Server) commentRequestForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Evidence request")
	if err != nil {
		return err
	}
	if _, err := s.app.CommentEvidenceRequest(r.Context(), p.App(), id, r.PostForm.Get("body")); err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showRequest(w, r, p, status, msg)
		})
	}
	http.Redirect(w, r, "/evidence-requests/"+strconv.FormatInt(id, 10)+"?flash=comment-added#thread", http.StatusSeeOther)
	return nil
}
