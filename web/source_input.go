package web

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
	"github.com/assay-platform/assay/monitor/runner"
)

// POST /monitoring/sources/{id}/input: the upload form of file kinds
// (multipart: csrf first, then the file "document").
func (s *Server) sourceInputForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, mr *multipart.Reader) error {
	id, err := input.PathID(r, "Source")
	if err == nil && s.cfg.Monitor == nil {
		err = app.ErrNoMonitor
	}
	var doc []byte
	for err == nil {
		part, perr := mr.NextPart()
		if perr == io.EOF {
			break
		}
		if perr != nil {
			err = assay.Invalid("document", "The upload was cut short.")
			break
		}
		if part.FormName() == "document" {
			doc, err = io.ReadAll(io.LimitReader(part, s.cfg.MaxUploadBytes+1))
			if err == nil && int64(len(doc)) > s.cfg.MaxUploadBytes {
				err = assay.Errorf(assay.ETOOLARGE, "The document is larger than the upload limit of %s.", httpkit.HumanBytes(s.cfg.MaxUploadBytes))
			}
		}
	}
	if err == nil && len(doc) == 0 {
		err = assay.Invalid("document", "Choose the document to upload.")
	}
	if err == nil {
		_, err = s.cfg.Monitor.Import(runner.WithActor(r.Context(), p.Actor()), p.Org, id, doc)
	}
	if err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showSource(w, r, p, status, msg)
		})
	}
	http.Redirect(w, r, fmt.Sprintf("/monitoring/sources/%d?flash=saved", id), http.StatusSeeOther)
	return nil
}
