// Package trivy collects the results of Trivy scans (`trivy image -f
// json`, schema version 2): one "trivy.artifact" resource per scanned
// artifact with counts by severity and the age of its oldest fixable
// critical and high vulnerabilities, and one "trivy.vulnerability" per
// fixable vulnerability, so checks can hold fixes to deadlines.
package trivy

import (
	"context"

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
	return []string{KindArtifact, KindVulnerability}
}

// Validate accepts any settings; when a report is attached it must parse.
func (c collector) Validate(cfg monitor.Config) error {
	if len(cfg.Input) == 0 {
		return nil
	}
	_, err := Parse(cfg.Input, c.clock.Now())
	return err
}

func (c collector) Collect(ctx context.Context, cfg monitor.Config) ([]assay.Resource, error) {
	if len(cfg.Input) == 0 {
		return nil, assay.Invalid("input", "no Trivy report was uploaded: upload the output of `trivy image -f json`")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return Parse(cfg.Input, c.clock.Now())
}
