package monitor

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

// Sweep benchmarks: 100,000 synthetic resources, each judged by 100 checks
// (10 predicate shapes x 10 variants: comparisons, has(), string
// functions, list exists/all, membership), so one sweep is 10,000,000
// evaluations. BenchmarkPlainGo runs the same predicates written by hand
// in Go over the same maps: the floor.
//
//	go test ./monitor -run '^$' -bench 'Sweep|PlainGo' -benchtime 3x -benchmem

const (
	benchResources = 100_000
	benchVariants  = 10
	benchKind      = "bench.endpoint"
)

// benchExprs are the 10 predicate shapes; %d is the variant 0..9.
var benchExprs = []string{
	`r.tls_min >= %d`,
	`r.hsts && r.hsts_max_age >= 15552000 - %d`,
	`!has(r.legacy_port) || r.legacy_port != 23 + %d`,
	`!r.server.contains("/1.%d")`,
	`!r.protocols.exists(p, p == "tls1.%d")`,
	`r.days_left >= %d * 5`,
	`r.rules.all(x, x.cidr != "0.0.0.0/0" || x.port == 440 + %d)`,
	`has(r.tags.owner) && r.tags.owner != "team%d"`,
	`r.encrypted && r.kms_key.startsWith("arn:") && r.region != "region-%d"`,
	`size(r.admins) <= 3 && !("user%d" in r.admins)`,
}

func benchChecks() []assay.Check {
	var out []assay.Check
	for s, expr := range benchExprs {
		for v := range benchVariants {
			out = append(out, assay.Check{
				ID: fmt.Sprintf("bench-%d-%d", s, v), Title: "bench", Kind: benchKind,
				Expr: fmt.Sprintf(expr, v), Severity: assay.SeverityLow,
				Reason: "{{.Name}} failed with TLS {{.Attrs.tls_min}}", Controls: []string{"MON-01"},
			})
		}
	}
	return out
}

// benchResource makes resource i; about one check in five fails somewhere.
func benchResource(i int) assay.Resource {
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
			map[string]any{"cidr": "192.168.0.0/16", "port": int64(5432)},
		},
		"tags":      map[string]any{"owner": fmt.Sprintf("team%d", i%13), "env": "prod"},
		"encrypted": i%11 != 0,
		"kms_key":   "arn:aws:kms:eu-west-1:1:key/" + fmt.Sprint(i),
		"region":    fmt.Sprintf("region-%d", i%15),
		"admins":    []any{"alice", fmt.Sprintf("user%d", i%20)},
	}
	if i%6 == 0 {
		attrs["legacy_port"] = int64(23 + i%10)
	}
	name := fmt.Sprintf("svc-%06d.example.com:443", i)
	return assay.Resource{Kind: benchKind, ID: "https://" + name, Name: name, Attrs: attrs}
}

func benchResourceSet(n int) []assay.Resource {
	out := make([]assay.Resource, n)
	for i := range out {
		out[i] = benchResource(i)
	}
	return out
}

// BenchmarkSweep/all-apply: every one of the 100 checks judges every one
// of the 100,000 resources (10,000,000 evaluations, the worst case).
// BenchmarkSweep/by-kind: the same 100 checks spread over 10 resource
// kinds (10 per kind) and the 100,000 resources over those kinds, as a
// real library is (1,000,000 evaluations).
func BenchmarkSweep(b *testing.B) {
	b.Run("all-apply", func(b *testing.B) { benchSweep(b, 1) })
	b.Run("by-kind", func(b *testing.B) { benchSweep(b, 10) })
}

func benchSweep(b *testing.B, kinds int) {
	checks := benchChecks()
	resources := benchResourceSet(benchResources)
	if kinds > 1 {
		for i := range checks {
			checks[i].Kind = fmt.Sprintf("%s.%d", benchKind, i%kinds)
		}
		for i := range resources {
			resources[i].Kind = fmt.Sprintf("%s.%d", benchKind, i%kinds)
		}
	}
	e, err := NewEngine(checks)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var results []assay.CheckResult
	cpu0 := cpuTime()
	for b.Loop() {
		results = e.Evaluate(ctx, resources)
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	evals := float64(len(results))
	if evals != benchResources*float64(len(benchExprs)*benchVariants/kinds) {
		b.Fatalf("%v results", evals)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/evals, "ns/eval")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/sweep")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/evals, "cpu-ns/eval")
	b.ReportMetric(float64(countStatus(results, assay.CheckFail))/evals*100, "%fail")
	if n := countStatus(results, assay.CheckError); n > 0 {
		b.Fatalf("%d error results", n)
	}
}

// cpuTime is the CPU time the process has used (user and system, GC
// included): unlike wall time it does not count waiting for a core that
// another process holds.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func countStatus(results []assay.CheckResult, s assay.CheckStatus) int {
	n := 0
	for _, r := range results {
		if r.Status == s {
			n++
		}
	}
	return n
}

