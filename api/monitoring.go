package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
	"github.com/assay-platform/assay/monitor/runner"
)

// app.ErrNoMonitor is the answer when the program runs without a monitor
// service (no secret key): sources can be read but not run or saved.

// sourceInput is the JSON of a new source or a change to one. Secrets are
// write-only: they are never in an answer.
type sourceInput struct {
	Name            *string           `json:"name"`
	Kind            string            `json:"kind"`
	Settings        map[string]string `json:"settings"`
	Secrets         map[string]string `json:"secrets"`
	IntervalMinutes *int              `json:"interval_minutes"`
	Enabled         *bool             `json:"enabled"`
}

// GET /api/v1/sources
func (s *Server) apiSources(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	list, err := p.Org.Sources(r.Context())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"sources": list, "count": len(list)})
	return nil
}

// POST /api/v1/sources
func (s *Server) apiCreateSource(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var in sourceInput
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &in); err != nil {
		return err
	}
	if s.cfg.Monitor == nil {
		return app.ErrNoMonitor
	}
	src := assay.Source{Kind: in.Kind, Settings: in.Settings, Enabled: true}
	if in.Name != nil {
		src.Name = *in.Name
	}
	if in.IntervalMinutes != nil {
		src.IntervalMinutes = *in.IntervalMinutes
	}
	if in.Enabled != nil {
		src.Enabled = *in.Enabled
	}
	if src.Settings == nil {
		src.Settings = map[string]string{}
	}
	out, err := s.cfg.Monitor.CreateSource(r.Context(), p.Org, p.Actor(), src, in.Secrets)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, out)
	return nil
}

// GET /api/v1/sources/{id}: the source and its last runs.
func (s *Server) apiSource(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Source")
	var src assay.Source
	var runs []assay.MonitorRun
	if err == nil {
		src, err = p.Org.Source(r.Context(), id)
	}
	if err == nil {
		runs, err = p.Org.Runs(r.Context(), id, 20)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"source": src, "runs": runs})
	return nil
}

// PATCH /api/v1/sources/{id}: fields not sent stay; secrets sent replace
// the stored ones of that name.
func (s *Server) apiUpdateSource(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Source")
	var in sourceInput
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &in)
	}
	var cur assay.Source
	if err == nil {
		cur, err = p.Org.Source(r.Context(), id)
	}
	if err == nil && in.Kind != "" && in.Kind != cur.Kind {
		err = assay.Invalid("kind", "A source's kind cannot change; add a new source.")
	}
	if err == nil && s.cfg.Monitor == nil {
		err = app.ErrNoMonitor
	}
	if err != nil {
		return err
	}
	if in.Name != nil {
		cur.Name = *in.Name
	}
	if in.Settings != nil {
		cur.Settings = in.Settings
	}
	if in.IntervalMinutes != nil {
		cur.IntervalMinutes = *in.IntervalMinutes
	}
	if in.Enabled != nil {
		cur.Enabled = *in.Enabled
	}
	out, err := s.cfg.Monitor.UpdateSource(r.Context(), p.Org, p.Actor(), id, cur, in.Secrets)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, out)
	return nil
}

// POST /api/v1/sources/{id}/run: collect now and answer with the run.
func (s *Server) apiRunSource(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Source")
	if err == nil && s.cfg.Monitor == nil {
		err = app.ErrNoMonitor
	}
	var run assay.MonitorRun
	if err == nil {
		run, err = s.cfg.Monitor.RunSource(runner.WithActor(r.Context(), p.Actor()), p.Org, id, assay.TriggerManual)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, run)
	return nil
}

// POST /api/v1/sources/{id}/resources: an agent pushes what it collected,
// {"resources": [{"kind","id","name","attrs"}...]}.
func (s *Server) apiPushResources(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Source")
	if err == nil && s.cfg.Monitor == nil {
		err = app.ErrNoMonitor
	}
	var body struct {
		Resources []assay.Resource `json:"resources"`
	}
	if err == nil {
		err = s.decodeLarge(w, r, &body)
	}
	if err == nil && len(body.Resources) == 0 {
		err = assay.Invalid("resources", "Send at least one resource.")
	}
	var run assay.MonitorRun
	if err == nil {
		run, err = s.cfg.Monitor.Ingest(runner.WithActor(r.Context(), p.Actor()), p.Org, id, body.Resources)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, run)
	return nil
}

// decodeLarge reads a JSON body up to the upload limit (agent pushes can
// be bigger than ordinary requests).
func (s *Server) decodeLarge(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.cfg.MaxUploadBytes))
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return assay.Errorf(assay.ETOOLARGE, "The request body is larger than %d bytes.", tooBig.Limit)
		}
		return assay.Errorf(assay.EINVALID, "Malformed JSON: %s.", err.Error())
	}
	return nil
}

// POST /api/v1/sources/{id}/input: the document of a file-kind source
// (Terraform JSON, Prowler or Trivy report, roster), as the raw body. The
// source runs on it at once.
func (s *Server) apiSourceInput(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Source")
	if err == nil && s.cfg.Monitor == nil {
		err = app.ErrNoMonitor
	}
	var body []byte
	if err == nil {
		body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxUploadBytes))
		if err != nil {
			err = assay.Errorf(assay.ETOOLARGE, "The document is larger than the upload limit of %s.", httpkit.HumanBytes(s.cfg.MaxUploadBytes))
		} else if len(body) == 0 {
			err = assay.Invalid("input", "The body is empty; send the document.")
		}
	}
	var run assay.MonitorRun
	if err == nil {
		run, err = s.cfg.Monitor.Import(runner.WithActor(r.Context(), p.Actor()), p.Org, id, body)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, run)
	return nil
}

