// Package collect maps a source kind ("http", "postgres", ...) to its
// collector. Each collector lives in its own package under monitor/collect.
package collect

import (
	"slices"
	"sort"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/awsaccount"
	"github.com/assay-platform/assay/monitor/collect/devices"
	"github.com/assay-platform/assay/monitor/collect/entra"
	"github.com/assay-platform/assay/monitor/collect/githuborg"
	"github.com/assay-platform/assay/monitor/collect/googleworkspace"
	"github.com/assay-platform/assay/monitor/collect/hostcheck"
	"github.com/assay-platform/assay/monitor/collect/httpcheck"
	"github.com/assay-platform/assay/monitor/collect/k8s"
	"github.com/assay-platform/assay/monitor/collect/okta"
	"github.com/assay-platform/assay/monitor/collect/pgcheck"
	"github.com/assay-platform/assay/monitor/collect/prowler"
	"github.com/assay-platform/assay/monitor/collect/roster"
	"github.com/assay-platform/assay/monitor/collect/terraform"
	"github.com/assay-platform/assay/monitor/collect/trivy"
)

// collectors lists every source kind's collector constructor. Those that
// judge dates in what they read (role expiry, version support, finding and
// login ages) take the caller's clock; the http probe judges a live
// certificate against the system clock, as the TLS peers it stands for do.
var collectors = map[string]func(assay.Clock) monitor.Collector{
	"aws":              awsaccount.NewWithClock,
	"entra":            entra.NewWithClock,
	"fleet":            devices.NewFleet,
	"intune":           devices.NewExport("intune"),
	"jamf":             devices.NewExport("jamf"),
	"kandji":           devices.NewExport("kandji"),
	"github":           githuborg.NewWithClock,
	"google-workspace": googleworkspace.NewWithClock,
	"host":             func(assay.Clock) monitor.Collector { return hostcheck.New() },
	"http":             func(assay.Clock) monitor.Collector { return httpcheck.New() },
	"k8s":              func(assay.Clock) monitor.Collector { return k8s.New() },
	"okta":             okta.NewWithClock,
	"postgres":         pgcheck.NewWithClock,
	"prowler":          func(assay.Clock) monitor.Collector { return prowler.New() },
	"roster":           roster.NewWithClock,
	"terraform":        terraform.NewWithClock,
	"trivy":            trivy.NewWithClock,
}

// ByKind returns a fresh collector for a source kind, on clock.
func ByKind(kind string, clock assay.Clock) (monitor.Collector, bool) {
	f, ok := collectors[kind]
	if !ok {
		return nil, false
	}
	return f(clock), true
}

// Kinds lists the source kinds that have a collector, sorted.
func Kinds() []string {
	out := make([]string, 0, len(collectors))
	for k := range collectors {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// IsFileKind reports whether sources of kind are fed by an imported
// document (monitor.Config.Input) rather than a live system.
func IsFileKind(kind string) bool { return slices.Contains(assay.FileSourceKinds, kind) }
