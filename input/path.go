package input

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
)

func PathID(r *http.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, assay.Errorf(assay.ENOTFOUND, "%s not found.", what)
	}
	return id, nil
}
