package web

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
	"github.com/assay-platform/assay/monitor/runner"
)

// kindField is one known setting or secret of a source kind, for the form.
type kindField struct {
	Name, Label, Help string
	Secret            bool
	Multi             bool // several lines (a PEM certificate)
}

// sourceKind describes a kind on the sources page.
type sourceKind struct {
	Kind   string
	Title  string
	File   bool // fed by an uploaded document
	Fields []kindField
}

// sourceKinds lists the kinds with the settings people usually give; any
// other setting can be given as key=value lines.
var sourceKinds = []sourceKind{
	{Kind: "http", Title: "HTTPS endpoint", Fields: []kindField{
		{Name: "url", Label: "URL", Help: "https://api.example.com"},
		{Name: "http_url", Label: "Plain HTTP URL", Help: "Optional: checks the redirect to HTTPS."},
		{Name: "timeout", Label: "Timeout", Help: "e.g. 10s"},
		{Name: "ca_pem", Label: "Extra CA certificate (PEM)", Help: "Optional: trust a private CA.", Multi: true},
	}},
	{Kind: "postgres", Title: "PostgreSQL database", Fields: []kindField{
		{Name: "host", Label: "Host"},
		{Name: "port", Label: "Port", Help: "5432 by default."},
		{Name: "user", Label: "User", Help: "A read-only monitoring role."},
		{Name: "dbname", Label: "Database"},
		{Name: "sslmode", Label: "SSL mode", Help: "disable, allow, prefer (default), require, verify-ca or verify-full."},
		{Name: "password", Label: "Password", Secret: true},
		{Name: "dsn", Label: "Connection string", Help: "Instead of the fields above: postgres://monitor@db:5432/app.", Secret: true},
	}},
	{Kind: "host", Title: "Host (agent push or local files)", Fields: []kindField{
		{Name: "root", Label: "Root folder", Help: "Optional: an absolute path to read /etc from (agents push instead)."},
		{Name: "hostname", Label: "Host name", Help: "Optional; the agent sends its own."},
	}},
	{Kind: "terraform", Title: "Terraform (terraform show -json)", File: true},
	{Kind: "k8s", Title: "Kubernetes manifests", File: true},
	{Kind: "prowler", Title: "Prowler report", File: true},
	{Kind: "trivy", Title: "Trivy report", File: true},
	{Kind: "roster", Title: "Identity roster", File: true},
}

func kindOf(kind string) sourceKind {
	for _, k := range sourceKinds {
		if k.Kind == kind {
			return k
		}
	}
	return sourceKind{Kind: kind, Title: kind}
}

// GET /monitoring/sources
func (s *Server) sourcesPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showSources(w, r, p, http.StatusOK, "", nil)
}

// monitoringSourcesData is what the sources page shows.
type monitoringSourcesData struct {
	Sources   []assay.Source
	Kinds     []sourceKind
	Form      map[string]string
	CanManage bool
	CanRun    bool
}

func (s *Server) showSources(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form map[string]string) error {
	list, err := p.Org.Sources(r.Context())
	if err != nil {
		return err
	}
	if form == nil {
		form = map[string]string{"kind": "http", "interval": "60"}
	}
	s.render(w, r, status, "monitoring_sources", pageData{Title: "Monitoring sources", Nav: "monitoring", Error: errMsg, Data: monitoringSourcesData{
		Sources:   list,
		Kinds:     sourceKinds,
		Form:      form,
		CanManage: p.User.Can(assay.ActionManageMonitoring, nil),
		CanRun:    s.cfg.Monitor != nil,
	}})
	return nil
}

// parseKV reads "key=value" lines.
func parseKV(field, text string) (map[string]string, error) {
	out := map[string]string{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, assay.Invalid(field, "Line %d: write key=value.", i+1)
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out, nil
}

// sourceForm reads the add/edit form: known fields of the kind
// ("set_<name>", "secret_<name>") and free key=value lines.
func sourceForm(r *http.Request, kind string) (assay.Source, map[string]string, error) {
	f := r.PostForm
	settings, err := parseKV("settings", f.Get("settings"))
	if err != nil {
		return assay.Source{}, nil, err
	}
	secrets, err := parseKV("secrets", f.Get("secrets"))
	if err != nil {
		return assay.Source{}, nil, err
	}
	for _, fl := range kindOf(kind).Fields {
		if fl.Secret {
			if v := strings.TrimSpace(f.Get("secret_" + fl.Name)); v != "" {
				secrets[fl.Name] = v
			}
		} else if v := strings.TrimSpace(f.Get("set_" + fl.Name)); v != "" {
			settings[fl.Name] = v
		}
	}
	src := assay.Source{Name: f.Get("name"), Kind: kind, Settings: settings, Enabled: f.Get("enabled") != "off"}
	if v := strings.TrimSpace(f.Get("interval")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return src, nil, assay.Invalid("interval_minutes", "The interval is a number of minutes.")
		}
		src.IntervalMinutes = n
	}
	return src, secrets, nil
}

