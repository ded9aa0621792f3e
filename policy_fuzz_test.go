package assay

import (
	"strings"
	"testing"
	"time"
)

// FuzzPolicyTemplate runs any policy text through the placeholder code:
// no panic, every placeholder is listed once and is in the text, and
// text without placeholders is left as it is.
func FuzzPolicyTemplate(f *testing.F) {
	for _, seed := range []string{
		"{{company}} {{ owner }} {{review_cadence}} {{effective_date}} {{other}}",
		"{{company}}{{company}} {{ }} {{{owner}}} {{Company}} {{review_cadence",
		"# Policy\n\nEffective {{ effective_date }}.\n",
		"",
	} {
		f.Add(seed)
	}
	at := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body string) {
		names := TemplatePlaceholders(body)
		vars := map[string]string{}
		for _, n := range names {
			if _, twice := vars[n]; twice || !strings.Contains(body, n) {
				t.Fatalf("placeholder %q listed wrongly for %q", n, body)
			}
			vars[n] = "value"
		}
		filled := FillPolicyTemplate(body, vars)
		if len(names) == 0 && filled != body {
			t.Fatalf("text without placeholders changed: %q", filled)
		}
		_ = FillEffectiveDate(body, at)
		_ = validatePolicyBody(body)
	})
}
