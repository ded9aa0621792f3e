package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// GET /monitoring/sources
func (s *Server) sourcesPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showSources(w, r, p, http.StatusOK, "", nil)
}

// monitoringSourcesData is what the sources page shows.
type monitoringSourcesData struct {
	Sources   []assay.Source
	Kinds     []sourceKind
	Form      map[string]string
	CanManage bool
	CanRun    bool
}

func (s *Server) showSources(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form map[string]string) error {
	list, err := p.Org.Sources(r.Context())
	if err != nil {
		return err
	}
	if form == nil {
		form = map[string]string{"kind": "http", "interval": "60"}
	}
	s.render(w, r, status, "monitoring_sources", pageData{Title: "Monitoring sources", Nav: "monitoring", Error: errMsg, Data: monitoringSourcesData{
		Sources:   list,
		Kinds:     sourceKinds,
		Form:      form,
		CanManage: p.User.Can(assay.ActionManageMonitoring, nil),
		CanRun:    s.cfg.Monitor != nil,
	}})
	return nil
}
