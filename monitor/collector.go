// Package monitor is Assay's continuous control monitoring: collectors turn
// configured sources into resources (monitor/collect/...), the CEL engine
// evaluates the check library and custom checks over them, and the runner
// records each run's results as status transitions.
package monitor

import (
	"context"

	"github.com/assay-platform/assay"
)

// Config is what a collector is given for one source.
type Config struct {
	// Settings are the source's non-secret settings ("url", "host",
	// "timeout"), as entered by the user.
	Settings map[string]string
	// Secrets are the source's decrypted secrets ("password", "dsn"). They
	// are never logged and never put into a resource or an error message.
	Secrets map[string]string
	// Input is the document a file-import source was given (a Terraform
	// plan, a Trivy report, a roster CSV); nil for live sources.
	Input []byte
}

// Collector turns one source into resources. Collect must honour ctx's
// deadline; an error (or a timeout) means the run records error results
// for the source, never passes.
type Collector interface {
	// Kind is the source kind it serves: "http", "postgres", "host",
	// "terraform", "k8s", "prowler", "trivy", "roster".
	Kind() string
	// ResourceKinds lists the resource kinds it can produce, so the runner
	// knows which checks belong to the source.
	ResourceKinds() []string
	// Validate checks a source's settings and secrets before they are
	// saved and returns an *assay.Error (EINVALID) naming the bad field.
	Validate(cfg Config) error
	Collect(ctx context.Context, cfg Config) ([]assay.Resource, error)
}
