package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// policyVersionFile serves /policies/{id}/versions/{vid}.html and .pdf:
// the downloads of a published (or since retired) version.
func (s *Server) policyVersionFile(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Policy")
	if err != nil {
		return err
	}
	name := r.PathValue("file")
	base, ext, _ := strings.Cut(name, ".")
	vid, err := strconv.ParseInt(base, 10, 64)
	if err != nil || (ext != "html" && ext != "pdf") {
		return assay.Errorf(assay.ENOTFOUND, "There is no such policy download.")
	}
	org, v, err := s.app.PolicyDownload(r.Context(), p.App(), id, vid)
	if assay.ErrorCode(err) == assay.ENOTFOUND {
		err = assay.Errorf(assay.ENOTFOUND, "There is no such policy download.")
	}
	if err != nil {
		return err
	}
	if ext == "html" {
		if err := s.writePolicyHTML(w, org, v); err != nil {
			s.log.Error("policy html download", "policy", id, "version", vid, "err", err)
		}
		return nil
	}
	pdf, err := policyPDF(org, v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+policyFileName(v, "pdf")+`"`)
	_, _ = w.Write(pdf)
	return nil
}

func policyFileName(v assay.PolicyVersion, ext string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(v.PolicyTitle) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-") + "-v" + v.Version + "." + ext
}

const policyHTMLStyle = `body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d232b;max-width:46rem;margin:2.5rem auto;padding:0 1.25rem}
header{border-bottom:2px solid #2f5d8a;margin-bottom:1.5rem;padding-bottom:.75rem}header p{color:#5a6470;margin:.25rem 0}
h1{font-size:1.9rem;margin:.2rem 0}h2{font-size:1.3rem;margin-top:1.8rem;color:#2f5d8a}h3{font-size:1.1rem}
li{margin:.25rem 0}code{background:#f1f3f5;padding:0 .25rem;border-radius:3px}footer{margin-top:2.5rem;color:#5a6470;font-size:.85rem;border-top:1px solid #d5dae0;padding-top:.5rem}
@media print{body{margin:0;max-width:none}}`

var policyHTMLPage = template.Must(template.New("policy").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.V.PolicyTitle}} {{.V.Version}}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{{.Style}}</style></head>
<body><header><p>{{.Org}}</p><h1>{{.V.PolicyTitle}}</h1><p>{{.Line}}</p></header>
<main>{{.Body}}</main>
<footer>{{.Org}} · {{.V.PolicyTitle}} version {{.V.Version}} · downloaded {{.Now}}{{with .V.Changelog}} · Changes: {{.}}{{end}}</footer>
</body></html>
`))

// policyHTMLData is what the standalone HTML file of a version shows.
type policyHTMLData struct {
	V     assay.PolicyVersion
	Org   string
	Body  template.HTML
	Line  string
	Style template.CSS
	Now   string
}

// writePolicyHTML writes a standalone, styled HTML file of a version.
func (s *Server) writePolicyHTML(w http.ResponseWriter, org string, v assay.PolicyVersion) error {
	body, err := renderMarkdown(v.Body)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	err = policyHTMLPage.Execute(&buf, policyHTMLData{V: v, Org: org, Body: body, Line: approvalLine(v),
		Style: template.CSS(policyHTMLStyle), Now: s.clock.Now().UTC().Format(time.DateOnly)})
	if err != nil {
		return fmt.Errorf("policy html: %w", err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+policyFileName(v, "html")+`"`)
	// The file carries its own styles; nothing else may load.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	_, err = buf.WriteTo(w)
	return err
}
