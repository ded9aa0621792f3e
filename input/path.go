package input

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
)

// PathID reads the path value "id" as a positive id (PathIDOf).
func PathID(r *http.Request, what string) (int64, error) { return PathIDOf(r, "id", what) }

// PathIDOf reads the path value name as a positive id; what names the
// object in the not-found message.
func PathIDOf(r *http.Request, name, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, assay.Errorf(assay.ENOTFOUND, "%s not found.", what)
	}
	return id, nil
}
