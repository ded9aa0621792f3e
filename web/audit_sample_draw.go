package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) auditSampleForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err == nil {
		n := assay.NewSample{Population: r.PostFormValue("population"), ControlID: strings.TrimSpace(r.PostFormValue("control"))}
		if v := strings.TrimSpace(r.PostFormValue("size")); v != "" { // empty: the usual size for the population
			if n.Size, err = strconv.Atoi(v); err != nil || n.Size < 1 {
				err = assay.Invalid("size", "The sample size must be a whole number from 1, or empty for the usual size.")
			}
		}
		if v := strings.TrimSpace(r.PostFormValue("seed")); v != "" && err == nil {
			seed, perr := strconv.ParseUint(v, 10, 64)
			if perr != nil {
				err = assay.Invalid("seed", "The seed must be a whole number from 0 to 18446744073709551615.")
			}
			n.Seed = &seed
		}
		if err == nil {
			_, err = s.app.CreateAuditSample(r.Context(), p.App(), id, n)
		}
	}
	return s.afterAuditForm(w, r, p, id, err, "sample-drawn")
}
