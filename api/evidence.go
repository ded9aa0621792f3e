package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// GET /api/v1/evidence?control=&kind=&state=&limit=
func (s *Server) apiEvidenceList(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	f := input.EvidenceFilterFrom(r.URL.Query())
	k, err := keysetFrom(r.URL.Query())
	if err != nil {
		return err
	}
	items, err := p.Org.EvidenceList(r.Context(), f)
	if err != nil {
		return err
	}
	items, next := pageByKey(items, func(e assay.Evidence) string { return idKey(e.ID) }, k)
	httpkit.WriteJSON(w, http.StatusOK, pageFields(map[string]any{"evidence": s.withState(items)}, len(items), next))
	return nil
}

// evidenceView is an item as the API shows it: with its state now.
type evidenceView struct {
	assay.Evidence
	State string `json:"state"`
}

func (s *Server) withState(items []assay.Evidence) []evidenceView {
	now := s.clock.Now()
	out := make([]evidenceView, len(items))
	for i, e := range items {
		out[i] = evidenceView{e, e.State(now)}
	}
	return out
}

// GET /api/v1/evidence/{id}
func (s *Server) apiEvidence(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Evidence")
	if err == nil {
		var ev assay.Evidence
		if ev, err = p.Org.Evidence(r.Context(), id); err == nil {
			httpkit.WriteJSON(w, http.StatusOK, s.withState([]assay.Evidence{ev})[0])
			return nil
		}
	}
	return err
}

type newEvidenceBody struct {
	Kind        assay.EvidenceKind `json:"kind"`
	Title       string             `json:"title"`
	Description string             `json:"description"`
	URL         string             `json:"url"`
	NoteText    string             `json:"note_text"`
	PeriodStart string             `json:"period_start"` // dates look like 2026-03-31
	PeriodEnd   string             `json:"period_end"`
	ValidDays   int                `json:"valid_days"`
	CollectedAt string             `json:"collected_at"`
	Controls    []string           `json:"controls"`
	Supersedes  int64              `json:"supersedes"`
	RequestID   int64              `json:"request_id"`
	Response    string             `json:"response"`
}

// POST /api/v1/evidence: multipart/form-data with a file (the fields as in
// the UI's form, the file last), or JSON for links and notes.
func (s *Server) apiCreateEvidence(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	ctx := r.Context()
	var ev assay.Evidence
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		mr, err := s.cfg.Transfer().OpenMultipart(w, r)
		if err == nil {
			ev, _, err = s.cfg.Transfer().ReceiveEvidence(ctx, p, mr)
		}
		if err != nil {
			return err
		}
	} else {
		var b newEvidenceBody
		if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b); err != nil {
			return err
		}
		if b.Kind == assay.EvidenceFile {
			return assay.Invalid("kind", "Upload a file as multipart/form-data with the file in a part named \"file\", after the other fields.")
		}
		n := assay.NewEvidence{Kind: b.Kind, Title: b.Title, Description: b.Description, URL: b.URL, NoteText: b.NoteText,
			ValidDays: b.ValidDays, Controls: b.Controls, Supersedes: b.Supersedes}
		for _, d := range []struct {
			field, v string
			dst      **time.Time
		}{{"period_start", b.PeriodStart, &n.PeriodStart}, {"period_end", b.PeriodEnd, &n.PeriodEnd}, {"collected_at", b.CollectedAt, &n.CollectedAt}} {
			var err error
			if *d.dst, err = input.ParseDate(d.field, d.v); err != nil {
				return err
			}
		}
		c, err := s.app.CheckEvidence(ctx, p.App(), app.NewEvidence{Evidence: n, RequestID: b.RequestID, Response: b.Response})
		if err == nil {
			ev, err = s.app.AddCheckedEvidence(ctx, c, nil)
		}
		if err != nil {
			return err
		}
	}
	w.Header().Set("Location", "/api/v1/evidence/"+strconv.FormatInt(ev.ID, 10))
	httpkit.WriteJSON(w, http.StatusCreated, s.withState([]assay.Evidence{ev})[0])
	return nil
}

