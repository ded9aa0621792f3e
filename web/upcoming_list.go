package web

import (
	"net/http"
	"slices"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// upcomingShown bounds each of the page's two tables; the kind filter
// narrows them.
const upcomingShown = 250

func (s *Server) upcomingPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showUpcoming(w, r, p, http.StatusOK, "", "")
}

func (s *Server) showUpcoming(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, flash, newURL string) error {
	return s.renderView(w, r, p, status, "upcoming", func() (pageData, error) {
		list, err := s.app.Upcoming(r.Context(), p.App(), assay.UpcomingDays)
		if err != nil {
			return pageData{}, err
		}
		tokens, err := s.app.CalendarFeeds(r.Context(), p.App(), false)
		if err != nil {
			return pageData{}, err
		}
		kind := r.URL.Query().Get("kind")
		d := upcomingData{Days: list.Days, Tokens: tokens, NewURL: newURL, Kind: kind, Counts: map[string]int{}}
		for _, o := range append(slices.Clone(list.Overdue), list.Upcoming...) {
			if d.Counts[o.Kind] == 0 {
				d.Kinds = append(d.Kinds, o.Kind)
			}
			d.Counts[o.Kind]++
		}
		slices.Sort(d.Kinds)
		d.Overdue, d.MoreOverdue = upcomingOf(list.Overdue, kind)
		d.Soon, d.MoreSoon = upcomingOf(list.Upcoming, kind)
		return pageData{Title: "Upcoming", Nav: "upcoming", Flash: flash, Data: d}, nil
	})
}

// upcomingOf keeps the obligations of kind ("" for all), at most
// upcomingShown of them, and says how many more there are.
func upcomingOf(list []assay.Obligation, kind string) ([]assay.Obligation, int) {
	var out []assay.Obligation
	for _, o := range list {
		if kind == "" || o.Kind == kind {
			out = append(out, o)
		}
	}
	if len(out) > upcomingShown {
		return out[:upcomingShown], len(out) - upcomingShown
	}
	return out, 0
}

// upcomingData is the Upcoming page's data.
type upcomingData struct {
	Overdue     []assay.Obligation
	Soon        []assay.Obligation
	MoreOverdue int // obligations the overdue table leaves out
	MoreSoon    int
	Kind        string         // the kind shown, or "" for all
	Kinds       []string       // the kinds there are, for the filter
	Counts      map[string]int // obligations of each kind
	Days        int
	Tokens      []assay.CalendarToken
	NewURL      string // a feed just created, shown once
}
