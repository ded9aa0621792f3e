package api

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// auditReportRoutes registers the report package's API; who may do what
// is decided in app (app/audit_report_access.go).
func (s *Server) auditReportRoutes() {
	s.api("GET /api/v1/audits/{id}/report", assay.ActionRead, s.apiAuditReportPackage)
	s.api("GET /api/v1/audits/{id}/report/{doc}", assay.ActionRead, s.apiAuditReportDocument)
	s.api("POST /api/v1/audits/{id}/report/signoffs", assay.ActionRead, s.apiSignAuditDocument)
	s.api("POST /api/v1/audits/{id}/report/files", assay.ActionRead, s.apiUploadAuditReport)
	s.api("GET /api/v1/audits/{id}/report/files/{file}", assay.ActionRead, s.apiAuditReportFile)
	s.api("POST /api/v1/audits/{id}/report/comments", assay.ActionRead, s.apiCommentAuditReport)
	s.api("POST /api/v1/audits/{id}/report/comments/{comment}/resolve", assay.ActionRead, s.apiResolveAuditReportComment)
}

// GET /api/v1/audits/{id}/report: the report package.
func (s *Server) apiAuditReportPackage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	pkg, err := s.app.AuditReportPackage(r.Context(), p.App(), id)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, pkg)
	return nil
}

// POST /api/v1/audits/{id}/report/signoffs: {document, sha256,
// signer_user_id | signer_name, signer_title}.
func (s *Server) apiSignAuditDocument(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	var n assay.NewSignoff
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &n); err != nil {
		return err
	}
	so, err := s.app.SignAuditDocument(r.Context(), p.App(), id, n)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, so)
	return nil
}

// POST /api/v1/audits/{id}/report/files: multipart/form-data, a "kind"
// field (draft or final), then the file.
func (s *Server) apiUploadAuditReport(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	mr, err := s.cfg.Transfer().OpenMultipart(w, r)
	if err != nil {
		return err
	}
	f, err := s.cfg.Transfer().ReceiveAuditReport(r.Context(), p, id, mr)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, f)
	return nil
}

// GET /api/v1/audits/{id}/report/files/{file}: an uploaded report.
func (s *Server) apiAuditReportFile(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	fid, err := strconv.ParseInt(r.PathValue("file"), 10, 64)
	if err != nil {
		return assay.Errorf(assay.ENOTFOUND, "Report file not found.")
	}
	return s.cfg.Transfer().ServeAuditReport(w, r, p, id, fid)
}

// POST /api/v1/audits/{id}/report/comments: {file_id, body}.
func (s *Server) apiCommentAuditReport(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	var b struct {
		FileID int64  `json:"file_id"`
		Body   string `json:"body"`
	}
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b); err != nil {
		return err
	}
	c, err := s.app.CommentAuditReport(r.Context(), p.App(), id, b.FileID, b.Body)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, c)
	return nil
}

// POST /api/v1/audits/{id}/report/comments/{comment}/resolve
func (s *Server) apiResolveAuditReportComment(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	cid, err := strconv.ParseInt(r.PathValue("comment"), 10, 64)
	if err != nil {
		return assay.Errorf(assay.ENOTFOUND, "Comment not found.")
	}
	c, err := s.app.ResolveAuditReportComment(r.Context(), p.App(), id, cid)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, c)
	return nil
}

// GET /api/v1/audits/{id}/report/{doc}: the document as JSON (its
// Markdown and SHA-256), or with ?format=md|pdf the file.
func (s *Server) apiAuditReportDocument(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	doc, err := assay.ParseReportDocument(r.PathValue("doc"))
	if err != nil {
		return assay.Errorf(assay.ENOTFOUND, "There is no such document.")
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		t, err := s.app.AuditReportText(r.Context(), p.App(), id, doc)
		if err != nil {
			return err
		}
		httpkit.WriteJSON(w, http.StatusOK, t)
		return nil
	}
	dl, err := s.app.AuditReportDownload(r.Context(), p.App(), id, doc, format)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", dl.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+dl.Name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(dl.Body)))
	w.Header().Set("X-Content-SHA256", dl.Digest)
	_, _ = w.Write(dl.Body)
	return nil
}