// plainPredicates are benchExprs written in Go, over the same maps.
func plainPredicates() []func(a map[string]any) bool {
	var out []func(a map[string]any) bool
	for s := range benchExprs {
		for v := range benchVariants {
			v64 := int64(v)
			var f func(a map[string]any) bool
			switch s {
			case 0:
				f = func(a map[string]any) bool { return a["tls_min"].(int64) >= v64 }
			case 1:
				f = func(a map[string]any) bool { return a["hsts"].(bool) && a["hsts_max_age"].(int64) >= 15552000-v64 }
			case 2:
				f = func(a map[string]any) bool { p, ok := a["legacy_port"]; return !ok || p.(int64) != 23+v64 }
			case 3:
				sub := fmt.Sprintf("/1.%d", v)
				f = func(a map[string]any) bool { return !strings.Contains(a["server"].(string), sub) }
			case 4:
				want := fmt.Sprintf("tls1.%d", v)
				f = func(a map[string]any) bool { return !slices.Contains(a["protocols"].([]any), any(want)) }
			case 5:
				f = func(a map[string]any) bool { return a["days_left"].(int64) >= v64*5 }
			case 6:
				f = func(a map[string]any) bool {
					for _, x := range a["rules"].([]any) {
						m := x.(map[string]any)
						if m["cidr"].(string) == "0.0.0.0/0" && m["port"].(int64) != 440+v64 {
							return false
						}
					}
					return true
				}
			case 7:
				team := fmt.Sprintf("team%d", v)
				f = func(a map[string]any) bool {
					o, ok := a["tags"].(map[string]any)["owner"]
					return ok && o.(string) != team
				}
			case 8:
				region := fmt.Sprintf("region-%d", v)
				f = func(a map[string]any) bool {
					return a["encrypted"].(bool) && strings.HasPrefix(a["kms_key"].(string), "arn:") && a["region"].(string) != region
				}
			case 9:
				user := fmt.Sprintf("user%d", v)
				f = func(a map[string]any) bool {
					l := a["admins"].([]any)
					return len(l) <= 3 && !slices.Contains(l, any(user))
				}
			}
			out = append(out, f)
		}
	}
	return out
}

// BenchmarkPlainGo is the all-apply sweep with hand-written predicates:
// same resources, a fresh result slice per sweep like Evaluate, on one
// goroutine.
func BenchmarkPlainGo(b *testing.B) {
	preds := plainPredicates()
	checks := benchChecks()
	resources := benchResourceSet(benchResources)
	var results []assay.CheckResult
	cpu0 := cpuTime()
	for b.Loop() {
		results = make([]assay.CheckResult, len(resources)*len(preds))
		k := 0
		for i := range resources {
			res := &resources[i]
			for j, f := range preds {
				r := assay.CheckResult{CheckID: checks[j].ID, ResourceKind: res.Kind, ResourceID: res.ID, ResourceName: res.Name, Status: assay.CheckPass}
				if !f(res.Attrs) {
					r.Status = assay.CheckFail
					r.Reason = res.Name + " failed"
				}
				results[k] = r
				k++
			}
		}
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(results)), "ns/eval")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/float64(len(results)), "cpu-ns/eval")
	b.ReportMetric(float64(countStatus(results, assay.CheckFail))/float64(len(results))*100, "%fail")
}

// The plain Go predicates and the CEL checks must agree, or the floor
// measures something else.
func TestBenchPredicatesAgree(t *testing.T) {
	e, err := NewEngine(benchChecks())
	if err != nil {
		t.Fatal(err)
	}
	preds := plainPredicates()
	resources := benchResourceSet(500)
	results := e.Evaluate(context.Background(), resources)
	for i, res := range resources {
		for j, f := range preds {
			got := results[i*len(preds)+j]
			if want := f(res.Attrs); (got.Status == assay.CheckPass) != want || got.Status == assay.CheckError {
				t.Fatalf("resource %d check %s: CEL %s (%s), Go %v", i, got.CheckID, got.Status, got.Reason, want)
			}
		}
	}
}
