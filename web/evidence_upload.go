package web

import (
	"mime/multipart"
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// Evidence uploads are multipart/form-data read part by part, never parsed
// whole: the fields come first and are small; the file, if any, is the
// last part and streams straight into the blob store while it is hashed.
// Nothing of the file is held in memory beyond one copy buffer, and the
// record is written only once the blob is durable.
//
// In the web UI the first part must be the form's CSRF token ("csrf"): it is
// checked before anything else of the body is read, so a forged upload is
// refused before it reaches the disk. (The other forms read the token with
// PostFormValue, which would parse a whole multipart body first.) API
// clients authenticate with a bearer token, or a session and the
// X-CSRF-Token header, checked before the body is opened.

// uploadHandler handles a multipart upload whose CSRF part has been read.
type uploadHandler func(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, mr *multipart.Reader) error

// uploadPage registers a UI route that takes a multipart upload: like
// page(), but the CSRF token is read as the body's first part.
func (s *Server) uploadPage(pattern string, action assay.Action, h uploadHandler) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := s.serveUpload(w, r, action, h); err != nil {
			s.pageError(w, r, err)
		}
	})
}

func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request, action assay.Action, h uploadHandler) error {
	p := httpkit.PrincipalFrom(r.Context())
	if p == nil || p.Session == nil {
		return assay.Errorf(assay.EUNAUTHORIZED, "Sign in first.")
	}
	forged := assay.Errorf(assay.EFORBIDDEN, "The form has expired or did not come from Assay; reload the page and try again.")
	mr, err := s.cfg.Transfer().OpenMultipart(w, r)
	if err != nil {
		if assay.ErrorCode(err) == assay.EINVALID {
			err = forged // not one of our forms
		}
		return err
	}
	part, err := mr.NextPart()
	if err != nil || part.FormName() != "csrf" {
		return forged
	}
	if v, err := httpkit.ReadField(part); err != nil || !httpkit.ValidCSRF(p, v) {
		return forged
	}
	if err := httpkit.Allow(p, action, r); err != nil {
		return err
	}
	return h(w, r, p, mr)
}
