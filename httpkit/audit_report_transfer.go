package httpkit

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/evidence"
)

// ReceiveAuditReport reads an upload of the auditor's report: a "kind"
// field (draft or final) and then the file, the last part, streamed into
// the blob store before the record is written.
func (x *EvidenceTransfer) ReceiveAuditReport(ctx context.Context, p *Principal, auditID int64, mr *multipart.Reader) (assay.AuditReportFile, error) {
	kind := ""
	for i := 0; i < maxParts; i++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return assay.AuditReportFile{}, x.bodyError(err)
		}
		if part.FormName() == "file" || part.FileName() != "" {
			if part.FileName() == "" {
				return assay.AuditReportFile{}, assay.Invalid("file", "Choose the report file to upload.")
			}
			f, err := x.App.UploadAuditReport(ctx, p.App(), auditID, assay.ReportFileKind(strings.TrimSpace(kind)),
				app.File{Filename: part.FileName(), MediaType: part.Header.Get("Content-Type")}, part, x.MaxUploadBytes)
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) || errors.Is(err, evidence.ErrTooLarge) {
				return f, x.tooLarge()
			}
			return f, err
		}
		v, err := ReadField(part)
		if err != nil {
			return assay.AuditReportFile{}, err
		}
		if part.FormName() == "kind" {
			kind = v
		}
	}
	return assay.AuditReportFile{}, assay.Invalid("file", "Choose the report file to upload.")
}

// ServeAuditReport sends an uploaded report as a download, checked
// against its digest as it streams (cut short if it does not match).
func (x *EvidenceTransfer) ServeAuditReport(w http.ResponseWriter, r *http.Request, p *Principal, auditID, fileID int64) error {
	f, rd, err := x.App.AuditReportFileContent(r.Context(), p.App(), auditID, fileID)
	if err != nil {
		return err
	}
	defer rd.Close()
	raw, _ := hex.DecodeString(f.Digest)
	h := w.Header()
	h.Set("Content-Type", downloadType(f.ContentType))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Filename}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	h.Set("Repr-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(raw)+":")
	h.Set("X-Assay-SHA256", f.Digest)
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(uploadTimeout))
	if _, err := io.Copy(w, rd); err != nil {
		if errors.Is(err, evidence.ErrCorrupt) {
			x.Log.Error("audit report blob does not match its digest; download cut short", "audit", auditID, "file", fileID, "sha256", f.Digest, "err", err)
		}
		panic(http.ErrAbortHandler)
	}
	return nil
}
