package trivy

import (
	"strings"

	"github.com/assay-platform/assay"
)

// license is one licence Trivy found (`--scanners license`): of a package,
// or in a file (a "license-file" result).
type license struct {
	Severity string `json:"Severity"`
	Category string `json:"Category"`
	PkgName  string `json:"PkgName"`
	FilePath string `json:"FilePath"`
	Name     string `json:"Name"`
}

// licenses counts the licences Trivy's licence policy forbids (category
// "forbidden"; with no category, severity CRITICAL, which is how Trivy
// rates forbidden ones) and names the first few: "pkg (AGPL-3.0)".
// Licences of other categories (restricted, reciprocal, notice, ...) are
// for the organisation's legal review and are not judged.
func (a *artifact) licenses(res result, where string) error {
	for i, l := range res.Licenses {
		sev, ok := severity(l.Severity)
		if !ok {
			return assay.Invalid("input", "%s, %s licence %d (%s): unknown Severity %q", where, res.Target, i+1, l.Name, l.Severity)
		}
		cat := strings.ToLower(l.Category)
		if cat != "forbidden" && (cat != "" || sev != "critical") {
			continue
		}
		a.forbiddenCount++
		if len(a.forbiddenList) >= maxListed {
			continue
		}
		of := l.PkgName
		if of == "" {
			of = l.FilePath
		}
		if of == "" {
			of = res.Target
		}
		name := l.Name
		if name == "" {
			name = "unnamed licence"
		}
		a.forbiddenList = append(a.forbiddenList, of+" ("+name+")")
	}
	return nil
}
