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
		"#TYPE System.Management.Automation.PSCustomObject\r\n\"username\",\"email\",\"totp_enabled\",\"mfa\"\r\n\"a\",\"a@x.io\",\"False\",\"@{configured=True}\"\r\n",
		"User,Login,Status,Last Login\nA,a@x.io,ACTIVE,05/11/2026\nB,b@x.io,SUSPENDED,13/01/2026 3:04 PM\n",
		"userPrincipalName,mail,accountEnabled,createdDateTime\na@x.io,b@x.io,False,2026-01-01T00:00:00Z\n",
		"Employee #,Work Email,Status,Employment Status,Termination Date\n1,,Active,Terminated,0000-00-00\n2,b@x.io,Inactive,Terminated,11-14-26\n",
		"Email Address [Required],Last Sign In [READ ONLY],2sv Enrolled [READ ONLY]\na@x.io,Never logged in,True\n",
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
