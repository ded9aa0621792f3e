package roster

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

// FuzzRosterParse feeds the roster parser anything, starting from the
// test files: it must not panic, a refusal is an EINVALID error, and a
// refusal of a row names its line.
func FuzzRosterParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	for _, seed := range []string{
		"Username,Email,MFA,Admin,Departed\nalice,alice@example.com,yes,yes,no\nbob,bob@example.com,yes,no,2026-01-01\n",
		"email,mfa\n\"",
		"email\tmfa\tstatus\na@x.io\tenrolled\tsuspended\n",
		"\ufeffPrimary Email;2SV Enrolled;Last Sign In\na@x.io;true;never\nb@x.io;false;2025-13-01\n",
		"email,mail,mfa\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse(data, map[string]bool{"a@x.io": true}, now)
		if err == nil {
			return
		}
		msg := assay.ErrorMessage(err)
		if assay.ErrorCode(err) != assay.EINVALID || msg == "" {
			t.Fatalf("refused without a clear message: %v", err)
		}
		if strings.Contains(msg, "column \"") && !strings.HasPrefix(msg, "line ") {
			t.Fatalf("a bad cell without its line: %s", msg)
		}
	})
}
