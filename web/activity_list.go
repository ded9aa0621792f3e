package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
	"github.com/assay-platform/assay/ledger"
)

const activityPageSize = 50

// activityData is the activity page's data.
type activityData struct {
	Entries    []assay.Activity
	Next       int64      // the entry to show older entries before; 0 on the last page
	Type       string     // the object type shown, or "" for all
	Filter     url.Values // the filters besides before, for the form
	Older      string     // the link to the page of older entries, with the filters
	Types      []string
	Checkpoint *ledger.Checkpoint // nil before the first
	LedgerKey  string
}

func (s *Server) activityPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	f, err := input.ActivityFilter(r.URL.Query())
	if err != nil {
		return err
	}
	f.Limit = activityPageSize + 1
	entries, err := s.app.Activity(r.Context(), p.App(), f)
	if err != nil {
		return err
	}
	var next int64
	if len(entries) > activityPageSize {
		entries = entries[:activityPageSize]
		next = entries[len(entries)-1].Seq
	}
	filter := filterValues(r.URL.Query())
	var older string
	if next != 0 {
		q := url.Values{"before": {strconv.FormatInt(next, 10)}}
		for k, v := range filter {
			q[k] = v
		}
		older = "/activity?" + q.Encode()
	}
	// The ledger's latest signed checkpoint and public key (app/ledger_checkpoint.go).
	cp, err := s.app.LatestCheckpoint(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "activity", pageData{Title: "Activity", Nav: "activity", Data: activityData{
		Entries: entries, Next: next, Type: f.ObjectType, Filter: filter, Older: older,
		Types:      []string{"control", "organization", "user", "api_token", "evidence", "evidence_request", "incident", "corrective_action"},
		Checkpoint: cp, LedgerKey: s.cfg.LedgerKey,
	}})
	return nil
}

// filterValues keeps the activity filters of q other than before.
func filterValues(q url.Values) url.Values {
	out := url.Values{}
	for _, k := range []string{"type", "actor", "action", "q", "from", "to"} {
		if v := q.Get(k); v != "" {
			out.Set(k, v)
		}
	}
	return out
}
