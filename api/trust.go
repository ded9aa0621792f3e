package api

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// trustRoutes are the trust center's administration (admins); the public
// pages themselves are the web's (/trust).
func (s *Server) trustRoutes() {
	s.api("GET /api/v1/trust/settings", assay.ActionManageTrust, s.apiTrustSettings)
	s.api("PUT /api/v1/trust/settings", assay.ActionManageTrust, s.apiUpdateTrustSettings)
	s.api("GET /api/v1/trust/documents", assay.ActionManageTrust, s.apiTrustDocuments)
	s.api("POST /api/v1/trust/documents", assay.ActionManageTrust, s.apiAddTrustDocument)
	s.api("POST /api/v1/trust/documents/{id}/published", assay.ActionManageTrust, s.apiPublishTrustDocument)
	s.api("GET /api/v1/trust/requests", assay.ActionManageTrust, s.apiTrustRequests)
	s.api("POST /api/v1/trust/requests/{id}/decision", assay.ActionManageTrust, s.apiDecideTrustRequest)
}

// GET /api/v1/trust/settings
func (s *Server) apiTrustSettings(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	t, err := s.app.TrustSettings(r.Context(), p.App())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, t)
	return nil
}

// PUT /api/v1/trust/settings with the whole settings document.
func (s *Server) apiUpdateTrustSettings(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var t assay.TrustSettings
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &t); err != nil {
		return err
	}
	out, err := s.app.UpdateTrustSettings(r.Context(), p.App(), t)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, out)
	return nil
}

// GET /api/v1/trust/documents
func (s *Server) apiTrustDocuments(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	docs, err := s.app.TrustDocuments(r.Context(), p.App())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"documents": docs, "count": len(docs)})
	return nil
}

// POST /api/v1/trust/documents: multipart with title, description, nda
// ("true"/"false", default true) and file; or JSON {"audit_id": N} to
// offer an engagement's final report.
func (s *Server) apiAddTrustDocument(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	if r.Header.Get("Content-Type") == "application/json" {
		var b struct {
			AuditID int64  `json:"audit_id"`
			Title   string `json:"title"`
		}
		if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b); err != nil {
			return err
		}
		d, err := s.app.OfferAuditReport(r.Context(), p.App(), b.AuditID, b.Title)
		if err != nil {
			return err
		}
		httpkit.WriteJSON(w, http.StatusCreated, d)
		return nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUploadBytes+1<<20)
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		return assay.Invalid("file", "Send the document as multipart/form-data with a file part.")
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return assay.Invalid("file", "Send the document's file in the part named file.")
	}
	defer f.Close()
	n := assay.NewTrustDocument{Title: r.FormValue("title"), Description: r.FormValue("description"), Filename: hdr.Filename,
		ContentType: hdr.Header.Get("Content-Type"), NDA: r.FormValue("nda") != "false"}
	d, err := s.app.AddTrustDocument(r.Context(), p.App(), n, f, s.cfg.MaxUploadBytes)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, d)
	return nil
}

// POST /api/v1/trust/documents/{id}/published {"published": false}
func (s *Server) apiPublishTrustDocument(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Document")
	if err != nil {
		return err
	}
	var b struct {
		Published bool `json:"published"`
	}
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b); err != nil {
		return err
	}
	d, err := s.app.SetTrustDocumentPublished(r.Context(), p.App(), id, b.Published)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, d)
	return nil
}

// GET /api/v1/trust/requests?status=pending
func (s *Server) apiTrustRequests(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	status := assay.TrustRequestStatus(r.URL.Query().Get("status"))
	switch status {
	case "", assay.TrustRequestPending, assay.TrustRequestApproved, assay.TrustRequestDenied:
	default:
		return assay.Invalid("status", "status is pending, approved or denied.")
	}
	list, err := s.app.TrustRequests(r.Context(), p.App(), status)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"requests": list, "count": len(list)})
	return nil
}

// POST /api/v1/trust/requests/{id}/decision {"decision": "approve"|"deny"}
func (s *Server) apiDecideTrustRequest(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Request")
	if err != nil {
		return err
	}
	var b struct {
		Decision string `json:"decision"`
	}
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b); err != nil {
		return err
	}
	if b.Decision != "approve" && b.Decision != "deny" {
		return assay.Invalid("decision", "Decide approve or deny.")
	}
	req, err := s.app.DecideTrustRequest(r.Context(), p.App(), id, b.Decision == "approve")
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, req)
	return nil
}
