// Package opabench compares Assay's CEL check engine with OPA/Rego on the
// same 10 checks over the same resources. It is a separate module so the
// product never depends on OPA:
//
//	cd bench/opa && go test -run '^$' -bench . -cpu 1 -benchtime 3x
//
// Both sides evaluate each check on each resource separately (one result
// per pair, as the monitoring engine does) and convert a resource's input
// once for all its checks. -cpu 1 compares one core with one core.
package opabench

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
)

const nResources = 20_000

// celChecks and regoModule state the same 10 predicates.
var celChecks = []string{
	`r.tls_min >= 12`,
	`r.hsts && r.hsts_max_age >= 15552000`,
	`!has(r.legacy_port) || r.legacy_port != 23`,
	`!r.server.contains("/1.21")`,
	`!r.protocols.exists(p, p == "tls1.0")`,
	`r.days_left >= 30`,
	`r.rules.all(x, x.cidr != "0.0.0.0/0" || x.port == 443)`,
	`has(r.tags.owner) && r.tags.owner != "team0"`,
	`r.encrypted && r.kms_key.startsWith("arn:") && r.region != "region-0"`,
	`size(r.admins) <= 3 && !("user0" in r.admins)`,
}

const regoModule = `package bench

default c0 := false
default c1 := false
default c2 := false
default c3 := false
default c4 := false
default c5 := false
default c6 := false
default c7 := false
default c8 := false
default c9 := false

c0 if input.tls_min >= 12

c1 if {
	input.hsts == true
	input.hsts_max_age >= 15552000
}

c2 if not input.legacy_port
c2 if input.legacy_port != 23

c3 if not contains(input.server, "/1.21")

old_protocol if {
	some p in input.protocols
	p == "tls1.0"
}
c4 if not old_protocol

rule_ok(x) if x.cidr != "0.0.0.0/0"
rule_ok(x) if x.port == 443
c6 if every x in input.rules { rule_ok(x) }

c5 if input.days_left >= 30

c7 if input.tags.owner != "team0"

c8 if {
	input.encrypted == true
	startswith(input.kms_key, "arn:")
	input.region != "region-0"
}

c9 if {
	count(input.admins) <= 3
	not "user0" in input.admins
}
`

func resource(i int) assay.Resource {
	attrs := map[string]any{
		"tls_min":      int64(10 + i%4),
		"hsts":         i%7 != 0,
		"hsts_max_age": int64(15552000 - i%9*1000),
		"server":       fmt.Sprintf("nginx/1.%d.%d", 20+i%8, i%3),
		"protocols":    []any{"tls1.2", "tls1.3", fmt.Sprintf("tls1.%d", i%5)},
		"days_left":    int64(i % 90),
		"rules": []any{
			map[string]any{"cidr": "10.0.0.0/8", "port": int64(22)},
			map[string]any{"cidr": "0.0.0.0/0", "port": int64(440 + i%12)},
		},
		"tags":      map[string]any{"owner": fmt.Sprintf("team%d", i%13), "env": "prod"},
		"encrypted": i%11 != 0,
		"kms_key":   "arn:aws:kms:eu-west-1:1:key/" + fmt.Sprint(i),
		"region":    fmt.Sprintf("region-%d", i%15),
		"admins":    []any{"alice", fmt.Sprintf("user%d", i%20)},
	}
	if i%6 == 0 {
		attrs["legacy_port"] = int64(23 + i%2)
	}
	name := fmt.Sprintf("svc-%06d.example.com:443", i)
	return assay.Resource{Kind: "bench.endpoint", ID: "https://" + name, Name: name, Attrs: attrs}
}

func resources() []assay.Resource {
	out := make([]assay.Resource, nResources)
	for i := range out {
		out[i] = resource(i)
	}
	return out
}

func celEngine(tb testing.TB) *monitor.Engine {
	var checks []assay.Check
	for i, expr := range celChecks {
		checks = append(checks, assay.Check{ID: fmt.Sprintf("c%d", i), Title: "c", Kind: "bench.endpoint", Expr: expr,
			Severity: assay.SeverityLow, Reason: "{{.Name}} fails", Controls: []string{"MON-01"}})
	}
	e, err := monitor.NewEngine(checks)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

func regoQueries(tb testing.TB) []rego.PreparedEvalQuery {
	ctx := context.Background()
	var out []rego.PreparedEvalQuery
	for i := range celChecks {
		q, err := rego.New(
			rego.Query(fmt.Sprintf("data.bench.c%d", i)),
			rego.Module("bench.rego", regoModule),
		).PrepareForEval(ctx)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, q)
	}
	return out
}

// regoEval judges every resource with every query; true = pass.
func regoEval(tb testing.TB, queries []rego.PreparedEvalQuery, res []assay.Resource) []bool {
	ctx := context.Background()
	out := make([]bool, 0, len(res)*len(queries))
	for _, r := range res {
		input, err := ast.InterfaceToValue(r.Attrs)
		if err != nil {
			tb.Fatal(err)
		}
		for _, q := range queries {
			rs, err := q.Eval(ctx, rego.EvalParsedInput(input))
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, len(rs) == 1 && rs[0].Expressions[0].Value == true)
		}
	}
	return out
}

// The two engines must agree on every pair, or the ratio compares
// different work.
func TestCELAndRegoAgree(t *testing.T) {
	res := resources()[:600]
	got := regoEval(t, regoQueries(t), res)
	results := celEngine(t).Evaluate(context.Background(), res)
	fails := 0
	for i, r := range results {
		if r.Status == assay.CheckError {
			t.Fatalf("%s on %s: %s", r.CheckID, r.ResourceID, r.Reason)
		}
		if (r.Status == assay.CheckPass) != got[i] {
			t.Fatalf("%s on %s: CEL %s, Rego pass=%v", r.CheckID, r.ResourceID, r.Status, got[i])
		}
		if !got[i] {
			fails++
		}
	}
	if fails == 0 || fails == len(got) {
		t.Fatalf("%d of %d fail: the data does not exercise both outcomes", fails, len(got))
	}
}

func BenchmarkCEL(b *testing.B) {
	e := celEngine(b)
	res := resources()
	var n int
	cpu0 := cpuTime()
	for b.Loop() {
		n = len(e.Evaluate(context.Background(), res))
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/eval")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/eval")
}

func BenchmarkRego(b *testing.B) {
	queries := regoQueries(b)
	res := resources()
	var n int
	cpu0 := cpuTime()
	for b.Loop() {
		n = len(regoEval(b, queries, res))
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/eval")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/eval")
}

// cpuTime is the CPU time the process has used, GC included; unlike wall
// time it does not count waiting for a core another process holds.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
