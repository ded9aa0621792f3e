package collect

import (
	"slices"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor/collect/devices"
)

// Every source kind has a collector that says it serves that kind, and
// every resource kind belongs to one source kind, except the kinds shared
// on purpose so that one set of checks judges them all (a "device" comes
// from Fleet or from any MDM's export).
func TestRegistry(t *testing.T) {
	if got := Kinds(); !slices.Equal(got, slices.Sorted(slices.Values(assay.SourceKinds))) {
		t.Fatalf("kinds with a collector %v, want %v", got, assay.SourceKinds)
	}
	owner := map[string]string{}
	shared := map[string]bool{devices.KindDevice: true}
	for _, kind := range Kinds() {
		c, ok := ByKind(kind, assay.SystemClock{})
		if !ok || c.Kind() != kind {
			t.Fatalf("ByKind(%q) = %v, %v", kind, c, ok)
		}
		if len(c.ResourceKinds()) == 0 {
			t.Fatalf("%s collector produces no resource kinds", kind)
		}
		for _, rk := range c.ResourceKinds() {
			if o, dup := owner[rk]; dup && !shared[rk] {
				t.Fatalf("resource kind %s produced by both %s and %s", rk, o, kind)
			}
			owner[rk] = kind
		}
		if IsFileKind(kind) != slices.Contains(assay.FileSourceKinds, kind) {
			t.Fatalf("%s: file kind lists disagree", kind)
		}
	}
	if _, ok := ByKind("nope", assay.SystemClock{}); ok {
		t.Fatal("unknown kind found")
	}
}