// GET /api/v1/checks?source=&control=&criterion=&severity=&status=&q=&days=1
func (s *Server) apiChecks(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	f, err := input.CheckFilterFrom(r.URL.Query())
	var rows []app.CheckRow
	if err == nil {
		rows, err = s.app.CheckRows(r.Context(), p.Org, f, r.URL.Query().Get("days") != "")
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"checks": rows, "count": len(rows)})
	return nil
}

// POST /api/v1/checks: a custom check. A bad expression is 400 with the
// position of the problem in the message, and nothing is saved.
func (s *Server) apiCreateCheck(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var c assay.Check
	err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &c)
	if err == nil {
		c, err = s.app.CreateCustomCheck(r.Context(), p.App(), c)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, c)
	return nil
}

// GET /api/v1/checks/{id}: the check, what it says now about each
// resource, its transitions over the last 30 days and its grid.
func (s *Server) apiCheck(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	d, err := s.app.CheckDetail(r.Context(), p.App(), r.PathValue("id"))
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"check": d.Row, "results": d.Results, "history": d.History})
	return nil
}

// GET /api/v1/runs?source=&limit=
func (s *Server) apiRuns(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	q := r.URL.Query()
	var source int64
	limit := 50
	var err error
	if v := q.Get("source"); v != "" {
		if source, err = strconv.ParseInt(v, 10, 64); err != nil || source <= 0 {
			err = assay.Invalid("source", "source must be a source id.")
		}
	}
	if v := q.Get("limit"); v != "" && err == nil {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 1000 {
			err = assay.Invalid("limit", "limit must be between 1 and 1000.")
		}
	}
	var runs []assay.MonitorRun
	if err == nil {
		runs, err = p.Org.Runs(r.Context(), source, limit)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"runs": runs, "count": len(runs)})
	return nil
}

// GET /api/v1/runs/{id}
func (s *Server) apiRun(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Run")
	var run assay.MonitorRun
	if err == nil {
		run, err = p.Org.Run(r.Context(), id)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, run)
	return nil
}

// GET /api/v1/results?check=&source=&resource=&status=
func (s *Server) apiResults(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	q := r.URL.Query()
	f := assay.ResultFilter{CheckID: strings.TrimSpace(q.Get("check")), ResourceID: q.Get("resource"), Status: assay.CheckStatus(q.Get("status"))}
	var err error
	if v := q.Get("source"); v != "" {
		if f.SourceID, err = strconv.ParseInt(v, 10, 64); err != nil || f.SourceID <= 0 {
			err = assay.Invalid("source", "source must be a source id.")
		}
	}
	if f.Status != "" && f.Status != assay.CheckPass && f.Status != assay.CheckFail && f.Status != assay.CheckError && err == nil {
		err = assay.Invalid("status", "Unknown status %q; use pass, fail or error.", f.Status)
	}
	k, kerr := keysetFrom(q)
	if err == nil {
		err = kerr
	}
	var after assay.ResultKey
	if err == nil && k.after != "" {
		after, err = resultKeyOf(k.after)
	}
	var list []assay.CurrentResult
	var more bool
	if err == nil {
		list, more, err = p.Org.CurrentResultsPage(r.Context(), f, after, k.limit)
	}
	if err != nil {
		return err
	}
	next := ""
	if more && len(list) > 0 {
		last := list[len(list)-1]
		next = cursorOf(fmt.Sprintf("%d\x00%s\x00%s", last.SourceID, last.ResourceID, last.CheckID))
	}
	httpkit.WriteJSON(w, http.StatusOK, pageFields(map[string]any{"results": list}, len(list), next))
	return nil
}

// resultKeyOf reads a results cursor: source, resource and check.
func resultKeyOf(s string) (assay.ResultKey, error) {
	parts := strings.SplitN(s, "\x00", 3)
	if len(parts) != 3 {
		return assay.ResultKey{}, assay.Invalid("after", "after must be the next cursor of an earlier page.")
	}
	src, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil {
		return assay.ResultKey{}, assay.Invalid("after", "after must be the next cursor of an earlier page.")
	}
	return assay.ResultKey{SourceID: src, ResourceID: parts[1], CheckID: parts[2]}, nil
}

// GET /api/v1/findings?open=1
func (s *Server) apiFindings(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	open := r.URL.Query().Get("open")
	list, err := p.Org.Findings(r.Context(), open == "1" || open == "true")
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"findings": list, "count": len(list)})
	return nil
}

// POST /api/v1/sources/{id}/test: collect once with the stored settings and
// secrets and answer {ok, resources, message}; nothing is recorded.
func (s *Server) apiTestSource(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Source")
	if err == nil && s.cfg.Monitor == nil {
		err = app.ErrNoMonitor
	}
	var out assay.ConnectionTest
	if err == nil {
		out, err = s.cfg.Monitor.TestSource(r.Context(), p.Org, id)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, out)
	return nil
}
