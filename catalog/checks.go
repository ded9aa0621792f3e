package catalog

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/assay-platform/assay"
)

// The check library: one JSON file per source kind. The directory pattern
// (not *.json) keeps the embed valid while the folder holds only its
// README.
//
//go:embed data/checks
var checksFS embed.FS

const checksDir = "data/checks"

// LibraryCheck is a check of the embedded library with the resources that
// show it working: every pass example must pass and every fail example
// must fail (monitor's tests evaluate them).
type LibraryCheck struct {
	assay.Check
	Examples struct {
		Pass []assay.Resource `json:"pass"`
		Fail []assay.Resource `json:"fail"`
	} `json:"examples"`
}

// CheckPrefixes maps a source kind (the name of its file) to the prefix of
// its checks' ids. A file not listed here uses its own name and a hyphen.
var CheckPrefixes = map[string]string{
	"http": "http-", "postgres": "pg-", "host": "host-", "terraform": "tf-", "k8s": "k8s-",
	"prowler": "prowler-", "trivy": "trivy-", "roster": "idp-", "google-workspace": "gws-",
}

var checkIDRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

var (
	checksOnce sync.Once
	checksVal  []LibraryCheck
	checksErr  error
)

// LibraryChecks returns the embedded check library, loaded and validated
// once: files in name order, checks in file order.
func LibraryChecks() ([]LibraryCheck, error) {
	checksOnce.Do(func() {
		cat, err := Default()
		if err != nil {
			checksErr = err
			return
		}
		checksVal, checksErr = LoadChecks(checksFS, checksDir, func(id string) bool {
			_, ok := cat.Control(id)
			return ok
		})
	})
	return checksVal, checksErr
}

// LibraryCheckList is LibraryChecks without the examples: what the
// monitoring engine compiles.
func LibraryCheckList() ([]assay.Check, error) {
	lib, err := LibraryChecks()
	if err != nil {
		return nil, err
	}
	out := make([]assay.Check, len(lib))
	for i, c := range lib {
		out[i] = c.Check
		out[i].Controls = append([]string(nil), c.Controls...)
	}
	return out, nil
}

// LoadChecks reads every *.json file in dir of fsys as {"checks": [...]}
// and validates the result; knownControl says whether a control id exists.
// It returns every problem found, each naming the file and check.
func LoadChecks(fsys fs.FS, dir string, knownControl func(string) bool) ([]LibraryCheck, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("catalog: read %s: %w", dir, err)
	}
	var (
		all  []LibraryCheck
		errs []error
		seen = map[string]string{}
	)
	for _, ent := range entries {
		if ent.IsDir() || path.Ext(ent.Name()) != ".json" {
			continue
		}
		name := path.Join(dir, ent.Name())
		var file struct {
			Checks []LibraryCheck `json:"checks"`
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("catalog: read %s: %w", name, err)
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&file); err != nil {
			errs = append(errs, fmt.Errorf("catalog: parse %s: %w", name, err))
			continue
		}
		source := strings.TrimSuffix(ent.Name(), ".json")
		prefix, ok := CheckPrefixes[source]
		if !ok {
			prefix = source + "-"
		}
		for i, c := range file.Checks {
			where := fmt.Sprintf("catalog: %s: check %d (%q)", name, i+1, c.ID)
			for _, problem := range checkProblems(c, prefix, knownControl) {
				errs = append(errs, fmt.Errorf("%s: %s", where, problem))
			}
			if prev, dup := seen[c.ID]; dup && c.ID != "" {
				errs = append(errs, fmt.Errorf("%s: id already used in %s", where, prev))
			}
			seen[c.ID] = name
			all = append(all, c)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return all, nil
}

// checkProblems lists what is wrong with one library check.
func checkProblems(c LibraryCheck, prefix string, knownControl func(string) bool) []string {
	var out []string
	bad := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if !checkIDRe.MatchString(c.ID) {
		bad("id must be lowercase letters, digits and single hyphens")
	}
	if !strings.HasPrefix(c.ID, prefix) {
		bad("id must start with %q", prefix)
	}
	if c.Custom {
		bad("a library check is not custom")
	}
	if !c.Severity.Valid() {
		bad("severity %q is not critical, high, medium or low", c.Severity)
	}
	required := []struct{ field, value string }{
		{"title", c.Title}, {"kind", c.Kind}, {"expr", c.Expr}, {"reason", c.Reason}, {"remediation", c.Remediation},
	}
	for _, f := range required {
		if strings.TrimSpace(f.value) == "" {
			bad("%s is required", f.field)
		}
	}
	if len(c.Controls) == 0 {
		bad("controls: at least one control is required")
	}
	for _, id := range c.Controls {
		if !knownControl(id) {
			bad("controls: unknown control %q", id)
		}
	}
	if len(c.Examples.Pass) == 0 || len(c.Examples.Fail) == 0 {
		bad("examples: at least one pass and one fail example are required")
	}
	sets := []struct {
		name     string
		examples []assay.Resource
	}{{"pass", c.Examples.Pass}, {"fail", c.Examples.Fail}}
	for _, set := range sets {
		for j, r := range set.examples {
			if r.Kind != c.Kind {
				bad("examples.%s[%d]: kind %q is not the check's kind %q", set.name, j, r.Kind, c.Kind)
			}
			if r.ID == "" || r.Name == "" {
				bad("examples.%s[%d]: id and name are required", set.name, j)
			}
		}
	}
	return out
}
