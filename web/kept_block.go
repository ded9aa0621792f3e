package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strconv"

	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
)

// keptBlocksPerSnapshot bounds the rendered lists an organisation's
// snapshot keeps: one per page, query and signed-in browser, so a search
// typed letter by letter stays well inside it.
const keptBlocksPerSnapshot = 256

// keptBlock is block of page name rendered with d, kept until the
// organisation's next change or the next minute (the snapshot its reads
// came from, p.Org) for the same browser session asking the same query:
// a list read again renders once. The key holds the session, so nothing
// one person's page shows (their name, their form token, what they may
// do) reaches another's. Without a snapshot (an engagement auditor's
// view) it renders every time.
func (s *Server) keptBlock(r *http.Request, p *httpkit.Principal, name, block string, d pageData) (template.HTML, error) {
	t, ok := s.pages.byName[name]
	if !ok {
		return "", fmt.Errorf("no template %q", name)
	}
	viewer := ""
	if p.Session != nil {
		viewer = p.Session.CSRFToken
	}
	key := name + "\x00" + block + "\x00" + strconv.FormatInt(p.User.ID, 10) + "\x00" + viewer + "\x00" + r.URL.Query().Encode()
	return app.Kept(p.Org, "html", keptBlocksPerSnapshot, key, func() (template.HTML, error) {
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, block, s.withViewer(r, d)); err != nil {
			return "", fmt.Errorf("render %s/%s: %w", name, block, err)
		}
		return template.HTML(buf.String()), nil // #nosec G203 -- html/template's own escaped output
	})
}
