package web

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// The trust center's settings, documents and visitors' requests (admins).
func (s *Server) trustAdminRoutes() {
	s.page("GET /settings/trust", assay.ActionManageTrust, s.trustSettingsPage)
	s.page("POST /settings/trust", assay.ActionManageTrust, s.trustSettingsForm)
	s.page("POST /settings/trust/documents", assay.ActionManageTrust, s.trustDocumentForm)
	s.page("POST /settings/trust/logo", assay.ActionManageTrust, s.trustLogoForm)
	s.page("POST /settings/trust/documents/{id}/published", assay.ActionManageTrust, s.trustDocumentPublishForm)
	s.page("POST /settings/trust/requests/{id}", assay.ActionManageTrust, s.trustDecideForm)
}

// trustSettingsData is the settings page's data.
type trustSettingsData struct {
	Settings  assay.TrustSettings
	Tiles     []assay.TrustTileDef
	Vendors   []trustVendorRow
	Policies  []app.PolicyView
	Incidents []trustIncidentRow
	FAQ       string
	Documents []assay.TrustDocument
	Requests  []assay.TrustAccessRequest
	Audits    []assay.Audit
}

type trustVendorRow struct {
	Vendor            assay.Vendor
	Shown             bool
	Purpose, Location string
}

type trustIncidentRow struct {
	Incident assay.Incident
	Shown    bool
	Summary  string
}

func (s *Server) trustSettingsPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showTrustSettings(w, r, p, http.StatusOK, "", nil)
}

func (s *Server) showTrustSettings(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, typed *assay.TrustSettings) error {
	ctx := r.Context()
	settings, err := s.app.TrustSettings(ctx, p.App())
	if err != nil {
		return err
	}
	if typed != nil {
		settings = *typed
	}
	tiles, err := catalog.TrustTiles()
	if err != nil {
		return err
	}
	d := trustSettingsData{Settings: settings, Tiles: tiles, FAQ: faqText(settings.FAQ)}
	vendors, err := s.app.Vendors(ctx, p.App())
	if err != nil {
		return err
	}
	for _, v := range vendors {
		row := trustVendorRow{Vendor: v, Purpose: v.Services}
		for _, sp := range settings.Subprocessors {
			if sp.VendorID == v.ID {
				row.Shown, row.Purpose, row.Location = true, sp.Purpose, sp.Location
			}
		}
		d.Vendors = append(d.Vendors, row)
	}
	pols, err := s.app.Policies(ctx, p.App())
	if err != nil {
		return err
	}
	for _, pv := range pols {
		if pv.Published != nil {
			d.Policies = append(d.Policies, pv)
		}
	}
	incs, err := s.app.Incidents(ctx, p.App(), assay.IncidentFilter{})
	if err != nil {
		return err
	}
	for _, inc := range incs {
		if inc.Exercise {
			continue
		}
		row := trustIncidentRow{Incident: inc}
		for _, ti := range settings.Incidents {
			if ti.IncidentID == inc.ID {
				row.Shown, row.Summary = true, ti.Summary
			}
		}
		d.Incidents = append(d.Incidents, row)
	}
	if d.Documents, err = s.app.TrustDocuments(ctx, p.App()); err != nil {
		return err
	}
	if d.Requests, err = s.app.TrustRequests(ctx, p.App(), ""); err != nil {
		return err
	}
	if d.Audits, err = s.app.Audits(ctx, p.App()); err != nil {
		return err
	}
	s.render(w, r, status, "trust_settings", pageData{Title: "Trust center", Nav: "trust", Error: errMsg, Data: d})
	return nil
}

// faqText writes the FAQ as the form edits it: "Q: ..." and "A: ..." lines,
// a blank line between entries.
func faqText(faq []assay.TrustFAQ) string {
	var b strings.Builder
	for i, f := range faq {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "Q: %s\nA: %s\n", f.Question, f.Answer)
	}
	return b.String()
}

// parseFAQ reads the form's FAQ text back.
func parseFAQ(text string) ([]assay.TrustFAQ, error) {
	out := []assay.TrustFAQ{}
	for i, block := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		block = strings.TrimSpace(block)
		if block == "" {
			continue
		}
		q, a, ok := strings.Cut(block, "\nA:")
		if !ok || !strings.HasPrefix(q, "Q:") {
			return nil, assay.Invalid("faq", "Entry %d: write the question on a line starting Q: and the answer on the next, starting A:.", i+1)
		}
		out = append(out, assay.TrustFAQ{Question: strings.TrimSpace(strings.TrimPrefix(q, "Q:")), Answer: strings.TrimSpace(a)})
	}
	return out, nil
}

