package web

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
)

// courseForm reads a course from a form.
func courseForm(form url.Values) (assay.NewCourse, error) {
	n := assay.NewCourse{Name: form.Get("name"), Link: form.Get("link"), Description: form.Get("description"),
		Attestation: form.Get("attestation"), RequiredAtHire: form.Get("required_at_hire") == "on", Security: form.Get("security") == "on"}
	if v := strings.TrimSpace(form.Get("renewal_months")); v != "" {
		m, err := strconv.Atoi(v)
		if err != nil {
			return n, assay.Invalid("renewal_months", "Renewal must be a whole number of months.")
		}
		n.RenewalMonths = &m
	}
	return n, nil
}
