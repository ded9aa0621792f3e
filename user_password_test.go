package assay_test

import (
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

func TestPasswordPolicyRefusesWeakPasswords(t *testing.T) {
	for name, c := range map[string]struct {
		password string
		inputs   []string
		want     string
	}{
		"short":                 {"Tr0ub4dor&3", nil, "at least 12 characters"},
		"short in characters":   {"ééééééééééé", nil, "at least 12 characters"}, // 11 characters, 22 bytes
		"common":                {"password1234", nil, "too easy to guess"},
		"common with capitals":  {"Password1234!", nil, "too easy to guess"},
		"keyboard":              {"qwertyuiop123", nil, "too easy to guess"},
		"repeated":              {"aaaaaaaaaaaaaaaa", nil, "too easy to guess"},
		"sequence":              {"abcdefghijklmnop", nil, "too easy to guess"},
		"own email":             {"dana.reyes@example.com", []string{"dana.reyes@example.com", "Dana Reyes"}, "your email address or name"},
		"own email reversed":    {"moc.elpmaxe@seyer.anad", []string{"dana.reyes@example.com", "Dana Reyes"}, "your email address or name"},
		"not text":              {"\xff\xfe long enough password", nil, "text (UTF-8)"},
		"longer than the limit": {strings.Repeat("xq7#", 300), nil, "longer than 1024"},
		"long but repeated":     {strings.Repeat("password", 40), nil, "too easy to guess"},
	} {
		err := assay.ValidatePassword(c.password, c.inputs...)
		if err == nil || !strings.Contains(assay.ErrorMessage(err), c.want) {
			t.Errorf("%s: %q: got %v, want an error with %q", name, c.password, err, c.want)
		}
	}
}

func TestPasswordPolicyAcceptsStrongPasswords(t *testing.T) {
	for _, p := range []string{
		"correct horse battery staple",
		"a long passphrase",
		"northwind-demo-2026",
		"Kühlschrank Bergwerk Möwe", // counted in characters
		"ünïcødé-pässwörd-wörks",
		"藍色的貓在屋頂上睡覺了很久", // 13 characters, 39 bytes
		"the quick brown fox jumps over the lazy dog while the kettle hums, and then " + strings.Repeat("é", 900), // judged by its start, quickly
	} {
		if err := assay.ValidatePassword(p, "dana@example.com", "Dana Reyes"); err != nil {
			t.Errorf("%q refused: %v", p, err)
		}
	}
}

func TestNewUserPasswordCountsEmailAndName(t *testing.T) {
	n := assay.NewUser{Email: "Zoe.Kowalczyk@Example.com", Name: "Zoe Kowalczyk", Role: assay.RoleMember, Password: "zoe.kowalczyk@example.com"}
	if err := n.Validate(); err == nil || !strings.Contains(assay.ErrorMessage(err), "your email address or name") {
		t.Fatalf("a password made of the user's own email: %v", err)
	}
	n.Password = "zoe.kowalczyk@example.com"
	n.Email, n.Name = "ann@other.example", "Ann"
	if err := n.Validate(); err != nil {
		t.Fatalf("the same password for someone else: %v", err)
	}
}
