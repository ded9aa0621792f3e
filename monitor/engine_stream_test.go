package monitor

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/assay-platform/assay"
)

func streamResources(n int) []assay.Resource {
	var resources []assay.Resource
	for i := range n {
		switch {
		case i%3 == 0:
			resources = append(resources, assay.Resource{Kind: "host.sshd", ID: fmt.Sprint("h", i), Name: fmt.Sprint("h", i),
				Attrs: map[string]any{"permit_root": i%2 == 0}})
		case i%7 == 0:
			resources = append(resources, assay.Resource{Kind: "unknown.kind", ID: fmt.Sprint("u", i)})
		default:
			resources = append(resources, endpoint(fmt.Sprint("e", i), map[string]any{"tls_min": i % 14, "hsts": i%5 != 0}))
		}
	}
	return resources
}

// collect runs EvaluateEach and returns what fn was handed, one slice per
// call, copied.
func collect(t *testing.T, e *Engine, resources []assay.Resource) [][]assay.CheckResult {
	t.Helper()
	var calls [][]assay.CheckResult
	err := e.EvaluateEach(context.Background(), resources, func(rs []assay.CheckResult) error {
		calls = append(calls, slices.Clone(rs))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return calls
}

// EvaluateEach hands over exactly Evaluate's results, one resource per
// call, in the same order, on one worker or several.
func TestEvaluateEachMatchesEvaluate(t *testing.T) {
	e, err := NewEngine(sweepChecks())
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 1, 10, 20000} {
		resources := streamResources(n)
		want := e.Evaluate(context.Background(), resources)
		var got []assay.CheckResult
		for _, call := range collect(t, e, resources) {
			if len(call) == 0 {
				t.Fatalf("n=%d: an empty call", n)
			}
			for _, r := range call {
				if r.ResourceID != call[0].ResourceID {
					t.Fatalf("n=%d: one call holds %q and %q", n, call[0].ResourceID, r.ResourceID)
				}
			}
			got = append(got, call...)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("n=%d: %d streamed results differ from Evaluate's %d", n, len(got), len(want))
		}
	}
}

// Resources of two kinds that share an id come in one call, in the order
// the id first appeared.
func TestEvaluateEachGroupsSharedIDs(t *testing.T) {
	e, err := NewEngine(sweepChecks())
	if err != nil {
		t.Fatal(err)
	}
	resources := streamResources(3000)
	shared := assay.Resource{Kind: "host.sshd", ID: resources[1].ID, Name: "same", Attrs: map[string]any{"permit_root": true}}
	resources = append(resources, shared)
	calls := collect(t, e, resources)
	seen := map[string]bool{}
	for _, call := range calls {
		id := call[0].ResourceID
		if seen[id] {
			t.Fatalf("resource %q came in two calls", id)
		}
		seen[id] = true
		if id == shared.ID {
			if len(call) != 3 || call[2].CheckID != "ssh-root" || call[2].Status != assay.CheckFail {
				t.Fatalf("shared id: %+v", call)
			}
		}
	}
	if calls[1][0].ResourceID != shared.ID {
		t.Fatalf("the shared id moved: second call is %q", calls[1][0].ResourceID)
	}
}

// An error from fn, or a cancelled context, stops the sweep and is
// returned.
func TestEvaluateEachStops(t *testing.T) {
	e, err := NewEngine(sweepChecks())
	if err != nil {
		t.Fatal(err)
	}
	resources := streamResources(20000)
	stop := errors.New("stop")
	calls := 0
	err = e.EvaluateEach(context.Background(), resources, func([]assay.CheckResult) error {
		calls++
		if calls == 100 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 100 {
		t.Fatalf("err %v after %d calls", err, calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	calls = 0
	err = e.EvaluateEach(ctx, resources, func([]assay.CheckResult) error {
		calls++
		if calls == 10 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || calls >= 2000 {
		t.Fatalf("cancelled: err %v after %d calls", err, calls)
	}
}
