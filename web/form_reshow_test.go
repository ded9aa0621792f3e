package web

import (
	"errors"
	"net/http"
	"testing"

	"github.com/assay-platform/assay"
)

// TestReshow: faults the person can fix come back on the form with their
// status and message; anything else goes on to the error page untouched.
func TestReshow(t *testing.T) {
	for _, tc := range []struct {
		err    error
		status int // 0: not re-shown
	}{
		{assay.Invalid("name", "Give a name."), http.StatusBadRequest},
		{assay.Errorf(assay.ECONFLICT, "Taken."), http.StatusConflict},
		{assay.Errorf(assay.ETOOLARGE, "Too big."), http.StatusRequestEntityTooLarge},
		{assay.Errorf(assay.EFORBIDDEN, "Not yours."), http.StatusForbidden},
		{assay.Errorf(assay.ENOTFOUND, "Gone."), 0},
		{assay.Errorf(assay.EUNAUTHORIZED, "Sign in."), 0},
		{errors.New("disk on fire"), 0},
	} {
		var gotStatus int
		var gotMsg string
		shown := errors.New("shown")
		err := reshow(tc.err, func(status int, msg string) error {
			gotStatus, gotMsg = status, msg
			return shown
		})
		if tc.status == 0 {
			if err != tc.err || gotStatus != 0 {
				t.Errorf("%v: re-shown (%d), want it passed on", tc.err, gotStatus)
			}
			continue
		}
		if err != shown || gotStatus != tc.status || gotMsg != assay.ErrorMessage(tc.err) {
			t.Errorf("%v: got %v, %d %q; want the form at %d with the message", tc.err, err, gotStatus, gotMsg, tc.status)
		}
	}
	if err := reshow(nil, func(int, string) error { t.Fatal("nil error re-shown"); return nil }); err != nil {
		t.Fatalf("nil: %v", err)
	}
}
