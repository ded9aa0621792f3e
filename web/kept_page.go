package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strconv"

	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
)

// keptPagesPerSnapshot bounds the rendered pages an organisation's
// snapshot keeps: one per page, query and signed-in browser. A search
// typed letter by letter stays well inside it; a stream of queries that
// never repeat is rendered afresh each time beyond it. Pages stay under
// 200 KB (TestLargeProfilePages), so a snapshot keeps at most about 13 MB
// of them.
const keptPagesPerSnapshot = 64

// keptPage is what a page rendered: its content (or its partial block)
// and what the layout shows around it.
type keptPage struct {
	frame pageData // Data left out
	html  template.HTML
}

// renderKept writes page name as build describes it, rendering its content
// once per organisation change and minute (the snapshot p.Org reads
// from, SharedReads) for the same browser session and query: a list read
// again is neither read from the store nor rendered again. The key holds
// the session, so nothing one person's page shows (their name, form token
// or what they may do) reaches another's, and the snapshot moves with
// every change of the organisation, on any server. Without a snapshot (an
// engagement auditor's view) the page is built every time.
//
// partial, when not empty, is the block an htmx request gets alone (the
// results of a filter as it is typed); a history restore gets the page.
func (s *Server) renderKept(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, name, partial string, build func() (pageData, error)) error {
	t, ok := s.pages.byName[name]
	if !ok {
		return fmt.Errorf("no template %q", name)
	}
	block := "content"
	if partial != "" {
		w.Header().Set("Vary", "HX-Request")
		if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true" {
			block = partial
		}
	}
	session := ""
	if p.Session != nil {
		session = p.Session.CSRFToken
	}
	key := name + "\x00" + block + "\x00" + strconv.FormatInt(p.User.ID, 10) + "\x00" + session + "\x00" + r.URL.Query().Encode()
	kept, err := app.Kept(p.Org, "page", keptPagesPerSnapshot, key, func() (keptPage, error) {
		d, err := build()
		if err != nil {
			return keptPage{}, err
		}
		d = s.withViewer(r, d)
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, block, d); err != nil {
			return keptPage{}, fmt.Errorf("render %s/%s: %w", name, block, err)
		}
		d.Data = nil
		return keptPage{frame: d, html: template.HTML(buf.String())}, nil // #nosec G203 -- html/template's own escaped output
	})
	if err != nil {
		return err
	}
	if block != "content" { // the partial alone, with the headers render gives a page
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, string(kept.html))
		return nil
	}
	d := kept.frame
	d.Content = kept.html
	s.render(w, r, http.StatusOK, name, d)
	return nil
}

// renderView writes page name as build describes it: kept (renderKept)
// when it shows the stored state alone (status 200 to a request that
// changes nothing), else built now, as when a form comes back with its
// error.
func (s *Server) renderView(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, name string, build func() (pageData, error)) error {
	if status == http.StatusOK && !httpkit.Changes(r) {
		return s.renderKept(w, r, p, name, "", build)
	}
	d, err := build()
	if err != nil {
		return err
	}
	s.render(w, r, status, name, d)
	return nil
}
