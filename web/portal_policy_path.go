package web

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
)

// portalVersionID is the {vid} of a portal policy path.
func portalVersionID(r *http.Request) (int64, error) {
	vid, err := strconv.ParseInt(r.PathValue("vid"), 10, 64)
	if err != nil {
		return 0, assay.Errorf(assay.ENOTFOUND, "Policy not found.")
	}
	return vid, nil
}
