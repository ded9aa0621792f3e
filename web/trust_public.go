package web

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// The public trust center: no sign-in, nothing but what the admin
// published and what Assay measured (app.TrustPage).
func (s *Server) trustRoutes() {
	s.publicPage("GET /trust", s.trustPage)
	s.publicPage("GET /trust/policies/{id}", s.trustPolicyPage)
	s.publicPage("GET /trust/documents/{id}", s.trustRequestForm)
	s.publicPage("POST /trust/documents/{id}", s.trustRequestSubmit)
	s.publicPage("GET /trust/r/{link}", s.trustRequestStatus)
	s.publicPage("GET /trust/r/{link}/download", s.trustDownload)
	s.publicPage("GET /trust/snapshot.json", s.trustSnapshot)
	s.publicPage("GET /trust/snapshots", s.trustSnapshots)
	s.publicPage("GET /trust/snapshots/{id}", s.trustKeptSnapshot)
	s.publicPage("GET /trust/key", s.trustKey)
}

// trustData is the public pages' data.
type trustData struct {
	Page   *app.TrustPage
	Logo   template.URL // the page's logo, checked when it was saved (assay.TrustLogo)
	Groups []trustGroup
	// One of these, by page:
	Policy    *app.TrustPolicy
	Body      template.HTML
	Document  *app.TrustDocumentView
	Form      map[string]string
	Token     string // the request form's CSRF token
	Request   *app.TrustVisitorRequest
	Link      string
	Works     bool
	Snapshots []assay.TrustSnapshotRef
}

// trustGroup is one band of tiles.
type trustGroup struct {
	Title string
	Tiles []assay.TrustTile
}

var trustGroupTitles = []struct{ key, title string }{
	{"confidence", "Confidence"}, {"transparency", "Transparency"}, {"assurance", "Assurance"}, {"reliability", "Reliability"},
}

func groupTiles(tiles []assay.TrustTile) []trustGroup {
	var out []trustGroup
	for _, g := range trustGroupTitles {
		tg := trustGroup{Title: g.title}
		for _, t := range tiles {
			if t.Group == g.key {
				tg.Tiles = append(tg.Tiles, t)
			}
		}
		if len(tg.Tiles) > 0 {
			out = append(out, tg)
		}
	}
	return out
}

// renderTrust writes a public page, cacheable by any cache for a short
// while and revalidated by its ETag.
func (s *Server) renderTrust(w http.ResponseWriter, r *http.Request, status int, name, title string, d trustData, cacheable bool) {
	t, ok := s.pages.byName[name]
	if !ok {
		s.log.Error("no such template", "name", name)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "trust-layout", pageData{Title: title, Data: d}); err != nil {
		s.log.Error("render failed", "template", name, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if !cacheable {
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		_, _ = buf.WriteTo(w)
		return
	}
	sum := sha256.Sum256(buf.Bytes())
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "public, max-age=30")
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// trustRendered is /trust rendered for one built page: the page is the
// same for every visitor until it is rebuilt, so it is rendered once.
type trustRendered struct {
	mu   sync.Mutex
	page *app.TrustPage
	body []byte
	etag string
}

func (s *Server) trustPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.app.PublicTrust(r.Context())
	if err != nil {
		return err
	}
	c := &s.trustHTML
	c.mu.Lock()
	if c.page != p {
		var buf bytes.Buffer
		t := s.pages.byName["trust"]
		if err := t.ExecuteTemplate(&buf, "trust-layout", pageData{Title: p.Company + " trust center", Data: trustData{Page: p, Logo: logoURL(p), Groups: groupTiles(p.Tiles)}}); err != nil {
			c.mu.Unlock()
			return fmt.Errorf("render /trust: %w", err)
		}
		sum := sha256.Sum256(buf.Bytes())
		c.page, c.body, c.etag = p, buf.Bytes(), `"`+hex.EncodeToString(sum[:16])+`"`
	}
	body, etag := c.body, c.etag
	c.mu.Unlock()
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=30")
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
	return nil
}

func (s *Server) trustPolicyPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.app.PublicTrust(r.Context())
	if err != nil {
		return err
	}
	id, err := input.PathID(r, "Policy")
	if err != nil {
		return err
	}
	for i := range p.Policies {
		if pol := &p.Policies[i]; pol.ID == id {
			body, err := renderMarkdown(pol.Body)
			if err != nil {
				return err
			}
			s.renderTrust(w, r, http.StatusOK, "trust_policy", pol.Title, trustData{Page: p, Policy: pol, Body: body}, true)
			return nil
		}
	}
	return assay.Errorf(assay.ENOTFOUND, "Policy not found.")
}

// trustDocument finds a document the page offers.
func trustDocument(p *app.TrustPage, r *http.Request) (*app.TrustDocumentView, error) {
	id, err := input.PathID(r, "Document")
	if err != nil {
		return nil, err
	}
	for i := range p.Documents {
		if p.Documents[i].ID == id {
			return &p.Documents[i], nil
		}
	}
	return nil, assay.Errorf(assay.ENOTFOUND, "Document not found.")
}

// The request form is a public form without a session: a random token in
// a cookie and in the form (double submit) shows the POST came from it.
const trustCSRFCookie = "assay_trust_form"

func (s *Server) trustRequestForm(w http.ResponseWriter, r *http.Request) error {
	return s.showTrustRequestForm(w, r, http.StatusOK, "", nil)
}

