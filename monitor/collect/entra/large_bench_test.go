package entra

import (
	"context"
	"fmt"
	"testing"

	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

// BenchmarkLargeTenant reads a tenant of 20,000 users and their MFA
// registration details, 999 a page, through a real HTTP server: time per
// collection and the peak heap it used.
func BenchmarkLargeTenant(b *testing.B) {
	f := example(b)
	f.pageSize = 999
	f.users, f.regs = nil, nil
	for i := range 20_000 {
		id := fmt.Sprintf("u%05d", i)
		f.users = append(f.users, map[string]any{"id": id, "userPrincipalName": id + "@contoso.com", "mail": id + "@contoso.com", "accountEnabled": i%40 != 0,
			"userType": "Member", "createdDateTime": "2021-01-01T00:00:00Z", "signInActivity": map[string]any{"lastSignInDateTime": "2026-12-01T09:00:00Z"}})
		f.regs = append(f.regs, map[string]any{"id": id, "isMfaRegistered": i%8 != 0, "isMfaCapable": i%8 != 0, "methodsRegistered": []string{"microsoftAuthenticatorPush"}})
	}
	var peak uint64
	for b.Loop() {
		p := collecttest.PeakHeap(func() {
			res, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), config(f))
			if err != nil || len(res) != 20_000+2 {
				b.Fatalf("%d resources, %v", len(res), err)
			}
		})
		peak = max(peak, p)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
}
