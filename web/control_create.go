package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) newControlPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	s.render(w, r, http.StatusOK, "control_new", pageData{Title: "Add a control", Nav: "controls", Data: s.newControlData(p, assay.Control{Frequency: "annual", Kind: "preventive"})})
	return nil
}

// controlNewData is the add-a-control page's data.
type controlNewData struct {
	Form        assay.Control
	CriteriaCSV string
	Frequencies []string
	Kinds       []string
	Criteria    []assay.Criterion
}

func (s *Server) newControlData(p *httpkit.Principal, c assay.Control) controlNewData {
	return controlNewData{Form: c, CriteriaCSV: strings.Join(c.Criteria, ", "), Frequencies: assay.Frequencies, Kinds: assay.ControlKinds, Criteria: s.criteria}
}

func (s *Server) createControlForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	f := r.PostForm
	c := assay.NewCustomControl(f.Get("id"), f.Get("name"), f.Get("description"), input.SplitList(f.Get("criteria")))
	c.Evidence = strings.TrimSpace(f.Get("evidence"))
	if v := strings.TrimSpace(f.Get("owner_role")); v != "" {
		c.OwnerRole = v
	}
	c.Frequency = f.Get("frequency")
	c.Kind = f.Get("kind")
	out, err := s.app.CreateControl(r.Context(), p.App(), c)
	if err != nil {
		return reshow(err, func(status int, msg string) error {
			s.render(w, r, status, "control_new", pageData{Title: "Add a control", Nav: "controls", Error: msg, Data: s.newControlData(p, c)})
			return nil
		})
	}
	http.Redirect(w, r, "/controls/"+url.PathEscape(out.ID)+"?flash=control-added", http.StatusSeeOther)
	return nil
}
