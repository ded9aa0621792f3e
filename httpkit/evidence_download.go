package httpkit

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/input"
)

// inlineSafe are the media types a download is labelled with; anything
// else goes out as application/octet-stream. Downloads are attachments
// with nosniff and a sandboxing CSP either way, so a stored HTML or SVG
// file never runs in Assay's origin.
var inlineSafe = map[string]bool{
	"application/pdf": true, "image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true,
	"text/plain": true, "text/csv": true, "application/json": true, "application/zip": true, "application/gzip": true,
	"application/msword": true, "application/vnd.ms-excel": true,
}

func downloadType(mt string) string {
	t, params, err := mime.ParseMediaType(mt)
	if err != nil {
		return "application/octet-stream"
	}
	if inlineSafe[t] || strings.HasPrefix(t, "application/vnd.openxmlformats-officedocument.") || strings.HasPrefix(t, "application/vnd.oasis.opendocument.") {
		if cs := params["charset"]; cs != "" && strings.HasPrefix(t, "text/") {
			return mime.FormatMediaType(t, map[string]string{"charset": cs})
		}
		return t
	}
	return "application/octet-stream"
}

// ServeContent sends a file's content as a download. The blob is
// checked against its digest as it streams: if it does not match, the
// last bytes are withheld and the connection is cut, so the client never
// receives a complete, wrong file.
func (x *EvidenceTransfer) ServeContent(w http.ResponseWriter, r *http.Request, p *Principal) error {
	id, err := input.PathID(r, "Evidence")
	if err != nil {
		return err
	}
	ev, err := p.Org.Evidence(r.Context(), id)
	if err != nil {
		return err
	}
	if ev.Kind != assay.EvidenceFile {
		return assay.Errorf(assay.ENOTFOUND, "Evidence %d is a %s; it has no stored file.", ev.ID, strings.ToLower(ev.Kind.Label()))
	}
	if x.Blobs == nil {
		return errors.New("evidence download: the server has no blob store")
	}
	rd, err := x.Blobs.Open(ev.SHA256, ev.Size)
	if err != nil {
		// A missing or damaged blob is a fault to investigate (assay verify).
		return fmt.Errorf("evidence %d: %w", ev.ID, err)
	}
	defer rd.Close()
	raw, _ := hex.DecodeString(ev.SHA256)
	h := w.Header()
	h.Set("Content-Type", downloadType(ev.MediaType))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": ev.Filename}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.FormatInt(ev.Size, 10))
	h.Set("ETag", `"sha256:`+ev.SHA256+`"`)
	h.Set("Repr-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(raw)+":")
	h.Set("X-Assay-SHA256", ev.SHA256)
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(uploadTimeout))
	if _, err := io.Copy(w, rd); err != nil {
		if errors.Is(err, evidence.ErrCorrupt) {
			x.Log.Error("evidence blob does not match its digest; download cut short", "evidence", ev.ID, "sha256", ev.SHA256, "err", err)
		}
		panic(http.ErrAbortHandler) // the response cannot be completed: cut the connection
	}
	return nil
}
