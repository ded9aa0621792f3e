package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

//go:embed templates
var templateFS embed.FS

// pageData is what every page template receives.
type pageData struct {
	Title string
	Nav   string // the left-nav entry to highlight
	User  *assay.User
	Org   string // organisation name
	CSRF  string
	Flash string // a one-line confirmation
	Error string // a one-line error to show above the form
	Data  any    // the page's own data
	// Content, when set, is the page's content block already rendered
	// (renderKept), shown instead of rendering it again.
	Content template.HTML
}

type pages struct {
	byName map[string]*template.Template
}

var funcs = template.FuncMap{
	"statusLabel":             func(s assay.ControlStatus) string { return s.Label() },
	"statusClass":             func(s assay.ControlStatus) string { return "status-" + strings.ReplaceAll(string(s), "_", "-") },
	"categoryName":            assay.CategoryName,
	"join":                    strings.Join,
	"gridCells":               gridCells,               // monitoring_grid.go
	"controlOptions":          controlOptions,          // select_options.go
	"correctiveStatusOptions": correctiveStatusOptions, // select_options.go
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2 Jan 2006")
	},
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2 Jan 2006 15:04 UTC")
	},
	"iso":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"title": titleCase,
	"label": func(s string) string { return strings.ReplaceAll(s, "_", " ") },
	"pctClass": func(p int) string {
		switch {
		case p >= 80:
			return "good"
		case p >= 50:
			return "fair"
		}
		return "poor"
	},
	"has": func(list []string, v string) bool {
		for _, x := range list {
			if x == v {
				return true
			}
		}
		return false
	},
	// capitalFirst writes a clause as a sentence's start.
	"capitalFirst": func(s string) string {
		r, size := utf8.DecodeRuneInString(s)
		if size == 0 {
			return s
		}
		return string(unicode.ToUpper(r)) + s[size:]
	},
	"initials": func(name string) string {
		var b strings.Builder
		for _, f := range strings.Fields(name) {
			b.WriteString(strings.ToUpper(f[:1]))
			if b.Len() == 2 {
				break
			}
		}
		return b.String()
	},
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict needs pairs")
		}
		m := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m, nil
	},
	"add": func(a, b int) int { return a + b },
	// hasString and hasInt say whether a list holds a value (checkboxes).
	"hasString": func(list []string, v string) bool { return slices.Contains(list, v) },
	"hasInt":    func(list []int64, v int64) bool { return slices.Contains(list, v) },
	// uptime writes an uptime percentage (negative: not measured).
	"uptime": func(p float64) string {
		if p < 0 {
			return "—"
		}
		if p == 100 {
			return "100%"
		}
		return strconv.FormatFloat(p, 'f', 3, 64) + "%"
	},
	// dur writes a duration to the second, "0s" when none.
	"dur":         func(d time.Duration) string { return d.Round(time.Second).String() },
	"barsOf":      dailyBarsSVG, // availability.go
	"serviceForm": serviceFormOf,
	"datetimeIn":  func(t time.Time, loc *time.Location) string { return t.In(loc).Format("2 Jan 2006 15:04 MST") },
	// scale is the 1-5 scale of risk likelihood and impact.
	"scale": func() []int { return []int{1, 2, 3, 4, 5} },
	// sidebar and homeHref are the navigation a person may follow (nav.go).
	"sidebar":  sidebar,
	"homeHref": homeHref,
}

// titleCase writes a stored word (in_progress) as a label (In progress).
func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.ReplaceAll(s[1:], "_", " ")
}

// parsePages parses each page with the shared layout and partials. A
// broken template stops start-up.
func parsePages() (*pages, error) {
	p := &pages{byName: map[string]*template.Template{}}
	shared, err := fs.Glob(templateFS, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("templates: no pages embedded")
	}
	for _, f := range files {
		name := strings.TrimSuffix(f[len("templates/pages/"):], ".html")
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, append([]string{"templates/layout.html", f}, shared...)...)
		if err != nil {
			return nil, fmt.Errorf("templates: %s: %w", name, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

// render writes a page. With fragment set (htmx requests), it writes only
// the named block instead of the whole layout.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, d pageData) {
	s.renderBlock(w, r, status, name, "layout", d)
}

func (s *Server) renderBlock(w http.ResponseWriter, r *http.Request, status int, name, block string, d pageData) {
	t, ok := s.pages.byName[name]
	if !ok {
		s.log.Error("no such template", "name", name)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	d = s.withViewer(r, d)
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, d); err != nil {
		s.log.Error("render failed", "template", name, "block", block, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// withViewer is d with what every page shows of who is signed in: the
// user, the form token and the organisation's name, and the flash the
// link asks for.
func (s *Server) withViewer(r *http.Request, d pageData) pageData {
	if p := httpkit.PrincipalFrom(r.Context()); p != nil && p.Session != nil {
		d.User = &p.User
		d.CSRF = p.Session.CSRFToken
		if d.Org == "" {
			if org, err := p.Org.Organization(r.Context()); err == nil {
				d.Org = org.Name
			}
		}
	}
	if d.Flash == "" {
		d.Flash = flashMessage(r.URL.Query().Get("flash"))
	}
	return d
}

// flashMessage turns a known flash key into its text; unknown keys show
// nothing, so a link cannot put words on the page.
func flashMessage(key string) string {
	return map[string]string{
		"saved":             "Saved.",
		"control-added":     "Control added.",
		"owners-saved":      "Owner set on the chosen controls.",
		"scope-saved":       "Scope saved.",
		"system-saved":      "System description saved.",
		"user-added":        "User added.",
		"user-invited":      "Invitation sent: they choose their password through the e-mailed link (7 days).",
		"user-saved":        "User updated.",
		"token-revoked":     "Token revoked.",
		"evidence-added":    "Evidence added.",
		"request-created":   "Evidence requested.",
		"request-submitted": "Evidence submitted to the request.",
		"request-decided":   "Decision recorded.",
		"channel-added":     "Channel added.",
		"channel-saved":     "Channel saved.",
		"channel-removed":   "Channel removed.",
		"test-sent":         "Test message sent.",
	}[key]
}
