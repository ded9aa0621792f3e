package web

import (
	"net/http"
	"time"

	"github.com/assay-platform/assay/export"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/ledger"
)

// exportsData is the exports page's data.
type exportsData struct {
	From, To   string             // the default period, as dates
	Checkpoint *ledger.Checkpoint // nil before the first
	LedgerKey  string
}

func (s *Server) exportsPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	period, _ := export.ParsePeriod("", "", s.clock.Now())
	cp, err := s.app.LatestCheckpoint(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "exports", pageData{Title: "Exports", Nav: "exports", Data: exportsData{
		From: period.From.Format(time.DateOnly), To: period.To.Format(time.DateOnly),
		Checkpoint: cp, LedgerKey: s.cfg.LedgerKey,
	}})
	return nil
}
