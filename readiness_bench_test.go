package assay_test

import (
	"fmt"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/internal/clocktest"
)

// BenchmarkReadiness1000Controls computes readiness over the 61 criteria
// for an organisation with 1,000 controls, all categories in scope.
func BenchmarkReadiness1000Controls(b *testing.B) {
	criteria := catalog.MustDefault().DomainCriteria()
	controls := make([]assay.Control, 1000)
	statuses := assay.ControlStatuses
	for i := range controls {
		controls[i] = assay.Control{ID: fmt.Sprintf("C-%04d", i), Name: "control", OwnerRole: "Security lead",
			Status:   statuses[i%len(statuses)],
			Criteria: []string{criteria[i%61].ID, criteria[(i*7)%61].ID, criteria[(i*13)%61].ID}}
	}
	scope := assay.Scope{Categories: assay.Categories}
	now := clocktest.Now()
	b.ReportAllocs()
	for b.Loop() {
		rd := assay.ReadinessRule{}.Compute(now, criteria, scope, controls)
		if rd.Overall.Total != 61 {
			b.Fatal(rd.Overall)
		}
	}
}
