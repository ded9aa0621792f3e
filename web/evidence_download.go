package web

import (
	"net/http"

	"github.com/assay-platform/assay/httpkit"
)

// evidenceContentPage sends an evidence file (httpkit.EvidenceTransfer).
func (s *Server) evidenceContentPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.cfg.Transfer().ServeContent(w, r, p)
}
