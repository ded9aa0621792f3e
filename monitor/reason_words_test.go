package monitor

import (
	"testing"

	"github.com/assay-platform/assay"
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