// POST /monitoring/sources
func (s *Server) createSourceForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	kind := r.PostForm.Get("kind")
	src, secrets, err := sourceForm(r, kind)
	if err == nil && s.cfg.Monitor == nil {
		err = app.ErrNoMonitor
	}
	if err == nil {
		src, err = s.cfg.Monitor.CreateSource(r.Context(), p.Org, p.Actor(), src, secrets)
	}
	if err != nil {
		return reshow(err, func(status int, msg string) error {
			// The form comes back with what was typed, never the secrets.
			form := map[string]string{"kind": kind, "name": r.PostForm.Get("name"), "interval": r.PostForm.Get("interval"), "settings": r.PostForm.Get("settings")}
			for k, v := range r.PostForm {
				if strings.HasPrefix(k, "set_") && len(v) > 0 {
					form[k] = v[0]
				}
			}
			return s.showSources(w, r, p, status, msg, form)
		})
	}
	http.Redirect(w, r, fmt.Sprintf("/monitoring/sources/%d?flash=saved", src.ID), http.StatusSeeOther)
	return nil
}

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
	Results   int    // how many current results the source has
	Extra     string // settings the form has no field for, as key=value lines
	CanManage bool
	CanRun    bool
}

func (s *Server) showSource(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string) error {
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
		Results:   len(results),
		Extra:     strings.Join(extra, "\n"),
		CanManage: p.User.Can(assay.ActionManageMonitoring, nil),
		CanRun:    s.cfg.Monitor != nil,
	}})
	return nil
}

// POST /monitoring/sources/{id}: change name, settings, interval, enabled
// or secrets (blank secret fields keep the stored ones).
func (s *Server) updateSourceForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Source")
	var cur assay.Source
	if err == nil {
		cur, err = p.Org.Source(r.Context(), id)
	}
	if err != nil {
		return err
	}
	src, secrets, err := sourceForm(r, cur.Kind)
	if err == nil && s.cfg.Monitor == nil {
		err = app.ErrNoMonitor
	}
	if err == nil {
		_, err = s.cfg.Monitor.UpdateSource(r.Context(), p.Org, p.Actor(), id, src, secrets)
	}
	if err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showSource(w, r, p, status, msg)
		})
	}
	http.Redirect(w, r, fmt.Sprintf("/monitoring/sources/%d?flash=saved", id), http.StatusSeeOther)
	return nil
}

// POST /monitoring/sources/{id}/run: "Run now".
func (s *Server) runSourceForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Source")
	if err == nil && s.cfg.Monitor == nil {
		err = app.ErrNoMonitor
	}
	if err == nil {
		_, err = s.cfg.Monitor.RunSource(runner.WithActor(r.Context(), p.Actor()), p.Org, id, assay.TriggerManual)
	}
	if err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showSource(w, r, p, status, msg)
		})
	}
	http.Redirect(w, r, fmt.Sprintf("/monitoring/sources/%d?flash=saved", id), http.StatusSeeOther)
	return nil
}

// POST /monitoring/sources/{id}/input: the upload form of file kinds
// (multipart: csrf first, then the file "document").
func (s *Server) sourceInputForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, mr *multipart.Reader) error {
	id, err := input.PathID(r, "Source")
	if err == nil && s.cfg.Monitor == nil {
		err = app.ErrNoMonitor
	}
	var doc []byte
	for err == nil {
		part, perr := mr.NextPart()
		if perr == io.EOF {
			break
		}
		if perr != nil {
			err = assay.Invalid("document", "The upload was cut short.")
			break
		}
		if part.FormName() == "document" {
			doc, err = io.ReadAll(io.LimitReader(part, s.cfg.MaxUploadBytes+1))
			if err == nil && int64(len(doc)) > s.cfg.MaxUploadBytes {
				err = assay.Errorf(assay.ETOOLARGE, "The document is larger than the upload limit of %s.", httpkit.HumanBytes(s.cfg.MaxUploadBytes))
			}
		}
	}
	if err == nil && len(doc) == 0 {
		err = assay.Invalid("document", "Choose the document to upload.")
	}
	if err == nil {
		_, err = s.cfg.Monitor.Import(runner.WithActor(r.Context(), p.Actor()), p.Org, id, doc)
	}
	if err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showSource(w, r, p, status, msg)
		})
	}
	http.Redirect(w, r, fmt.Sprintf("/monitoring/sources/%d?flash=saved", id), http.StatusSeeOther)
	return nil
}
