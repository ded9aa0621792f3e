package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// auditReportCommentForm adds a comment on an uploaded report.
func (s *Server) auditReportCommentForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	fileID, perr := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("file_id")), 10, 64)
	if perr != nil {
		err = assay.Invalid("file_id", "Choose the report the comment is about.")
	} else {
		_, err = s.app.CommentAuditReport(r.Context(), p.App(), id, fileID, r.PostFormValue("body"))
	}
	return s.afterAuditReportForm(w, r, p, id, err, "comment", r.PostForm)
}

// auditReportResolveForm marks a comment resolved.
func (s *Server) auditReportResolveForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	cid, err := strconv.ParseInt(r.PathValue("comment"), 10, 64)
	if err != nil {
		return assay.Errorf(assay.ENOTFOUND, "Comment not found.")
	}
	_, err = s.app.ResolveAuditReportComment(r.Context(), p.App(), id, cid)
	return s.afterAuditReportForm(w, r, p, id, err, "resolved", r.PostForm)
}

// auditReportFileDownload serves an uploaded report.
func (s *Server) auditReportFileDownload(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
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
