package devices

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

// BenchmarkLargeFleet reads 20,000 hosts, 500 a page, through a real HTTP
// server, joined to the roster: time per collection and peak heap.
func BenchmarkLargeFleet(b *testing.B) {
	f := exampleFleet(b)
	f.hosts = nil
	pol := map[string]string{"Full disk encryption enabled": "pass", "Screen lock enabled": "pass", "Firewall enabled": "fail", "Operating system up to date": "pass"}
	for i := range 20_000 {
		f.hosts = append(f.hosts, fleetHostJSON(i+1, fmt.Sprintf("host-%05d", i), fmt.Sprintf("SER%06d", i), "darwin", "macOS 15.5",
			"2026-12-06T10:00:00Z", true, map[string]any{"enrollment_status": "On (automatic)"}, fmt.Sprintf("user%05d@example.com", i), pol))
	}
	var peak uint64
	for b.Loop() {
		p := collecttest.PeakHeap(func() {
			res, err := fleetCollector(&collecttest.Sleeps{}).Collect(context.Background(), fleetConfig(f))
			if err != nil || len(res) != 20_000 {
				b.Fatalf("%d devices, %v", len(res), err)
			}
		})
		peak = max(peak, p)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
}

// BenchmarkLargeJamfExport reads a Jamf export of 20,000 computers.
func BenchmarkLargeJamfExport(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("Computer Name,Serial Number,Username,Email Address,Operating System Version,Last Check-in,FileVault 2 Status,Managed\n")
	for i := range 20_000 {
		fmt.Fprintf(&sb, "Mac %d,C02%06d,u%d,user%05d@example.com,15.5,2026-12-06 09:12:44,All Partitions Encrypted,Managed\n", i, i, i, i)
	}
	doc := []byte(sb.String())
	var peak uint64
	for b.Loop() {
		p := collecttest.PeakHeap(func() {
			res, err := collectExport(b, "jamf", doc)
			if err != nil || len(res) != 20_000 {
				b.Fatalf("%d devices, %v", len(res), err)
			}
		})
		peak = max(peak, p)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
}
