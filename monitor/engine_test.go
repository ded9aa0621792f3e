package monitor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

func check(id, kind, expr, reason string) assay.Check {
	return assay.Check{ID: id, Title: id, Kind: kind, Expr: expr, Severity: assay.SeverityHigh, Reason: reason, Controls: []string{"CRY-02"}}
}

func endpoint(name string, attrs map[string]any) assay.Resource {
	return assay.Resource{Kind: "http.endpoint", ID: "https://" + name, Name: name, Attrs: attrs}
}

func invalidField(t *testing.T, err error) (string, string) {
	t.Helper()
	var e *assay.Error
	if !errors.As(err, &e) || e.Code != assay.EINVALID {
		t.Fatalf("err = %v, want an EINVALID assay error", err)
	}
	return e.Field, e.Message
}

func TestCompileReportsPosition(t *testing.T) {
	_, err := Compile(check("c", "k", "r.a && x", ""))
	field, msg := invalidField(t, err)
	if field != "expr" || !strings.Contains(msg, "line 1, column 8: undeclared reference to 'x'") {
		t.Fatalf("field %q message %q", field, msg)
	}
	_, err = Compile(check("c", "k", "r.a == 1 &&\n  r.b ==", ""))
	if _, msg := invalidField(t, err); !strings.Contains(msg, "line 2, column") {
		t.Fatalf("multi-line syntax error message %q", msg)
	}
	if _, err := Compile(check("c", "k", "   ", "")); err == nil {
		t.Fatal("empty expression compiled")
	}
}

func TestCompileRejectsNonBool(t *testing.T) {
	for _, expr := range []string{"1 + 2", "name", "'yes'", "[true]"} {
		_, err := Compile(check("c", "k", expr, ""))
		field, msg := invalidField(t, err)
		if field != "expr" || !strings.Contains(msg, "bool") {
			t.Fatalf("%s: field %q message %q", expr, field, msg)
		}
	}
	// A dyn expression compiles, but a non-bool value is an error, never a pass.
	p, err := Compile(check("c", "k", "r.port", ""))
	if err != nil {
		t.Fatal(err)
	}
	got := p.Eval(endpoint("a", map[string]any{"port": 443}))
	if got.Status != assay.CheckError || !strings.Contains(got.Reason, "not true or false") {
		t.Fatalf("result %+v", got)
	}
}

func TestCompileRejectsBadReasonTemplate(t *testing.T) {
	_, err := Compile(check("c", "k", "true", "TLS {{.Attrs.tls on {{.Name}}"))
	if field, _ := invalidField(t, err); field != "reason" {
		t.Fatalf("field %q", field)
	}
}

func TestEvalPassFailAndReason(t *testing.T) {
	p, err := Compile(check("http-tls", "http.endpoint", `r.tls_min >= 12 && name.startsWith("api")`,
		"TLS {{.Attrs.tls_min}} accepted on {{.Name}} ({{join .Attrs.protocols \", \"}})"))
	if err != nil {
		t.Fatal(err)
	}
	pass := p.Eval(endpoint("api.example.com:443", map[string]any{"tls_min": 13, "protocols": []any{"h2"}}))
	if pass.Status != assay.CheckPass || pass.Reason != "" || pass.ResourceName != "api.example.com:443" || pass.CheckID != "http-tls" {
		t.Fatalf("pass result %+v", pass)
	}
	fail := p.Eval(endpoint("api.example.com:443", map[string]any{"tls_min": 10, "protocols": []any{"tls1.0", "tls1.2"}}))
	want := "TLS 10 accepted on api.example.com:443 (tls1.0, tls1.2)"
	if fail.Status != assay.CheckFail || fail.Reason != want {
		t.Fatalf("fail result %+v, want reason %q", fail, want)
	}
}

func TestMissingAttributeIsErrorNotPass(t *testing.T) {
	p, err := Compile(check("c", "http.endpoint", "r.hsts_max_age >= 15552000", "short HSTS on {{.Name}}"))
	if err != nil {
		t.Fatal(err)
	}
	got := p.Eval(endpoint("web", map[string]any{"status": 200}))
	if got.Status != assay.CheckError || !strings.Contains(got.Reason, "hsts_max_age") || !strings.Contains(got.Reason, "web") {
		t.Fatalf("result %+v", got)
	}
	// has() lets a check treat the attribute as optional.
	p, err = Compile(check("c", "http.endpoint", "!has(r.hsts_max_age) || r.hsts_max_age >= 15552000", ""))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Eval(endpoint("web", nil)); got.Status != assay.CheckPass {
		t.Fatalf("result %+v", got)
	}
}

