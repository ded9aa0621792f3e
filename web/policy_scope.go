package web

import (
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
)

// scopeFromForm reads "departments" (comma-separated) and the
// "employment_types" checkboxes.
func scopeFromForm(r *http.Request) assay.PolicyScope {
	var sc assay.PolicyScope
	for _, d := range strings.Split(r.PostFormValue("departments"), ",") {
		if d = strings.TrimSpace(d); d != "" {
			sc.Departments = append(sc.Departments, d)
		}
	}
	sc.EmploymentTypes = r.PostForm["employment_types"]
	return sc
}
