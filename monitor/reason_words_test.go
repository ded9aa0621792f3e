package monitor

import (
	"regexp"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
)

func TestReasonHelpers(t *testing.T) {
	for _, tc := range []struct {
		tmpl  string
		attrs map[string]any
		want  string
	}{
		{`{{ago .Attrs.d}}`, map[string]any{"d": int64(10)}, "10 days ago"},
		{`{{ago .Attrs.d}}`, map[string]any{"d": int64(1)}, "1 day ago"},
		{`{{ago .Attrs.d}}`, map[string]any{"d": int64(0)}, "today"},
		{`{{ago .Attrs.d}}`, map[string]any{"d": int64(-1)}, "in 1 day"},
		{`{{ago .Attrs.d}}`, map[string]any{"d": int64(-10)}, "in 10 days"},
		{`{{ago .Attrs.d}}`, map[string]any{"d": 2.0}, "2 days ago"},
		{`{{until .Attrs.d}}`, map[string]any{"d": int64(10)}, "in 10 days"},
		{`{{until .Attrs.d}}`, map[string]any{"d": int64(1)}, "in 1 day"},
		{`{{until .Attrs.d}}`, map[string]any{"d": int64(0)}, "today"},
		{`{{until .Attrs.d}}`, map[string]any{"d": int64(-3)}, "3 days ago"},
		{`{{count .Attrs.n "secret" "secrets"}}`, map[string]any{"n": int64(1)}, "1 secret"},
		{`{{count .Attrs.n "secret" "secrets"}}`, map[string]any{"n": int64(0)}, "0 secrets"},
		{`{{count .Attrs.n "secret" "secrets"}}`, map[string]any{"n": int64(12)}, "12 secrets"},
		{`{{count .Attrs.n "secret" "secrets"}}`, map[string]any{"n": int64(-2)}, "-2 secrets"},
		{`{{capital .Attrs.s}}`, map[string]any{"s": "élan vital"}, "Élan vital"},
		{`{{capital .Attrs.s}}`, map[string]any{"s": ""}, ""},
		{`[{{capital .Attrs.missing}}]`, map[string]any{}, "[]"},
		{`{{capital (or .Attrs.missing "artifact")}}`, map[string]any{}, "Artifact"},
	} {
		p, err := Compile(assay.Check{ID: "t", Kind: "k", Expr: "false", Reason: tc.tmpl})
		if err != nil {
			t.Fatal(err)
		}
		if got := p.render(&assay.Resource{Kind: "k", ID: "r", Name: "r", Attrs: tc.attrs}); got != tc.want {
			t.Errorf("%s with %v = %q, want %q", tc.tmpl, tc.attrs, got, tc.want)
		}
	}
}

// awkward finds what a reason must not say: a negative number of days
// or items, "in -", "1 days", a missing value, a broken template.
var awkward = regexp.MustCompile(`(^|[\s(])-\d|\bin -|\b1 days\b|<no value>|<nil>|reason template:|\(\s*,|, \)|:\s*$`)

// The failure reasons of every library check read naturally
// whatever the numbers in the resource: every whole-number attribute of
// every fail example is set to zero and positive values in turn (whether
// or not the check would still fail), and those
// counting days (which may be negative: "none", or a date ahead) to
// negative ones as well. Counts are never negative.
func TestReasonsReadNaturally(t *testing.T) {
	lib, err := catalog.LibraryChecks()
	if err != nil {
		t.Fatal(err)
	}
	for _, lc := range lib {
		p, err := Compile(lc.Check)
		if err != nil {
			t.Fatal(err)
		}
		for _, ex := range lc.Examples.Fail {
			for _, n := range []int64{-10, -1, 0, 1, 2, 10} {
				res := ex
				res.Attrs = map[string]any{}
				for k, v := range NormalizeAttrs(ex.Attrs) {
					if _, ok := v.(int64); ok {
						v = n
						if n < 0 && !strings.Contains(k, "days") {
							v = -n
						}
					}
					res.Attrs[k] = v
				}
				got := p.render(&res)
				if awkward.MatchString(got) {
					t.Errorf("%s with numbers at %d: %q", lc.ID, n, got)
				}
				if testing.Verbose() && (n == -10 || n == 1) {
					t.Logf("%s (%d): %s", lc.ID, n, got)
				}
			}
		}
	}
}