// GET /api/v1/evidence/{id}/content
func (s *Server) apiEvidenceContent(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.cfg.Transfer().ServeContent(w, r, p)
}

type evidenceControlsBody struct {
	Attach []string `json:"attach"`
	Detach []string `json:"detach"`
}

// POST /api/v1/evidence/{id}/controls {"attach":[...],"detach":[...]}
func (s *Server) apiEvidenceControls(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Evidence")
	if err != nil {
		return err
	}
	var b evidenceControlsBody
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b); err != nil {
		return err
	}
	ev, err := s.app.UpdateEvidenceControls(r.Context(), p.App(), id, b.Attach, b.Detach)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, s.withState([]assay.Evidence{ev})[0])
	return nil
}

// GET /api/v1/evidence-requests?control=&status=&assignee=&audit=
func (s *Server) apiEvidenceRequests(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	f, err := input.RequestFilterFrom(r.URL.Query(), p.User.ID)
	if err != nil {
		return err
	}
	reqs, err := s.app.EvidenceRequests(r.Context(), p.App(), f)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"requests": app.ViewEvidenceRequests(reqs, s.clock.Now()), "count": len(reqs)})
	return nil
}

// GET /api/v1/evidence-requests/{id}
func (s *Server) apiEvidenceRequest(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Evidence request")
	if err == nil {
		var req assay.EvidenceRequest
		if req, err = s.app.EvidenceRequest(r.Context(), p.App(), id); err == nil {
			httpkit.WriteJSON(w, http.StatusOK, app.ViewEvidenceRequests([]assay.EvidenceRequest{req}, s.clock.Now())[0])
			return nil
		}
	}
	return err
}

type newRequestBody struct {
	ControlID   string `json:"control_id"`
	AssigneeID  int64  `json:"assignee_id"`
	DueDate     string `json:"due_date"`
	Description string `json:"description"`
	AuditID     int64  `json:"audit_id"`
	Reference   string `json:"reference"`
}

// POST /api/v1/evidence-requests
func (s *Server) apiCreateEvidenceRequest(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b newRequestBody
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b); err != nil {
		return err
	}
	n := assay.NewEvidenceRequest{ControlID: b.ControlID, AssigneeID: b.AssigneeID, Description: b.Description, AuditID: b.AuditID, Reference: b.Reference}
	due, err := input.ParseDate("due_date", b.DueDate)
	if err != nil {
		return err
	}
	if due != nil {
		n.DueDate = *due
	}
	req, err := s.app.CreateEvidenceRequest(r.Context(), p.App(), n)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/evidence-requests/"+strconv.FormatInt(req.ID, 10))
	httpkit.WriteJSON(w, http.StatusCreated, app.ViewEvidenceRequests([]assay.EvidenceRequest{req}, s.clock.Now())[0])
	return nil
}

type submitBody struct {
	EvidenceIDs []int64 `json:"evidence_ids"`
	Response    string  `json:"response"`
}

// POST /api/v1/evidence-requests/{id}/submit
func (s *Server) apiSubmitEvidenceRequest(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Evidence request")
	if err != nil {
		return err
	}
	var b submitBody
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b); err != nil {
		return err
	}
	req, err := s.app.SubmitEvidenceRequest(r.Context(), p.App(), id, b.EvidenceIDs, b.Response)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, app.ViewEvidenceRequests([]assay.EvidenceRequest{req}, s.clock.Now())[0])
	return nil
}

type decisionBody struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
}

// POST /api/v1/evidence-requests/{id}/decision {"decision":"accept"|"return","reason":"..."}
func (s *Server) apiDecideEvidenceRequest(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Evidence request")
	if err != nil {
		return err
	}
	var b decisionBody
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b); err != nil {
		return err
	}
	req, err := s.app.DecideEvidenceRequest(r.Context(), p.App(), id, b.Decision, b.Reason)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, app.ViewEvidenceRequests([]assay.EvidenceRequest{req}, s.clock.Now())[0])
	return nil
}
