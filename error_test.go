package assay

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// An *Error reads as its message wherever its text lands: printed, wrapped
// by fmt.Errorf or put inside another *Error's message. Its code stays
// readable through ErrorCode, also when wrapped.
func TestErrorTextIsTheMessage(t *testing.T) {
	inner := Invalid("input", "invalid JSON at line 3, column 7")
	for _, err := range []error{
		inner,
		fmt.Errorf("import plan.json: %w", inner),
		Invalid("file", "The terraform document could not be read: %v", inner),
		Invalid("file", "The terraform document could not be read: %s", inner.Error()),
	} {
		for _, text := range []string{err.Error(), ErrorMessage(err), fmt.Sprint(err)} {
			if strings.Contains(text, "assay error") || strings.Contains(text, "code=") || !strings.Contains(text, "invalid JSON at line 3, column 7") {
				t.Errorf("%q does not read as the message", text)
			}
		}
		if ErrorCode(err) != EINVALID {
			t.Errorf("code of %q = %s", err, ErrorCode(err))
		}
	}
	if got := ErrorMessage(fmt.Errorf("import plan.json: %w", inner)); got != inner.Message {
		t.Errorf("wrapped message = %q", got)
	}
	if got := (&Error{Code: ECONFLICT}).Error(); got != ECONFLICT {
		t.Errorf("an error without a message reads %q", got)
	}
	if ErrorMessage(errors.New("disk full")) != "Internal error." {
		t.Error("an internal error's text must not be shown")
	}
}
