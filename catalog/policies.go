package catalog

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/assay-platform/assay"
)

//go:embed data/policies/*.md
var policyFS embed.FS

// PolicyTemplate is a starting policy an organisation can adopt: Markdown
// with placeholders ({{company}}, {{owner}}, {{review_cadence}},
// {{effective_date}}) and the library controls it supports.
type PolicyTemplate struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Controls []string `json:"controls"`
	Body     string   `json:"body"`
}

// MinPolicyTemplates is the smallest set shipped.
const MinPolicyTemplates = 18

var (
	policiesOnce sync.Once
	policyTpls   []PolicyTemplate
	policiesErr  error
)

// PolicyTemplates returns the embedded templates, loaded and validated
// once, sorted by title.
func PolicyTemplates() ([]PolicyTemplate, error) {
	policiesOnce.Do(func() {
		cat, err := Default()
		if err != nil {
			policiesErr = err
			return
		}
		policyTpls, policiesErr = LoadPolicyTemplates(policyFS, "data/policies", cat)
	})
	return policyTpls, policiesErr
}

// PolicyTemplate returns one template by id.
func PolicyTemplateByID(id string) (PolicyTemplate, bool) {
	list, err := PolicyTemplates()
	if err != nil {
		return PolicyTemplate{}, false
	}
	i := slices.IndexFunc(list, func(t PolicyTemplate) bool { return t.ID == id })
	if i < 0 {
		return PolicyTemplate{}, false
	}
	return list[i], true
}

var policyIDPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{1,60}$`)

// LoadPolicyTemplates reads every .md file in dir and validates the set
// against the catalog: ids unique and well formed, controls known,
// placeholders known, at least MinPolicyTemplates.
func LoadPolicyTemplates(fsys fs.FS, dir string, cat *Catalog) ([]PolicyTemplate, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.md"))
	if err != nil {
		return nil, fmt.Errorf("catalog: list policy templates: %w", err)
	}
	var out []PolicyTemplate
	seen := map[string]string{}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("catalog: read %s: %w", name, err)
		}
		t, err := parsePolicyTemplate(string(b))
		if err != nil {
			return nil, fmt.Errorf("catalog: %s: %w", name, err)
		}
		if prev, dup := seen[t.ID]; dup {
			return nil, fmt.Errorf("catalog: %s: policy template id %q is also used by %s", name, t.ID, prev)
		}
		seen[t.ID] = name
		for _, c := range t.Controls {
			if _, ok := cat.Control(c); !ok {
				return nil, fmt.Errorf("catalog: %s: unknown control %q", name, c)
			}
		}
		for _, p := range assay.TemplatePlaceholders(t.Body) {
			if !slices.Contains(assay.PolicyPlaceholders, p) {
				return nil, fmt.Errorf("catalog: %s: unknown placeholder {{%s}}", name, p)
			}
		}
		out = append(out, t)
	}
	if len(out) < MinPolicyTemplates {
		return nil, fmt.Errorf("catalog: %d policy templates, want at least %d", len(out), MinPolicyTemplates)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Title < out[j].Title })
	return out, nil
}

// parsePolicyTemplate reads the front matter (id, title, controls as a
// comma-separated list between "---" lines) and the Markdown body.
func parsePolicyTemplate(text string) (PolicyTemplate, error) {
	var t PolicyTemplate
	text = strings.ReplaceAll(text, "\r\n", "\n")
	rest, ok := strings.CutPrefix(text, "---\n")
	if !ok {
		return t, fmt.Errorf("no front matter")
	}
	head, body, ok := strings.Cut(rest, "\n---\n")
	if !ok {
		return t, fmt.Errorf("front matter is not closed")
	}
	for _, line := range strings.Split(head, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return t, fmt.Errorf("front matter line %q is not key: value", line)
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "id":
			t.ID = v
		case "title":
			t.Title = v
		case "controls":
			for _, c := range strings.Split(v, ",") {
				if c = strings.TrimSpace(c); c != "" {
					t.Controls = append(t.Controls, c)
				}
			}
		default:
			return t, fmt.Errorf("unknown front matter key %q", k)
		}
	}
	t.Body = strings.TrimSpace(body) + "\n"
	switch {
	case !policyIDPattern.MatchString(t.ID):
		return t, fmt.Errorf("bad id %q", t.ID)
	case t.Title == "":
		return t, fmt.Errorf("no title")
	case len(t.Controls) == 0:
		return t, fmt.Errorf("no controls")
	case len(strings.Fields(t.Body)) < 150:
		return t, fmt.Errorf("the body is too short to be a policy")
	}
	return t, nil
}