func (s *Server) trustSettingsForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	f := r.PostForm
	current, err := s.app.TrustSettings(r.Context(), p.App())
	if err != nil {
		return err
	}
	t := assay.TrustSettings{Logo: current.Logo, Enabled: f.Get("enabled") == "on", CompanyName: f.Get("company_name"), Description: f.Get("description"),
		Contact: f.Get("contact"), Tiles: f["tiles"], NDA: f.Get("nda"), Policies: []int64{},
		Subprocessors: []assay.TrustSubprocessor{}, Incidents: []assay.TrustIncident{}}
	for _, d := range strings.FieldsFunc(f.Get("auto_approve_domains"), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
		t.AutoApproveDomains = append(t.AutoApproveDomains, d)
	}
	if v := strings.TrimSpace(f.Get("link_days")); v != "" {
		if t.LinkDays, err = strconv.Atoi(v); err != nil {
			err = assay.Invalid("link_days", "The link's days must be a whole number.")
		}
	}
	for _, v := range f["vendors"] {
		id, _ := strconv.ParseInt(v, 10, 64)
		t.Subprocessors = append(t.Subprocessors, assay.TrustSubprocessor{VendorID: id, Purpose: f.Get("purpose_" + v), Location: f.Get("location_" + v)})
	}
	for _, v := range f["policies"] {
		id, _ := strconv.ParseInt(v, 10, 64)
		t.Policies = append(t.Policies, id)
	}
	for _, v := range f["incidents"] {
		id, _ := strconv.ParseInt(v, 10, 64)
		t.Incidents = append(t.Incidents, assay.TrustIncident{IncidentID: id, Summary: f.Get("summary_" + v)})
	}
	if err == nil {
		t.FAQ, err = parseFAQ(f.Get("faq"))
	}
	if err == nil {
		_, err = s.app.UpdateTrustSettings(r.Context(), p.App(), t)
	}
	if err != nil {
		return reshow(err, func(status int, msg string) error { return s.showTrustSettings(w, r, p, status, msg, &t) })
	}
	http.Redirect(w, r, "/settings/trust?flash=saved", http.StatusSeeOther)
	return nil
}

func (s *Server) trustDocumentForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	ctx := r.Context()
	var err error
	if v := r.PostFormValue("audit_id"); v != "" {
		id, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil {
			return assay.Invalid("audit_id", "Choose an engagement.")
		}
		_, err = s.app.OfferAuditReport(ctx, p.App(), id, r.PostFormValue("title"))
	} else {
		file, hdr, ferr := r.FormFile("file")
		if ferr != nil {
			err = assay.Invalid("file", "Choose the file to offer.")
		} else {
			defer file.Close()
			n := assay.NewTrustDocument{Title: r.PostFormValue("title"), Description: r.PostFormValue("description"), Filename: hdr.Filename,
				ContentType: hdr.Header.Get("Content-Type"), NDA: r.PostFormValue("nda") == "on"}
			_, err = s.app.AddTrustDocument(ctx, p.App(), n, file, s.cfg.MaxUploadBytes)
		}
	}
	if err != nil {
		return reshow(err, func(status int, msg string) error { return s.showTrustSettings(w, r, p, status, msg, nil) })
	}
	http.Redirect(w, r, "/settings/trust?flash=saved#documents", http.StatusSeeOther)
	return nil
}

func (s *Server) trustDocumentPublishForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Document")
	if err != nil {
		return err
	}
	if _, err := s.app.SetTrustDocumentPublished(r.Context(), p.App(), id, r.PostFormValue("published") == "true"); err != nil {
		return err
	}
	http.Redirect(w, r, "/settings/trust?flash=saved#documents", http.StatusSeeOther)
	return nil
}

func (s *Server) trustDecideForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Request")
	if err != nil {
		return err
	}
	if _, err := s.app.DecideTrustRequest(r.Context(), p.App(), id, r.PostFormValue("decision") == "approve"); err != nil {
		return reshow(err, func(status int, msg string) error { return s.showTrustSettings(w, r, p, status, msg, nil) })
	}
	http.Redirect(w, r, "/settings/trust?flash=saved#requests", http.StatusSeeOther)
	return nil
}

// trustLogoForm sets the logo from an uploaded image, or removes it.
func (s *Server) trustLogoForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	t, err := s.app.TrustSettings(r.Context(), p.App())
	if err != nil {
		return err
	}
	if r.PostFormValue("remove") == "yes" {
		t.Logo = ""
	} else {
		file, _, ferr := r.FormFile("logo")
		if ferr != nil {
			return reshow(assay.Invalid("logo", "Choose the logo image."), func(status int, msg string) error { return s.showTrustSettings(w, r, p, status, msg, nil) })
		}
		defer file.Close()
		img, rerr := io.ReadAll(io.LimitReader(file, assay.MaxTrustLogo+1))
		if rerr != nil {
			return rerr
		}
		t.Logo = "data:" + http.DetectContentType(img) + ";base64," + base64.StdEncoding.EncodeToString(img)
	}
	if _, err := s.app.UpdateTrustSettings(r.Context(), p.App(), t); err != nil {
		return reshow(err, func(status int, msg string) error { return s.showTrustSettings(w, r, p, status, msg, nil) })
	}
	http.Redirect(w, r, "/settings/trust?flash=saved", http.StatusSeeOther)
	return nil
}
