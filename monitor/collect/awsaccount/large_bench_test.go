package awsaccount

import (
	"context"
	"fmt"
	"testing"

	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

// BenchmarkLargeAccount reads an account of 5,000 IAM users (a third with
// an active key) and 2,000 buckets, IAM's 1,000 users a page and S3's
// 1,000 buckets a page, one region, through the real SDK (SigV4 signing,
// XML and JSON parsing) and a real HTTP server: time per collection and
// the peak heap it used.
func BenchmarkLargeAccount(b *testing.B) {
	f := example(b)
	f.pageSize = 1000
	a := f.accounts[mainAccount]
	a.users, a.buckets = nil, nil
	for i := range 5_000 {
		u := fakeUser{name: fmt.Sprintf("user%04d", i), created: ago(400), passwordUsed: ago(i % 120), console: i%2 == 0, mfa: i % 3}
		if i%3 == 0 {
			u.keys = []fakeKey{{id: fmt.Sprintf("AKIABENCH%011d", i), status: "Active", created: ago(i % 200), lastUsed: ago(1)}}
		}
		a.users = append(a.users, u)
	}
	for i := range 2_000 {
		a.buckets = append(a.buckets, fakeBucket{name: fmt.Sprintf("bucket-%04d", i), region: "us-east-1", pab: &[4]bool{true, true, true, i%10 != 0},
			sse: "AES256", versioning: "Enabled"})
	}
	cfg := monitor.Config{Settings: map[string]string{SettingEndpoint: f.srv.URL}, Secrets: map[string]string{SecretAccessKeyID: testKeyID, SecretSecretKey: testSecret}}
	want := 5_000 + 1 + 2_000 + 1 + 3 + 3 + 3 + 1 // users, account, buckets; us-east-1's trail, databases, groups, keys and GuardDuty
	var peak uint64
	for b.Loop() {
		p := collecttest.PeakHeap(func() {
			res, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), cfg)
			if err != nil || len(res) != want {
				b.Fatalf("%d resources, %v", len(res), err)
			}
		})
		peak = max(peak, p)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
	b.ReportMetric(float64(f.count(""))/float64(b.N), "requests/op")
}
