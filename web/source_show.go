package web

import (
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// GET /monitoring/sources/{id}: last runs, errors, digests, Run now and
// the upload form of file kinds.
func (s *Server) sourcePage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showSource(w, r, p, http.StatusOK, "")
}

// monitoringSourceData is what a source's page shows.
type monitoringSourceData struct {
	Source    assay.Source
	Kind      sourceKind
	File      bool
	Runs      []assay.MonitorRun
	Failing   []assay.CurrentResult
	Notes     []string // what the latest run noted (skipped kinds, defaults assumed, formats read)
	Results   int      // how many current results the source has
	Extra     string   // settings the form has no field for, as key=value lines
	CanManage bool
	CanRun    bool
	CanTest   bool                  // a live source with a connection to test
	Test      *assay.ConnectionTest // the answer of "Test connection", just made
}

func (s *Server) showSource(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string) error {
	return s.showSourceTested(w, r, p, status, errMsg, nil)
}

func (s *Server) showSourceTested(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, test *assay.ConnectionTest) error {
	id, err := input.PathID(r, "Source")
	if err != nil {
		return err
	}
	src, err := p.Org.Source(r.Context(), id)
	if err != nil {
		return err
	}
	runs, err := p.Org.Runs(r.Context(), id, 30)
	if err != nil {
		return err
	}
	results, err := p.Org.CurrentResults(r.Context(), assay.ResultFilter{SourceID: id})
	if err != nil {
		return err
	}
	var failing []assay.CurrentResult
	for _, res := range results {
		if res.Status != assay.CheckPass {
			failing = append(failing, res)
		}
	}
	var notes []string
	if len(runs) > 0 {
		notes = runs[0].Notes
	}
	k := kindOf(src.Kind)
	var extra []string
	for key, v := range src.Settings {
		known := false
		for _, f := range k.Fields {
			known = known || f.Name == key
		}
		if !known {
			extra = append(extra, key+"="+v)
		}
	}
	s.render(w, r, status, "monitoring_source", pageData{Title: src.Name, Nav: "monitoring", Error: errMsg, Data: monitoringSourceData{
		Source:    src,
		Kind:      k,
		File:      src.IsFileKind() || k.File,
		Runs:      runs,
		Failing:   failing,
		Notes:     notes,
		Results:   len(results),
		Extra:     strings.Join(extra, "\n"),
		CanManage: p.User.Can(assay.ActionManageMonitoring, nil),
		CanRun:    s.cfg.Monitor != nil,
		CanTest:   s.cfg.Monitor != nil && !src.IsFileKind() && src.Kind != "host",
		Test:      test,
	}})
	return nil
}
