package assay

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzParseAccessAccountsCSV feeds the accounts importer anything: it must
// not panic, a refusal is an EINVALID error, and what it accepts is valid
// with no account twice.
func FuzzParseAccessAccountsCSV(f *testing.F) {
	for _, seed := range []string{
		"\ufeffSystem,Username,E-mail,Role\nOkta,alice,Alice@Example.com,admin\n,bob,,read\n\n",
		"system,account\nOkta,\"broken\n",
		"system,account\n\"",
		"application\tlogin\tpermissions\nGitHub\toctocat\twrite\n",
		"system,account\nOkta,alice\nOkta,ALICE\n",
		"account\nalice\n",
		"",
	} {
		f.Add([]byte(seed), "Okta")
		f.Add([]byte(seed), "")
	}
	f.Fuzz(func(t *testing.T, data []byte, system string) {
		list, err := ParseAccessAccountsCSV(bytes.NewReader(data), system)
		if err != nil {
			if ErrorCode(err) != EINVALID || ErrorMessage(err) == "" {
				t.Fatalf("refused without a clear message: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, a := range list {
			key := strings.ToLower(a.System) + "\x00" + strings.ToLower(a.Account)
			if seen[key] || a.Validate() != nil {
				t.Fatalf("accepted a bad or repeated account: %+v", a)
			}
			seen[key] = true
		}
	})
}
