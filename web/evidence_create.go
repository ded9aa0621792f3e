package web

import (
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// defaultValidDays suggests how long evidence of a control stays valid.
func defaultValidDays(frequency string) int {
	switch frequency {
	case "quarterly", "continuous":
		return 92
	case "monthly", "weekly", "daily":
		return 31
	}
	return assay.DefaultEvidenceValidDays
}

func (s *Server) newEvidencePage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	q := r.URL.Query()
	form := url.Values{"kind": {q.Get("kind")}, "controls": {q.Get("control")}, "supersedes": {q.Get("supersedes")}, "request_id": {q.Get("request")}}
	if k := form.Get("kind"); k != string(assay.EvidenceLink) && k != string(assay.EvidenceNote) {
		form.Set("kind", string(assay.EvidenceFile))
	}
	if c := q.Get("control"); c != "" {
		if ctl, err := p.Org.Control(r.Context(), c); err == nil {
			form.Set("valid_days", strconv.Itoa(defaultValidDays(ctl.Frequency)))
		}
	}
	return s.showEvidenceForm(w, r, p, http.StatusOK, "", form)
}

// evidenceNewData is the add-evidence form's data.
type evidenceNewData struct {
	Form       url.Values
	Kind       string
	Limit      string                 // the largest file accepted, for people
	Supersedes *assay.Evidence        // the item this one replaces, if any
	Request    *assay.EvidenceRequest // the request this answers, if any
}

// showEvidenceForm renders the add-evidence form with the values typed.
func (s *Server) showEvidenceForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	ctx := r.Context()
	data := evidenceNewData{Form: form, Kind: form.Get("kind"), Limit: httpkit.HumanBytes(s.cfg.MaxUploadBytes)}
	if data.Kind == "" {
		data.Kind = string(assay.EvidenceFile)
	}
	if form.Get("valid_days") == "" {
		form.Set("valid_days", strconv.Itoa(assay.DefaultEvidenceValidDays))
	}
	if form.Get("collected_at") == "" {
		form.Set("collected_at", s.clock.Now().Format("2006-01-02"))
	}
	if id, _ := strconv.ParseInt(form.Get("supersedes"), 10, 64); id > 0 {
		if old, err := p.Org.Evidence(ctx, id); err == nil {
			data.Supersedes = &old
		}
	}
	if id, _ := strconv.ParseInt(form.Get("request_id"), 10, 64); id > 0 {
		if req, err := p.Org.EvidenceRequest(ctx, id); err == nil {
			data.Request = &req
		}
	}
	s.render(w, r, status, "evidence_new", pageData{Title: "Add evidence", Nav: "evidence", Error: errMsg, Data: data})
	return nil
}

// createEvidenceForm takes the add-evidence form (multipart, streamed; see
// evidence_upload.go).
func (s *Server) createEvidenceForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, mr *multipart.Reader) error {
	ev, up, err := s.cfg.Transfer().ReceiveEvidence(r.Context(), p, mr)
	if err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showEvidenceForm(w, r, p, status, msg, up.Form)
		})
	}
	if rid := up.Form.Get("request_id"); rid != "" {
		http.Redirect(w, r, "/evidence-requests/"+url.PathEscape(rid)+"?flash=request-submitted", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, fmt.Sprintf("/evidence/%d?flash=evidence-added", ev.ID), http.StatusSeeOther)
	return nil
}
