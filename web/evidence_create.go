package web

import (
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func init() {
	funcs["bytes"] = httpkit.HumanBytes
	funcs["list"] = func(v ...string) []string { return v }
	funcs["stateLabel"] = func(s string) string {
		return map[string]string{assay.EvidenceCurrent: "Current", assay.EvidenceExpiring: "Expiring soon",
			assay.EvidenceExpired: "Expired", assay.EvidenceSuperseded: "Superseded"}[s]
	}
	funcs["kindLabel"] = func(k assay.EvidenceKind) string { return k.Label() }
	funcs["requestLabel"] = func(s assay.RequestStatus) string { return s.Label() }
	funcs["shortDigest"] = func(d string) string {
		if len(d) <= 12 {
			return d
		}
		return d[:12] + "…"
	}
	funcs["day"] = func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format("2 Jan 2006")
	}
}

// evidenceRow is an item as pages show it: with its state and how far its
// expiry is, now.
type evidenceRow struct {
	assay.Evidence
	State string
	Due   string // "in 12 days", "3 days ago"
}

func relDays(now, t time.Time) string {
	d := int(assay.Day(t).Sub(assay.Day(now)).Hours() / 24)
	switch {
	case d == 0:
		return "today"
	case d == 1:
		return "tomorrow"
	case d == -1:
		return "yesterday"
	case d > 0:
		return fmt.Sprintf("in %d days", d)
	}
	return fmt.Sprintf("%d days ago", -d)
}

func (s *Server) rows(items []assay.Evidence) []evidenceRow {
	now := s.clock.Now()
	out := make([]evidenceRow, len(items))
	for i, e := range items {
		out[i] = evidenceRow{e, e.State(now), relDays(now, e.ExpiresAt)}
	}
	return out
}

// evidenceData is the evidence list's data.
type evidenceData struct {
	Items    []evidenceRow
	Filter   assay.EvidenceFilter
	Controls []assay.Control
	Kinds    []assay.EvidenceKind
	States   []string
	CanAdd   bool
}

func (s *Server) evidenceListPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	ctx := r.Context()
	f := input.EvidenceFilterFrom(r.URL.Query())
	items, err := p.Org.EvidenceList(ctx, f)
	errMsg := ""
	if assay.ErrorCode(err) == assay.EINVALID {
		errMsg, err = assay.ErrorMessage(err), nil
	}
	if err != nil {
		return err
	}
	controls, err := p.Org.Controls(ctx, assay.ControlFilter{})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "evidence", pageData{Title: "Evidence", Nav: "evidence", Error: errMsg, Data: evidenceData{
		Items: s.rows(items), Filter: f, Controls: controls, Kinds: assay.EvidenceKinds,
		States: assay.EvidenceStates, CanAdd: p.User.Can(assay.ActionAddEvidence, nil),
	}})
	return nil
}

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
	Controls   []assay.Control
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
	controls, err := p.Org.Controls(ctx, assay.ControlFilter{})
	if err != nil {
		return err
	}
	data.Controls = controls
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

func (s *Server) evidencePage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showEvidence(w, r, p, http.StatusOK, "")
}

// evidenceItemData is an evidence item's page data.
type evidenceItemData struct {
	Item         evidenceRow
	Controls     []assay.Control
	History      []assay.Activity
	CanChange    bool
	CanSupersede bool
}

func (s *Server) showEvidence(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string) error {
	ctx := r.Context()
	id, err := input.PathID(r, "Evidence")
	if err != nil {
		return err
	}
	ev, err := p.Org.Evidence(ctx, id)
	if err != nil {
		return err
	}
	var controls []assay.Control
	for _, cid := range ev.Controls {
		c, err := p.Org.Control(ctx, cid)
		if err != nil {
			return err
		}
		controls = append(controls, c)
	}
	var history []assay.Activity
	if p.User.Can(assay.ActionReadActivity, nil) {
		if history, err = p.Org.Activity(ctx, assay.ActivityFilter{ObjectType: "evidence", ObjectID: strconv.FormatInt(ev.ID, 10), Limit: 50}); err != nil {
			return err
		}
	}
	canChange := p.User.Can(assay.ActionAddEvidence, nil)
	canSupersede := canChange && ev.SupersededBy == 0
	for _, c := range controls {
		if !p.User.Can(assay.ActionAddEvidence, &c) {
			canSupersede = false
		}
	}
	row := s.rows([]assay.Evidence{ev})[0]
	s.render(w, r, status, "evidence_item", pageData{Title: ev.Title, Nav: "evidence", Error: errMsg, Data: evidenceItemData{
		Item: row, Controls: controls, History: history, CanChange: canChange, CanSupersede: canSupersede,
	}})
	return nil
}

// evidenceControlsForm attaches (the "attach" field: ids separated by
// commas) or detaches (a button's "detach" value).
func (s *Server) evidenceControlsForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Evidence")
	if err != nil {
		return err
	}
	attach := input.SplitList(r.PostForm.Get("attach"))
	var detach []string
	if d := strings.TrimSpace(r.PostForm.Get("detach")); d != "" {
		detach = []string{d}
	}
	if _, err := s.app.UpdateEvidenceControls(r.Context(), p.App(), id, attach, detach); err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showEvidence(w, r, p, status, msg)
		})
	}
	http.Redirect(w, r, fmt.Sprintf("/evidence/%d?flash=saved", id), http.StatusSeeOther)
	return nil
}

// dueEvidence is a control whose evidence expires soon or has expired.
type dueEvidence struct {
	Control    assay.Control
	EvidenceID int64
	Title      string
	ExpiresAt  time.Time
	Expired    bool
	Due        string
	OtherItems int
}

// evidenceDue lists, soonest first, the controls (not marked not
// applicable) whose evidence stops counting within assay.EvidenceDueSoon or
// already has, and counts the implemented controls with no evidence.
func (s *Server) evidenceDue(ctx context.Context, p *httpkit.Principal, controls []assay.Control) ([]dueEvidence, int, error) {
	state, err := p.Org.EvidenceByControl(ctx)
	if err != nil {
		return nil, 0, err
	}
	by := map[string]assay.ControlEvidence{}
	for _, c := range state {
		by[c.ControlID] = c
	}
	now := s.clock.Now()
	var out []dueEvidence
	missing := 0
	for _, c := range controls {
		ev, ok := by[c.ID]
		switch {
		case c.Status == assay.StatusNotApplicable:
		case !ok:
			if c.Status == assay.StatusImplemented {
				missing++
			}
		case ev.LatestExpiry.Sub(now) <= assay.EvidenceDueSoon:
			out = append(out, dueEvidence{Control: c, EvidenceID: ev.LatestID, Title: ev.LatestTitle, ExpiresAt: ev.LatestExpiry,
				Expired: !now.Before(ev.LatestExpiry), Due: relDays(now, ev.LatestExpiry), OtherItems: ev.Items - 1})
		}
	}
	slices.SortStableFunc(out, func(a, b dueEvidence) int { return a.ExpiresAt.Compare(b.ExpiresAt) })
	return out, missing, nil
}