func (s *Server) showTrustRequestForm(w http.ResponseWriter, r *http.Request, status int, errMsg string, form map[string]string) error {
	p, err := s.app.PublicTrust(r.Context())
	if err != nil {
		return err
	}
	doc, err := trustDocument(p, r)
	if err != nil {
		return err
	}
	var raw [18]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return err
	}
	token := hex.EncodeToString(raw[:])
	http.SetCookie(w, &http.Cookie{Name: trustCSRFCookie, Value: token, Path: "/trust/documents/", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: r.TLS != nil, MaxAge: 3600})
	d := trustData{Page: p, Document: doc, Form: form, Token: token}
	if errMsg != "" {
		d.Form["error"] = errMsg
	}
	s.renderTrust(w, r, status, "trust_request", "Request "+doc.Title, d, false)
	return nil
}

func (s *Server) trustRequestSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return assay.Invalid("form", "The form could not be read.")
	}
	c, err := r.Cookie(trustCSRFCookie)
	if err != nil || c.Value == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostForm.Get("form_token"))) != 1 {
		return assay.Errorf(assay.EFORBIDDEN, "The form has expired; open the document's page again.")
	}
	form := map[string]string{}
	for _, k := range []string{"name", "email", "company", "reason"} {
		form[k] = r.PostForm.Get(k)
	}
	if !s.trustForms.allow(httpkit.ClientAddr(r)) {
		return s.showTrustRequestForm(w, r, http.StatusTooManyRequests, "Too many requests from your network; try again in an hour.", form)
	}
	id, err := input.PathID(r, "Document")
	if err != nil {
		return err
	}
	n := assay.NewTrustAccessRequest{DocumentID: id, Name: form["name"], Email: form["email"], Company: form["company"], Reason: form["reason"],
		AcceptNDA: r.PostForm.Get("accept_nda") == "yes", ClientAddr: httpkit.ClientAddr(r)}
	v, err := s.app.RequestTrustDocument(r.Context(), n)
	if assay.ErrorCode(err) == assay.EINVALID {
		return s.showTrustRequestForm(w, r, http.StatusBadRequest, assay.ErrorMessage(err), form)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/trust/r/"+v.Link+"?new=1", http.StatusSeeOther)
	return nil
}

func (s *Server) trustRequestStatus(w http.ResponseWriter, r *http.Request) error {
	p, err := s.app.PublicTrust(r.Context())
	if err != nil {
		return err
	}
	link := r.PathValue("link")
	v, err := s.app.TrustRequestByLink(r.Context(), link)
	if err != nil {
		return err
	}
	w.Header().Set("Referrer-Policy", "no-referrer") // the link is the visitor's secret
	d := trustData{Page: p, Request: &v, Link: link, Works: v.Request.LinkWorks(s.clock.Now()) && v.Document.Published}
	s.renderTrust(w, r, http.StatusOK, "trust_status", "Your request", d, false)
	return nil
}

func (s *Server) trustDownload(w http.ResponseWriter, r *http.Request) error {
	doc, content, err := s.app.TrustDownload(r.Context(), r.PathValue("link"), httpkit.ClientAddr(r))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", doc.ContentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", strings.NewReplacer(`"`, "", "\n", "", "\r", "").Replace(doc.Filename)))
	w.Header().Set("Content-Length", strconv.Itoa(len(content)))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	_, _ = w.Write(content)
	return nil
}

func (s *Server) trustSnapshot(w http.ResponseWriter, r *http.Request) error {
	doc, err := s.app.TrustSnapshot(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `inline; filename="trust-snapshot.json"`)
	w.Header().Set("Cache-Control", "public, max-age=60")
	_, _ = w.Write(doc)
	return nil
}

func (s *Server) trustSnapshots(w http.ResponseWriter, r *http.Request) error {
	p, err := s.app.PublicTrust(r.Context())
	if err != nil {
		return err
	}
	list, err := s.app.TrustSnapshotsKept(r.Context(), 400)
	if err != nil {
		return err
	}
	s.renderTrust(w, r, http.StatusOK, "trust_snapshots", "Kept snapshots", trustData{Page: p, Snapshots: list}, true)
	return nil
}

func (s *Server) trustKeptSnapshot(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(strings.TrimSuffix(r.PathValue("id"), ".json"), 10, 64)
	if err != nil || id <= 0 {
		return assay.Errorf(assay.ENOTFOUND, "Snapshot not found.")
	}
	doc, err := s.app.KeptTrustSnapshot(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=86400, immutable")
	_, _ = w.Write(doc)
	return nil
}

func (s *Server) trustKey(w http.ResponseWriter, r *http.Request) error {
	p, err := s.app.PublicTrust(r.Context())
	if err != nil {
		return err
	}
	if p.PublicKey == "" {
		return assay.Errorf(assay.ENOTFOUND, "This server signs no snapshots.")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, p.PublicKey)
	return nil
}

// logoURL is the page's logo as a URL the template may use: only a data:
// URL that assay.TrustLogo accepts (checked again here, as it is trusted).
func logoURL(p *app.TrustPage) template.URL {
	if p.Logo == "" {
		return ""
	}
	if _, err := assay.TrustLogo(p.Logo); err != nil {
		return ""
	}
	return template.URL(p.Logo) // #nosec G203: a data: URL of a PNG, JPEG or WebP image, checked above
}
