package monitor

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

func sweepChecks() []assay.Check {
	return []assay.Check{
		check("http-tls", "http.endpoint", "r.tls_min >= 12", "TLS {{.Attrs.tls_min}} on {{.Name}}"),
		check("ssh-root", "host.sshd", "!r.permit_root", "root login on {{.Name}}"),
		check("http-hsts", "http.endpoint", "r.hsts", "no HSTS on {{.Name}}"),
	}
}

func TestEngineEvaluatesByKindInOrder(t *testing.T) {
	e, err := NewEngine(sweepChecks())
	if err != nil {
		t.Fatal(err)
	}
	resources := []assay.Resource{
		endpoint("a", map[string]any{"tls_min": 13, "hsts": false}),
		{Kind: "host.sshd", ID: "h1", Name: "h1", Attrs: map[string]any{"permit_root": true}},
		{Kind: "unknown.kind", ID: "u", Name: "u"},
		endpoint("b", map[string]any{"tls_min": 10.0, "hsts": true}),
	}
	got := e.Evaluate(context.Background(), resources)
	var lines []string
	for _, r := range got {
		lines = append(lines, fmt.Sprintf("%s %s %s %q", r.CheckID, r.ResourceID, r.Status, r.Reason))
	}
	want := []string{
		`http-tls https://a pass ""`,
		`http-hsts https://a fail "no HSTS on a"`,
		`ssh-root h1 fail "root login on h1"`,
		`http-tls https://b fail "TLS 10 on b"`,
		`http-hsts https://b pass ""`,
	}
	if !slices.Equal(lines, want) {
		t.Fatalf("results\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

// A big sweep runs on several workers; its results must be exactly those
// of evaluating each resource on its own, in the same order.
func TestEngineParallelSweepIsDeterministic(t *testing.T) {
	e, err := NewEngine(sweepChecks())
	if err != nil {
		t.Fatal(err)
	}
	var resources []assay.Resource
	for i := range 5000 {
		if i%3 == 0 {
			resources = append(resources, assay.Resource{Kind: "host.sshd", ID: fmt.Sprint("h", i), Name: fmt.Sprint("h", i),
				Attrs: map[string]any{"permit_root": i%2 == 0}})
			continue
		}
		resources = append(resources, endpoint(fmt.Sprint("e", i), map[string]any{"tls_min": i % 14, "hsts": i%5 != 0}))
	}
	got := e.Evaluate(context.Background(), resources)
	var want []assay.CheckResult
	for _, r := range resources {
		for _, c := range e.ChecksOf(r.Kind) {
			p, _ := e.Program(c.ID)
			want = append(want, p.Eval(r))
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("parallel sweep differs from one-by-one evaluation (%d vs %d results)", len(got), len(want))
	}
	fails := 0
	for _, r := range got {
		if r.Status == assay.CheckFail {
			fails++
		}
	}
	if fails == 0 || fails == len(got) {
		t.Fatalf("%d fails of %d: the data does not exercise both outcomes", fails, len(got))
	}
}

func TestEngineCancelledSweepYieldsErrors(t *testing.T) {
	e, err := NewEngine(sweepChecks())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got := e.Evaluate(ctx, []assay.Resource{endpoint("a", map[string]any{"tls_min": 13, "hsts": true})})
	if len(got) != 2 {
		t.Fatalf("%d results", len(got))
	}
	for _, r := range got {
		if r.Status != assay.CheckError || !strings.Contains(r.Reason, "a") {
			t.Fatalf("result %+v", r)
		}
	}
}

func TestNewEngineRejectsBadChecks(t *testing.T) {
	_, err := NewEngine(append(sweepChecks(), check("http-tls", "http.endpoint", "true", "")))
	if err == nil || !strings.Contains(err.Error(), `"http-tls": duplicate id`) {
		t.Fatalf("err = %v", err)
	}
	_, err = NewEngine([]assay.Check{check("bad", "k", "r.a ==", "")})
	if err == nil || !strings.Contains(err.Error(), `"bad"`) || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("err = %v", err)
	}
}

func TestEngineLookups(t *testing.T) {
	e, err := NewEngine(sweepChecks())
	if err != nil {
		t.Fatal(err)
	}
	if got := e.KindsOf(); !slices.Equal(got, []string{"host.sshd", "http.endpoint"}) {
		t.Fatalf("KindsOf() = %v", got)
	}
	if got := e.KindsOf("ssh-root", "nope"); !slices.Equal(got, []string{"host.sshd"}) {
		t.Fatalf("KindsOf(ssh-root) = %v", got)
	}
	if got := e.ChecksOf("http.endpoint"); len(got) != 2 || got[0].ID != "http-tls" || got[1].ID != "http-hsts" {
		t.Fatalf("ChecksOf = %+v", got)
	}
	if got := e.Checks(); len(got) != 3 || got[1].ID != "ssh-root" {
		t.Fatalf("Checks = %+v", got)
	}
	errs := e.ErrorResults([]string{"http.endpoint"}, "collector timed out after 30s")
	if len(errs) != 2 || errs[0].Status != assay.CheckError || errs[0].ResourceID != "" || errs[1].Reason != "collector timed out after 30s" {
		t.Fatalf("ErrorResults = %+v", errs)
	}
}
