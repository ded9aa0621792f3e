package monitor

import (
	"context"
	"fmt"
	"testing"

	"github.com/assay-platform/assay"
)

// For checks that iterate (custom checks do; the library's do not), the
// untracked program gives exactly the tracked one's result on every
// resource within the bound, failures and evaluation errors included.
func TestStaticBoundAgreesWithTracking(t *testing.T) {
	exprs := []string{
		`r.rules.all(x, x.cidr != "0.0.0.0/0" || x.port == 443)`,
		`r.protocols.exists(p, p == "tls1.0")`,
		`r.rules.filter(x, x.port < 1024).size() <= 2`,
		`r.protocols.map(p, p.upperAscii()).exists_one(p, p == "TLS1.3")`,
		`r.rules.all(x, x.port > r.min_port)`, // min_port is missing on some: an error
	}
	var resources []assay.Resource
	for i := range 40 {
		rules := []any{}
		for j := range i % 6 {
			cidr := "10.0.0.0/8"
			if (i+j)%5 == 0 {
				cidr = "0.0.0.0/0"
			}
			rules = append(rules, map[string]any{"cidr": cidr, "port": int64(20 + (i*j)%500)})
		}
		attrs := map[string]any{"rules": rules, "protocols": []any{"tls1.2", "tls1.3", fmt.Sprintf("tls1.%d", i%4)}}
		if i%3 != 0 {
			attrs["min_port"] = int64(10 + i)
		}
		resources = append(resources, assay.Resource{Kind: "k", ID: fmt.Sprint(i), Name: fmt.Sprintf("res-%d", i), Attrs: attrs})
	}
	seen := map[assay.CheckStatus]int{}
	for n, expr := range exprs {
		p, err := Compile(check(fmt.Sprintf("c%d", n), "k", expr, "{{.Name}} fails"))
		if err != nil {
			t.Fatal(err)
		}
		if !p.tracked || p.untracked == nil || p.safeSize < 64 {
			t.Fatalf("%s: tracked %v, bound %d", expr, p.tracked, p.safeSize)
		}
		for _, res := range resources {
			res.Attrs = NormalizeAttrs(res.Attrs)
			act := &activation{attrs: res.Attrs, id: res.ID, name: res.Name, size: resourceSize(&res)}
			fast := p.eval(context.Background(), &res, act)
			act.size = p.safeSize + 1 // force the tracked program
			slow := p.eval(context.Background(), &res, act)
			if fast != slow {
				t.Errorf("%s on %s: untracked %+v, tracked %+v", expr, res.ID, fast, slow)
			}
			seen[fast.Status]++
		}
	}
	if seen[assay.CheckPass] == 0 || seen[assay.CheckFail] == 0 || seen[assay.CheckError] == 0 {
		t.Fatalf("the cases do not cover pass, fail and error: %v", seen)
	}
}

// The bound shrinks as expressions nest: one loop allows big lists, three
// nested loops only small ones, and a big list always goes back to the
// tracked program, which stops it at the cost limit.
func TestStaticBoundBySize(t *testing.T) {
	one, err := Compile(check("one", "k", "r.items.exists(a, a < 0)", ""))
	if err != nil {
		t.Fatal(err)
	}
	three, err := Compile(check("three", "k", "r.items.all(a, r.items.all(b, r.items.exists(c, a + b + c >= 0)))", "{{.Name}}"))
	if err != nil {
		t.Fatal(err)
	}
	if one.safeSize < 10_000 || three.safeSize == 0 || three.safeSize > 100 {
		t.Fatalf("bounds: one loop %d, three nested %d", one.safeSize, three.safeSize)
	}
	heavy, err := Compile(check("heavy", "k", "sets.contains(r.items, [1])", ""))
	if err != nil {
		t.Fatal(err)
	}
	if heavy.untracked != nil {
		t.Fatal("a check calling sets.contains skips the tracker")
	}
	if got := valueSize(map[string]any{"a": []any{"xy", map[string]any{"long-key": int64(1)}}, "s": "abc"}); got != 8 {
		t.Fatalf("valueSize = %d, want 8 (the longest key)", got)
	}
	items := make([]any, three.safeSize*4)
	for i := range items {
		items[i] = int64(i)
	}
	res := assay.Resource{Kind: "k", ID: "x", Name: "x", Attrs: map[string]any{"items": items}}
	if got := three.Eval(res); got.Status != assay.CheckPass {
		t.Fatalf("four times the bound, under the limit: %+v", got)
	}
}
