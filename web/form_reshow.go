package web

import (
	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// reshow decides, for every form, what a failed submission shows. A fault
// the person can fix on the form they sent (a value that is invalid or
// conflicts, a file too large, a change their role may not make to this
// object) goes to show, which renders the form again with what they typed,
// the message and the status. Anything else is returned for the error
// page.
func reshow(err error, show func(status int, msg string) error) error {
	switch code := assay.ErrorCode(err); code {
	case assay.EINVALID, assay.ECONFLICT, assay.ETOOLARGE, assay.EFORBIDDEN:
		return show(httpkit.StatusOf(code), assay.ErrorMessage(err))
	}
	return err
}
