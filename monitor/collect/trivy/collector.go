// Package trivy collects the results of Trivy scans (`trivy image`,
// `trivy fs`, `trivy repo` ... `-f json`, schema version 2): one
// "trivy.artifact" resource per scanned artifact with its vulnerability
// counts, secrets, failed misconfigurations and forbidden licences; one
// "trivy.vulnerability" per fixable vulnerability, dated from when Assay
// first saw it so checks can hold fixes to deadlines; and one
// "trivy.misconfiguration" per misconfiguration check and file.
package trivy

import (
	"context"
	"fmt"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
)

// Resource kinds this collector produces.
const (
	KindArtifact      = "trivy.artifact"
	KindVulnerability = "trivy.vulnerability"
)

type collector struct{ clock assay.Clock }

// New returns the Trivy collector on the system clock.
func New() monitor.Collector { return collector{clock: assay.SystemClock{}} }

// NewWithClock returns the Trivy collector measuring ages against clock.
func NewWithClock(clock assay.Clock) monitor.Collector { return collector{clock: clock} }

func (collector) Kind() string { return "trivy" }
func (collector) ResourceKinds() []string {
	return []string{KindArtifact, KindVulnerability, KindMisconfiguration}
}

// Validate accepts any settings; when a report is attached it must parse.
func (c collector) Validate(cfg monitor.Config) error {
	if len(cfg.Input) == 0 {
		return nil
	}
	_, err := Parse(cfg.Input, c.clock.Now(), nil)
	return err
}

// Collect reads the report; the source's previous resources (when the
// runner has them) carry each vulnerability's first_seen date forward.
func (c collector) Collect(ctx context.Context, cfg monitor.Config) ([]assay.Resource, error) {
	if len(cfg.Input) == 0 {
		return nil, assay.Invalid("input", "no Trivy report was uploaded: upload the output of `trivy image -f json` (or `trivy fs`, `trivy repo`)")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var prev []assay.Resource
	if cfg.Previous != nil {
		var err error
		if prev, err = cfg.Previous(ctx); err != nil {
			return nil, fmt.Errorf("the dates vulnerabilities were first seen cannot be carried forward: %w", err)
		}
	}
	return Parse(cfg.Input, c.clock.Now(), prev)
}
