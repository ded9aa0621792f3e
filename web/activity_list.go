package web

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/ledger"
)

const activityPageSize = 50

// activityData is the activity page's data.
type activityData struct {
	Entries    []assay.Activity
	Next       int64  // the entry to show older entries before; 0 on the last page
	Type       string // the object type shown, or "" for all
	Types      []string
	Checkpoint *ledger.Checkpoint // nil before the first
	LedgerKey  string
}

func (s *Server) activityPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	f := assay.ActivityFilter{ObjectType: r.URL.Query().Get("type"), Limit: activityPageSize + 1}
	if v := r.URL.Query().Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return assay.Invalid("before", "before must be a positive entry number.")
		}
		f.BeforeSeq = n
	}
	entries, err := s.app.Activity(r.Context(), p.App(), f)
	if err != nil {
		return err
	}
	var next int64
	if len(entries) > activityPageSize {
		entries = entries[:activityPageSize]
		next = entries[len(entries)-1].Seq
	}
	// The ledger's latest signed checkpoint and public key (app/ledger_checkpoint.go).
	cp, err := s.app.LatestCheckpoint(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "activity", pageData{Title: "Activity", Nav: "activity", Data: activityData{
		Entries: entries, Next: next, Type: f.ObjectType,
		Types:      []string{"control", "organization", "user", "api_token", "evidence", "evidence_request", "incident", "corrective_action"},
		Checkpoint: cp, LedgerKey: s.cfg.LedgerKey,
	}})
	return nil
}