func TestCostLimitStopsRunawayExpression(t *testing.T) {
	p, err := Compile(check("c", "k", "r.items.all(a, r.items.all(b, r.items.exists(c, a + b + c >= 0)))", "{{.Name}}"))
	if err != nil {
		t.Fatal(err)
	}
	items := make([]any, 2000)
	for i := range items {
		items[i] = int64(i)
	}
	got := p.Eval(assay.Resource{Kind: "k", ID: "x", Name: "x", Attrs: map[string]any{"items": items}})
	if got.Status != assay.CheckError || !strings.Contains(got.Reason, "cost limit") {
		t.Fatalf("result %+v", got)
	}
	// The same expression over a small list is cheap and passes.
	got = p.Eval(assay.Resource{Kind: "k", ID: "x", Name: "x", Attrs: map[string]any{"items": items[:10]}})
	if got.Status != assay.CheckPass {
		t.Fatalf("small list result %+v", got)
	}
}

func TestCancelledContextInterrupts(t *testing.T) {
	p, err := Compile(check("c", "k", "r.items.exists(a, a < 0)", ""))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	items := make([]any, 1000)
	for i := range items {
		items[i] = int64(i)
	}
	got := p.EvalContext(ctx, assay.Resource{Kind: "k", ID: "x", Name: "x", Attrs: map[string]any{"items": items}})
	if got.Status != assay.CheckError {
		t.Fatalf("result %+v", got)
	}
}

func TestFloatNormalisation(t *testing.T) {
	var res assay.Resource
	doc := `{"kind":"host.sshd","id":"h1","name":"h1","attrs":{"port":22,"ratio":0.5,
		"nested":{"max_tries":3,"list":[1,2.5,{"deep":4}]}}}`
	if err := json.Unmarshal([]byte(doc), &res); err != nil {
		t.Fatal(err)
	}
	p, err := Compile(check("c", "host.sshd",
		`r.port == 22 && r.ratio == 0.5 && r.nested.max_tries == 3 && r.nested.list[0] == 1 && r.nested.list[1] == 2.5 && r.nested.list[2].deep == 4`, ""))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Eval(res); got.Status != assay.CheckPass {
		t.Fatalf("result %+v", got)
	}
	// The caller's map is left as it was.
	if _, ok := res.Attrs["port"].(float64); !ok {
		t.Fatalf("input changed: %T", res.Attrs["port"])
	}
	n := NormalizeAttrs(res.Attrs)
	if fmt.Sprintf("%T %T", n["port"], n["ratio"]) != "int64 float64" {
		t.Fatalf("normalised %T %T", n["port"], n["ratio"])
	}
	if NormalizeAttrs(nil) == nil {
		t.Fatal("nil attrs not made empty")
	}
}

func TestIDAndNameVariables(t *testing.T) {
	p, err := Compile(check("c", "k", `id == "i-1" && name.endsWith(".prod") && r.tags.exists(t, t.lowerAscii() == "pci")`, ""))
	if err != nil {
		t.Fatal(err)
	}
	res := assay.Resource{Kind: "k", ID: "i-1", Name: "db.prod", Attrs: map[string]any{"tags": []string{"PCI"}}}
	if got := p.Eval(res); got.Status != assay.CheckPass {
		t.Fatalf("result %+v", got)
	}
}

func TestReasonWithoutTemplateOrBadExecution(t *testing.T) {
	p, err := Compile(check("c", "k", "false", ""))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Eval(assay.Resource{Kind: "k", ID: "1", Name: "box"}); got.Reason != "c failed on box" {
		t.Fatalf("reason %q", got.Reason)
	}
	p, err = Compile(check("c", "k", "false", "{{.Attrs.x.y}} on {{.Name}}"))
	if err != nil {
		t.Fatal(err)
	}
	got := p.Eval(assay.Resource{Kind: "k", ID: "1", Name: "box", Attrs: map[string]any{"x": 3}})
	if got.Status != assay.CheckFail || !strings.Contains(got.Reason, "box") {
		t.Fatalf("result %+v", got)
	}
}

// Heavy library functions run under the cost limit even without a
// comprehension; plain comparisons skip the tracking.
func TestCostTrackingChoice(t *testing.T) {
	heavy, err := Compile(check("c", "k", "sets.contains(lists.range(5000), lists.range(5000).map(x, x))", ""))
	if err != nil {
		t.Fatal(err)
	}
	if !heavy.tracked {
		t.Fatal("comprehension not tracked")
	}
	if got := heavy.Eval(assay.Resource{Kind: "k", ID: "x", Name: "x"}); got.Status != assay.CheckError || !strings.Contains(got.Reason, "cost limit") {
		t.Fatalf("result %+v", got)
	}
	heavy, err = Compile(check("c", "k", "sets.intersects(lists.range(9000), [9001])", ""))
	if err != nil {
		t.Fatal(err)
	}
	if !heavy.tracked {
		t.Fatal("sets.intersects not tracked")
	}
	plain, err := Compile(check("c", "k", `r.port == 22 && name.startsWith("a")`, ""))
	if err != nil {
		t.Fatal(err)
	}
	if plain.tracked {
		t.Fatal("plain comparison tracked")
	}
	if got := heavy.Eval(assay.Resource{Kind: "k", ID: "x", Name: "x"}); got.Status != assay.CheckFail {
		t.Fatalf("result %+v", got)
	}
}
