package httpkit

import (
	"log/slog"
	"net/http"

	"github.com/assay-platform/assay"
)

// StatusOf maps an error code to its HTTP status: the one place this is decided.
func StatusOf(code string) int {
	switch code {
	case assay.EINVALID:
		return http.StatusBadRequest
	case assay.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case assay.EFORBIDDEN:
		return http.StatusForbidden
	case assay.ENOTFOUND:
		return http.StatusNotFound
	case assay.ECONFLICT:
		return http.StatusConflict
	case assay.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case assay.ETOOMANY:
		return http.StatusTooManyRequests
	case assay.EGONE:
		return http.StatusGone
	}
	return http.StatusInternalServerError
}

// LogIfInternal logs faults of ours; errors people caused are not logged
// as errors (and carry no secrets: messages are written for people).
func LogIfInternal(log *slog.Logger, r *http.Request, err error) {
	if assay.ErrorCode(err) == assay.EINTERNAL {
		log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
}
