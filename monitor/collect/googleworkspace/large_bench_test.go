package googleworkspace

import (
	"context"
	"fmt"
	"testing"

	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

// BenchmarkLargeAccount reads an account of 20,000 users, 500 a page as
// the Directory API serves them, through the real SDK and a real HTTP
// server: time per collection and the peak heap it used.
func BenchmarkLargeAccount(b *testing.B) {
	f := example(b)
	f.pageSize = pageSize
	f.users = nil
	for i := range 20_000 {
		f.users = append(f.users, map[string]any{"kind": "admin#directory#user", "id": fmt.Sprint(1000 + i), "primaryEmail": fmt.Sprintf("user%05d@example.com", i),
			"isAdmin": i%5000 == 0, "suspended": i%50 == 0, "isEnrolledIn2Sv": i%7 != 0, "isEnforcedIn2Sv": i%9 != 0,
			"lastLoginTime": "2026-12-01T09:00:00.000Z", "creationTime": "2021-01-01T00:00:00.000Z", "name": map[string]any{"fullName": "User"}, "orgUnitPath": "/"})
	}
	var peak uint64
	for b.Loop() {
		p := collecttest.PeakHeap(func() {
			res, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), config(f))
			if err != nil || len(res) != 20_000+3 {
				b.Fatalf("%d resources, %v", len(res), err)
			}
		})
		peak = max(peak, p)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
}
