package api

import (
	"io"
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/csvimport"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// POST /api/v1/audits/{id}/requests/import with the auditor's request list
// (CSV, tab-separated or XLSX) as the body: every line or none.
func (s *Server) apiImportRequestList(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		return assay.Errorf(assay.ETOOLARGE, "The request list is larger than %d bytes.", s.cfg.MaxBodyBytes)
	}
	list, err := csvimport.RequestList(r.Context(), s.app, p.App(), id, string(body))
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, map[string]any{"requests": app.ViewEvidenceRequests(list, s.clock.Now()), "count": len(list)})
	return nil
}

type sampleRequestsBody struct {
	ControlID   string `json:"control_id"`
	DueDate     string `json:"due_date"`
	Description string `json:"description"`
	AssigneeID  int64  `json:"assignee_id"`
}

// POST /api/v1/audits/{id}/samples/{sample}/requests: a request for each
// item the sample drew that has none yet.
func (s *Server) apiSampleRequests(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	sample, err := input.PathIDOf(r, "sample", "Sample")
	if err != nil {
		return err
	}
	var b sampleRequestsBody
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b); err != nil {
		return err
	}
	in := app.SampleRequests{ControlID: b.ControlID, Description: b.Description, AssigneeID: b.AssigneeID}
	due, err := input.ParseDate("due_date", b.DueDate)
	if err != nil {
		return err
	}
	if due != nil {
		in.DueDate = *due
	}
	list, err := s.app.RequestSampleEvidence(r.Context(), p.App(), id, sample, in)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, map[string]any{"requests": app.ViewEvidenceRequests(list, s.clock.Now()), "count": len(list)})
	return nil
}

// GET /api/v1/evidence-requests/{id}/comments
func (s *Server) apiRequestComments(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Evidence request")
	if err != nil {
		return err
	}
	list, err := s.app.EvidenceRequestComments(r.Context(), p.App(), id)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"comments": list, "count": len(list)})
	return nil
}

// POST /api/v1/evidence-requests/{id}/comments {"body":"..."}
func (s *Server) apiCommentRequest(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Evidence request")
	if err != nil {
		return err
	}
	var b struct {
		Body string `json:"body"`
	}
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b); err != nil {
		return err
	}
	c, err := s.app.CommentEvidenceRequest(r.Context(), p.App(), id, b.Body)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, c)
	return nil
}
